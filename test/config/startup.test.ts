import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { projectPath } from '../../src/util/paths.js';

/** The server process as an operator runs it: start-up, its refusals, and graceful shutdown. */

const TOKEN = 'startup-test-admin-token-' + 'z'.repeat(32);
const baseEnv = { ...process.env, DATABASE_URL: '', TEST_DATABASE_URL: '' };

interface Server {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts src/main.ts and waits for pino's "Server listening" line (PORT=0: any free port). */
function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', projectPath('src/main.ts')], { env: { ...baseEnv, PORT: '0', LOG_LEVEL: 'info', ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve({ child, port: Number(m[1]), stdout: () => out, exited });
      }
    }, 50);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

function cli(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', projectPath('src/cli/main.ts'), ...args], { env: { ...baseEnv, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });
}

const logLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

t.test('a fresh data folder: listening, eleven organizations, docs, the bootstrap admin; SIGTERM finishes in-flight requests', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-start-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { DATA_DIR: join(dir, 'data'), BOOTSTRAP_ADMIN_TOKEN: TOKEN };
  const server = await startServer(env);
  t.teardown(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${server.port}`;

  const health = await fetch(`${base}/health`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok', database: { kind: 'pglite', up: true } });
  const docs = await fetch(`${base}/docs`);
  t.equal(docs.status, 200);
  t.match(docs.headers.get('content-type'), /text\/html/);
  const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  t.equal(spec.openapi, '3.0.3');
  t.ok(spec.paths['/api/v1/datasets'], 'the OpenAPI document lists the REST routes');
  const orgs = (await (await fetch(`${base}/api/v1/organizations`)).json()) as { name: string; ags: string }[];
  t.equal(orgs.length, 11);
  t.same(
    orgs.map((o) => o.ags).sort(),
    ['05978', '05978004', '05978008', '05978012', '05978016', '05978020', '05978024', '05978028', '05978032', '05978036', '05978040'],
  );
  const me = await fetch(`${base}/api/v1/users/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
  t.equal(me.status, 200);
  t.match(await me.json(), { name: 'admin', sysadmin: true }, 'BOOTSTRAP_ADMIN_TOKEN works without the CLI');

  // The server holds the embedded database: the CLI says so plainly.
  const busy = cli(env, 'org', 'list');
  t.equal(busy.status, 1);
  t.equal(busy.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  t.match(busy.stderr, new RegExp(`in use by process ${server.child.pid}.*Stop that process first`));

  // A request whose body is still arriving when SIGTERM comes is answered; new connections are refused.
  const body = JSON.stringify({ organization: 'unna', title: 'Im Flug', description: 'Während des Herunterfahrens angelegt', distribution: [{ accessURL: ['https://www.unna.de/a.csv'] }] });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { port: server.port, method: 'POST', path: '/api/v1/datasets', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${TOKEN}` } },
      (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: s }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 30));
    const waitForLog = setInterval(() => {
      if (server.stdout().includes('"method":"POST"')) {
        clearInterval(waitForLog);
        server.child.kill('SIGTERM');
        const closing = setInterval(() => {
          if (!server.stdout().includes('shutting down')) return;
          clearInterval(closing);
          // The log line comes just before the listener closes: probe until a connection is refused,
          // while the in-flight request is still waiting for the rest of its body.
          let tries = 0;
          const probeOnce = () => {
            const probe = net.connect(server.port, '127.0.0.1');
            probe.on('connect', () => {
              probe.destroy();
              if (++tries >= 100) reject(new Error('new connections were still accepted 5 s after SIGTERM'));
              else setTimeout(probeOnce, 50);
            });
            probe.on('error', () => req.end(body.slice(30)));
          };
          probeOnce();
        }, 20);
      }
    }, 20);
  });
  const inFlight = await answer;
  t.equal(inFlight.status, 201, inFlight.body);
  t.equal(await server.exited, 0, 'exit status 0 after a graceful shutdown');
  t.notOk(existsSync(join(dir, 'data', 'catalog.lock')), 'the database was closed and its folder released');

  const lines = logLines(server.stdout());
  const requestLines = lines.filter((l) => l.req || l.res);
  t.ok(requestLines.length >= 5);
  t.ok(
    requestLines.every((l) => typeof l.reqId === 'string'),
    'every request log line carries the request id',
  );
  t.ok(lines.some((l) => l.signal === 'SIGTERM'), 'the shutdown is logged');

  // The data folder is intact and holds what the in-flight request wrote.
  const app = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  t.teardown(() => app.close());
  const list = (await app.inject({ url: '/api/v1/datasets?q=Flug' })).json();
  t.equal(list.count, 1);
  t.equal(list.results[0].title.de, 'Im Flug');
});

t.test('an unreachable PostgreSQL is retried with growing delays, logged, then refused with a clear message', async (t) => {
  // A port nobody listens on.
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const res = spawnSync(process.execPath, ['--import', 'tsx', projectPath('src/main.ts')], {
    env: { ...baseEnv, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: `postgres://catalog:geheim@127.0.0.1:${port}/catalog` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  t.equal(res.status, 1);
  const retries = logLines(res.stdout).filter((l) => l.msg === 'database not reachable, retrying');
  t.ok(retries.length >= 3, `${retries.length} retries logged`);
  const delays = retries.map((l) => Number(l.delayMs));
  t.ok(
    delays.every((d, i) => i === 0 || d >= delays[i - 1]),
    `backoff: ${delays.join(', ')} ms`,
  );
  t.ok(delays[delays.length - 1] > delays[0], 'the delay grows');
  t.equal(res.stderr.trim().split('\n').length, 1, 'one line');
  t.match(res.stderr, new RegExp(`Cannot start: PostgreSQL at postgres://catalog:\\*\\*\\*@127\\.0\\.0\\.1:${port}/catalog is not reachable after \\d+ attempts`));
  t.notMatch(res.stderr + res.stdout, /geheim/, 'the password is never printed');
});

for (const [name, value, message] of [
  ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
  ['DATABASE_URL', 'mysql://db/catalog', /DATABASE_URL must be a postgres or postgresql URL/],
  ['BODY_LIMIT', '1k', /BODY_LIMIT must be a whole number/],
  ['PUBLIC_URL', 'daten.kreis-unna.de', /PUBLIC_URL must be a URL/],
] as const) {
  t.test(`a malformed ${name} stops start-up with one line naming it`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-bad-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const res = spawnSync(process.execPath, ['--import', 'tsx', projectPath('src/main.ts')], { env: { ...baseEnv, DATA_DIR: join(dir, 'data'), [name]: value }, encoding: 'utf8', timeout: 60_000 });
    t.equal(res.status, 2);
    t.equal(res.stderr.trim().split('\n').length, 1);
    t.match(res.stderr, message);
    t.notOk(existsSync(join(dir, 'data')), 'nothing was created');
  });
}
