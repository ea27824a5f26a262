import t from 'tap';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { admin } from '../helpers/rest.js';
import { datasets, harvestRecords } from '../../src/db/schema.js';
import { runHarvestJob } from '../../src/harvest/runner.js';
import { createHarvestFetch } from '../../src/harvest/http.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/rdf');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** An RDF/XML fixture as page `n` of a hydra-paged catalog: the paging node goes before </rdf:RDF>. */
function paged(xml: string, self: string, next?: string): string {
  const node = `<hydra:PagedCollection xmlns:hydra="http://www.w3.org/ns/hydra/core#" rdf:about="${self}">${next ? `<hydra:nextPage>${next}</hydra:nextPage>` : ''}</hydra:PagedCollection>`;
  const at = xml.lastIndexOf('</rdf:RDF>');
  return `${xml.slice(0, at)}${node}\n${xml.slice(at)}`;
}

const PAGES = ['destatis-catalog.rdf', 'sh-ckan-catalog-single.xml', 'ckanext-dcatde-metadata_max_only_valid_uris.rdf', 'brandenburg-catalog.rdf'].map(fixture);

/** How each catalog path misbehaves; page numbers are 1-based. */
type Mode = 'ok' | 'fail3' | 'truncated3' | 'endless2' | 'huge2' | 'malformed2' | 'xxe2' | 'laughs2' | 'redirect2' | 'empty';
let mode: Mode = 'ok';
let dropLast = false;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://evil.test/ds"><dct:title>&xxe;</dct:title><dct:description>x</dct:description></dcat:Dataset>
</rdf:RDF>`;
const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://evil.test/lol"><dct:title>&lol9;</dct:title></dcat:Dataset>
</rdf:RDF>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const n = Number(url.searchParams.get('page') ?? '1');
  const self = `http://${req.headers.host}/catalog.rdf?page=${n}`;
  const last = dropLast ? PAGES.length - 1 : PAGES.length;
  const next = n < last ? `http://${req.headers.host}/catalog.rdf?page=${n + 1}` : undefined;
  const send = (body: string, type = 'application/rdf+xml') => {
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  };
  if (mode === 'fail3' && n === 3) {
    res.writeHead(500);
    return res.end('boom');
  }
  if (mode === 'truncated3' && n === 3) {
    const body = paged(PAGES[n - 1], self, next);
    res.writeHead(200, { 'content-type': 'application/rdf+xml', 'content-length': String(Buffer.byteLength(body)) });
    res.write(body.slice(0, body.length / 2));
    return setTimeout(() => res.socket?.destroy(), 20);
  }
  if ((mode === 'endless2' || mode === 'huge2') && n === 2) {
    res.writeHead(200, { 'content-type': 'application/rdf+xml' });
    res.write('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">');
    const chunk = '<rdf:Description rdf:about="http://x.test/a"/>'.repeat(mode === 'huge2' ? 2000 : 1);
    const timer = setInterval(() => res.write(chunk), mode === 'huge2' ? 1 : 50);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if (mode === 'malformed2' && n === 2) return send(paged(PAGES[1], self, next).replace('</dcat:Dataset>', '</dcat:Datset>'));
  if (mode === 'xxe2' && n === 2) return send(XXE);
  if (mode === 'laughs2' && n === 2) return send(LAUGHS);
  if (mode === 'redirect2' && n === 2) {
    res.writeHead(302, { location: 'http://10.0.0.1/catalog.rdf?page=2' });
    return res.end();
  }
  if (mode === 'empty') return send(paged('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', self));
  if (n < 1 || n > last) {
    res.writeHead(404);
    return res.end();
  }
  send(paged(PAGES[n - 1], self, next));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

// Loopback is allowed for exactly this host, so a redirect elsewhere is checked by the policy.
const ctx = await testApp({ HARVEST_WORKER: 'false', HARVEST_TIMEOUT_MS: '1500', HARVEST_MAX_BYTES: String(4 * 1024 * 1024) });
t.teardown(() => ctx.close());
const { app, config } = ctx;
const db = () => ctx.db.database.db;
const fetch = createHarvestFetch(config, { policy: { allowPrivateNetworks: false, allowedHosts: [host] }, retries: 1, retryBaseMs: 5 });

const made = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: { name: 'fixtures', title: 'Fixture catalogs', type: 'dcat', url: `http://${host}/catalog.rdf`, organization: 'kreis-unna' } });
t.equal(made.statusCode, 201, made.body);
const sourceId = made.json<{ id: string }>().id;

type Job = { id: string; status: string; complete: boolean; pages: number; records: number; counts: Record<string, number>; error: string | null; errors: { kind: string; sourceRecordId: string; reasons: string[] }[]; log: { msg: string }[] };

async function harvest(): Promise<Job> {
  const started = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
  if (started.statusCode !== 202) throw new Error(`job start: ${started.statusCode} ${started.body}`);
  const id = started.json<{ id: string }>().id;
  await runHarvestJob(db(), config, id, { fetch });
  return app.inject({ url: `/api/v1/harvest-jobs/${id}`, headers: admin }).then((r) => r.json<Job>());
}

const activeCount = async () => (await db().select({ id: datasets.id }).from(datasets).where(eq(datasets.state, 'active'))).length;

let first: Job;
t.test('the fixture catalogs over four hydra pages', async (t) => {
  first = await harvest();
  t.equal(first.status, 'finished', first.error ?? '');
  t.equal(first.complete, true);
  t.equal(first.pages, 4);
  t.equal(first.records, 135 + 1 + 1 + 112, 'every dcat:Dataset of every page, as rdflib counts them');
  const c = first.counts;
  t.equal(c.created + c.failed + c.conflicts, first.records, 'each record is created or reported');
  t.ok(c.created > 100, `${c.created} created`);
  t.equal(first.errors.length, c.failed + c.conflicts, 'one error entry per skipped record');
  t.ok(first.errors.every((e) => e.sourceRecordId && e.reasons.length > 0), 'every skipped record names its id and reasons');
  t.equal((await db().select().from(harvestRecords)).length, c.created);
  t.equal(await activeCount(), c.created);
  const hamburg = await app.inject({ url: `/api/v1/datasets?q=${encodeURIComponent('Hamburg')}&limit=5`, headers: admin });
  t.equal(hamburg.statusCode, 200);
});

t.test('an unchanged re-run writes nothing', async (t) => {
  const again = await harvest();
  t.equal(again.status, 'finished');
  t.same(again.counts, { ...first.counts, created: 0, unchanged: first.counts.created, withdrawn: 0 });
});

const hostile: [Mode, RegExp][] = [
  ['fail3', /Page 3 could not be fetched: .*HTTP 500/],
  ['truncated3', /Page 3 could not be fetched: .*(closed before the response was complete|ECONNRESET|socket hang up)/],
  ['endless2', /Page 2 could not be fetched: No complete answer .* within 1500 ms/],
  ['huge2', /Page 2 could not be fetched: The response of .* is larger than 4194304 bytes/],
  ['malformed2', /Page 2 .* is not readable application\/rdf\+xml/],
  ['xxe2', /Page 2 .* is not readable .*(DTD|DOCTYPE|entit)/i],
  ['laughs2', /Page 2 .* is not readable .*(DTD|DOCTYPE|entit)/i],
  ['redirect2', /Page 2 could not be fetched: .*10\.0\.0\.1 is private and not allowed/],
];
for (const [m, why] of hostile) {
  t.test(`misbehaving source (${m}): nothing lost, nothing withdrawn, the job says why`, async (t) => {
    mode = m;
    dropLast = true; // the last page's datasets are "gone" too: only a complete run may withdraw them
    const before = await activeCount();
    const job = await harvest();
    mode = 'ok';
    dropLast = false;
    t.equal(job.status, 'failed');
    t.equal(job.complete, false);
    t.equal(job.counts.withdrawn, 0);
    t.match(job.error, why);
    t.match(job.log.map((l) => l.msg).join('\n'), /nothing was withdrawn/);
    t.equal(job.counts.created, 0);
    t.equal(await activeCount(), before, 'every dataset harvested before is still active');
    if (m === 'xxe2') t.notMatch(JSON.stringify(await db().select({ doc: datasets.doc }).from(datasets)), /root:/, 'no file content leaked into a dataset');
  });
}

t.test('an empty listing after a full one withdraws nothing (doubt)', async (t) => {
  mode = 'empty';
  const before = await activeCount();
  const job = await harvest();
  mode = 'ok';
  t.equal(job.status, 'finished');
  t.equal(job.counts.withdrawn, 0);
  t.match(job.log.map((l) => l.msg).join('\n'), /withdrawing nothing on doubt/);
  t.equal(await activeCount(), before);
});

t.test('a complete run withdraws what the source no longer lists', async (t) => {
  dropLast = true;
  const job = await harvest();
  dropLast = false;
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.pages, 3);
  t.ok(job.counts.withdrawn > 0, `${job.counts.withdrawn} withdrawn`);
  t.equal(job.counts.withdrawn + job.counts.unchanged, first.counts.created, 'every earlier dataset is either still listed or withdrawn');
  t.equal(await activeCount(), job.counts.unchanged);
});

t.test('the URL policy blocks loopback when private networks are not allowed', async (t) => {
  const strict = createHarvestFetch(config, { policy: { allowPrivateNetworks: false }, retries: 0 });
  await t.rejects(strict(`http://${host}/catalog.rdf`), { code: 'blocked_url', message: /127\.0\.0\.1 is loopback and not allowed/ });
  const started = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
  const id = started.json<{ id: string }>().id;
  const before = await activeCount();
  const job = await runHarvestJob(db(), config, id);
  t.equal(job.status, 'failed');
  t.match(job.error, /loopback and not allowed .*HARVEST_ALLOW_PRIVATE_NETWORKS/);
  t.equal(await activeCount(), before);
});
