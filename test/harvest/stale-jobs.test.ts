import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { testApp } from '../helpers/app.js';
import { admin } from '../helpers/rest.js';
import { datasets, harvestJobs } from '../../src/db/schema.js';
import { runHarvestJob } from '../../src/harvest/runner.js';
import { startHarvestWorker } from '../../src/harvest/worker.js';

// One small DCAT page; `hold` keeps the answer back, so a job can be caught while it runs.
let hold: Promise<void> | undefined;
const server = http.createServer((req, res) => {
  const page = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://source.test/dataset/baeume> a dcat:Dataset ; dct:title "Baumkataster Kamen"@de ; dct:description "Alle Straßenbäume der Stadt Kamen."@de ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://source.test/baeume.csv> ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .`;
  void (hold ?? Promise.resolve()).then(() => {
    res.writeHead(200, { 'content-type': 'text/turtle' });
    res.end(page);
  });
  req.resume();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog.ttl`;

const ctx = await testApp({ HARVEST_WORKER: 'false', HARVEST_ALLOW_PRIVATE_NETWORKS: 'true' });
t.teardown(() => ctx.close());
const { app, config } = ctx;
const db = () => ctx.db.database.db;

const made = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: { name: 'kamen-dcat', title: 'Kamen', type: 'dcat', url, organization: 'kamen' } });
t.equal(made.statusCode, 201, made.body);
const sourceId = made.json<{ id: string }>().id;

type Job = { id: string; status: string; error: string | null; counts: Record<string, number>; log: { level: string; msg: string }[] };
const job = (id: string) => app.inject({ url: `/api/v1/harvest-jobs/${id}`, headers: admin }).then((r) => r.json<Job>());
const start = () => app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
const activeCount = async () => (await db().select({ id: datasets.id }).from(datasets).where(eq(datasets.state, 'active'))).length;

/** What a worker that died mid-run leaves behind: a `running` row and nobody running it. */
async function deadWorkersJob(): Promise<string> {
  const [row] = await db().insert(harvestJobs).values({ sourceId, status: 'running', trigger: 'api', startedAt: new Date(Date.now() - 60_000), pages: 1, records: 1 }).returning();
  return row.id;
}

t.test('a running job whose worker died is marked failed when the next job starts', async (t) => {
  const first = start().then((r) => r.json<{ id: string }>().id);
  const done = await runHarvestJob(db(), config, await first);
  t.equal(done.status, 'finished', done.error ?? '');
  t.equal(done.created, 1);
  const before = await activeCount();

  const stale = await deadWorkersJob();
  const res = await start();
  t.equal(res.statusCode, 202, res.body);
  const dead = await job(stale);
  t.equal(dead.status, 'failed');
  t.match(dead.error, /worker stopped before the job finished/);
  t.match(dead.log.at(-1), { level: 'error', msg: /marked failed: The worker stopped before the job finished/ });
  t.equal(dead.counts.withdrawn, 0);
  t.equal(await activeCount(), before, 'nothing harvested before was withdrawn');

  const next = await runHarvestJob(db(), config, res.json<{ id: string }>().id);
  t.equal(next.status, 'finished', next.error ?? '');
  t.equal(next.unchanged, 1);
});

t.test("the worker's poll fails a stale job of a source with nothing queued", async (t) => {
  const stale = await deadWorkersJob();
  const worker = startHarvestWorker(db(), config, app.log, { pollMs: 3_600_000 });
  await worker.drain();
  await worker.stop();
  t.equal((await job(stale)).status, 'failed');
});

t.test('a job that is really running is not taken for stale', async (t) => {
  let release!: () => void;
  hold = new Promise<void>((r) => (release = r));
  const started = await start();
  const id = started.json<{ id: string }>().id;
  const running = runHarvestJob(db(), config, id);
  // Wait until the runner has claimed the job (its fetch is held back by the server).
  while ((await job(id)).status !== 'running') await new Promise((r) => setImmediate(r));
  const second = await start();
  t.equal(second.statusCode, 409, 'the source is busy');
  t.match(second.body, /already has a running job/);
  const worker = startHarvestWorker(db(), config, app.log, { pollMs: 3_600_000 });
  await worker.drain();
  await worker.stop();
  t.equal((await job(id)).status, 'running', 'neither the next start nor a poll touched it');
  release();
  hold = undefined;
  t.equal((await running).status, 'finished');
});

t.test('PostgreSQL: a job another live instance runs is left alone until that session ends', { skip: ctx.db.url ? false : 'needs PostgreSQL (TEST_DATABASE_URL)' }, async (t) => {
  const id = await deadWorkersJob();
  // Another instance: its own session holds the job's lock, as its runner does.
  const other = new pg.Client({ connectionString: ctx.db.url });
  await other.connect();
  await other.query('select pg_advisory_lock(hashtext($1))', [`harvest-job:${id}`]);
  const busy = await start();
  t.equal(busy.statusCode, 409, busy.body);
  t.equal((await job(id)).status, 'running');
  await other.end(); // that process dies: PostgreSQL drops its locks
  const res = await start();
  t.equal(res.statusCode, 202, res.body);
  t.equal((await job(id)).status, 'failed');
  t.equal((await runHarvestJob(db(), config, res.json<{ id: string }>().id)).status, 'finished');
});
