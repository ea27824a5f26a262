import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { postSequentially } from '../../bench/lib/create-client.js';

// The create scenarios' client, as its own process: each body once, in order, one request at a
// time (the rate is of sequential creates), with the token; failures counted, not hidden.
const seen: { name: string; auth: string | undefined; inFlight: number }[] = [];
let inFlight = 0;
const server = createServer((req, res) => {
  inFlight++;
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    const { name } = JSON.parse(Buffer.concat(parts).toString()) as { name: string };
    seen.push({ name, auth: req.headers.authorization, inFlight });
    // Answer a little later, so that a client that does not wait would overlap.
    setTimeout(() => {
      inFlight--;
      if (name === 'hang-up') return req.socket.destroy();
      res.writeHead(name === 'taken' ? 409 : 201, { 'content-type': 'application/json' });
      // Some answers in chunks (no content-length), as a streamed body comes.
      if (name.startsWith('chunked')) {
        res.write('{"name":');
        return setTimeout(() => res.end(`${JSON.stringify(name)}}`), 1);
      }
      res.end(JSON.stringify(name === 'taken' ? { error: 'conflict', message: 'The name "taken" is already taken.' } : { name }));
    }, 2);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const dir = mkdtempSync(join(tmpdir(), 'create-client-test-'));
t.teardown(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function bodiesFile(names: string[]): string {
  const file = join(dir, `${names.join('-')}.json`);
  writeFileSync(file, JSON.stringify(names.map((name) => ({ name, title: `Datensatz ${name}` }))));
  return file;
}

t.test('every body once, in order, one at a time, the warm-up not timed', async (t) => {
  seen.length = 0;
  const names = ['w1', 'w2', 'a', 'b', 'c', 'd', 'e'];
  const r = await postSequentially({ url, path: '/api/v1/datasets', token: 'secret-token', bodiesFile: bodiesFile(names), warmup: 2 });
  t.same(
    seen.map((s) => s.name),
    names,
    'all bodies, in the order of the file',
  );
  t.ok(
    seen.every((s) => s.inFlight === 1),
    'never a second request before the answer',
  );
  t.ok(
    seen.every((s) => s.auth === 'Bearer secret-token'),
    'the token on every request',
  );
  t.equal(r.requests, 5, 'the timed requests exclude the warm-up');
  t.ok(r.warmupRps > 0 && r.warmupRps <= 1000 / 2, `the warm-up's rate ${r.warmupRps.toFixed(0)}/s`);
  t.equal(r.ok, 5);
  t.equal(r.firstFailure, undefined);
  t.ok(r.p50 >= 2 && r.mean >= 2, `latency includes the server's wait (p50 ${r.p50.toFixed(2)} ms)`);
  t.ok(r.rps > 0 && r.rps <= 1000 / 2, `rate ${r.rps.toFixed(0)}/s is bounded by the answers' delay`);
});

t.test('an answer that is not 2xx is counted and reported', async (t) => {
  const r = await postSequentially({ url, path: '/api/v1/datasets', token: 't', bodiesFile: bodiesFile(['x', 'taken', 'y']), warmup: 0 });
  t.equal(r.requests, 3);
  t.equal(r.ok, 2, 'the refused create is not counted as done');
  t.match(r.firstFailure, /^409 .*already taken/);
});

t.test('a warm-up request that fails stops the run', async (t) => {
  await t.rejects(postSequentially({ url, path: '/api/v1/datasets', token: 't', bodiesFile: bodiesFile(['taken', 'z']), warmup: 1 }), /warm-up request answered 409/);
});

t.test('an answer in chunks is read to its end before the next request', async (t) => {
  seen.length = 0;
  const names = ['chunked-1', 'a1', 'chunked-2', 'chunked-3', 'b1'];
  const r = await postSequentially({ url, path: '/api/v1/datasets', token: 't', bodiesFile: bodiesFile(names), warmup: 0 });
  t.same(
    seen.map((s) => s.name),
    names,
  );
  t.ok(
    seen.every((s) => s.inFlight === 1),
    'the next request only after the last chunk',
  );
  t.equal(r.ok, 5);
});

t.test('a connection the service closes fails the run', async (t) => {
  await t.rejects(postSequentially({ url, path: '/api/v1/datasets', token: 't', bodiesFile: bodiesFile(['p', 'hang-up', 'q']), warmup: 0 }), /closed the connection/);
});
