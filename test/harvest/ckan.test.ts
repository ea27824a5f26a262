import t from 'tap';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { admin, create, dataset, DL_BY } from '../helpers/rest.js';
import { revisions } from '../../src/db/schema.js';
import { runHarvestJob } from '../../src/harvest/runner.js';
import { createHarvestFetch } from '../../src/harvest/http.js';

// The source: a second instance of this service, its CKAN face listening on loopback.
const remote = await testApp({ PUBLIC_URL: 'http://source.test' });
t.teardown(() => remote.close());
await remote.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(remote.app.server.address() as AddressInfo).port}`;

const local = await testApp({ HARVEST_ALLOW_PRIVATE_NETWORKS: 'true', HARVEST_WORKER: 'false' });
t.teardown(() => local.close());
const { app } = local;
const db = () => local.db.database.db;
const quickFetch = createHarvestFetch(local.config, { retries: 1, retryBaseMs: 5 });

const seeded: Awaited<ReturnType<typeof create>>['doc'][] = [];
for (let i = 1; i <= 5; i++) {
  seeded.push(
    (
      await create(
        remote.app,
        dataset({
          title: `Messwerte Station ${i}`,
          description: `Stündliche Messwerte der Station ${i}.`,
          keyword: ['Umwelt', `Station ${i}`],
          distribution: [{ title: `CSV ${i}`, accessURL: [`https://example.org/station-${i}.csv`], format: 'http://publications.europa.eu/resource/authority/file-type/CSV', license: DL_BY }],
        }),
      )
    ).doc,
  );
}

type Job = { id: string; status: string; complete: boolean; pages: number; records: number; counts: Record<string, number>; error: string | null; errors: unknown[]; log: { msg: string }[] };

async function harvest(sourceId: string): Promise<Job> {
  const started = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
  if (started.statusCode !== 202) throw new Error(`job start: ${started.statusCode} ${started.body}`);
  const id = started.json<{ id: string }>().id;
  await runHarvestJob(db(), local.config, id, { fetch: quickFetch });
  return app.inject({ url: `/api/v1/harvest-jobs/${id}`, headers: admin }).then((r) => r.json<Job>());
}

async function localDatasets(): Promise<{ title: { de: string }; state?: string; name: string; '@id': string; keyword?: unknown; distribution?: { accessURL: string[]; license?: string }[]; id: string }[]> {
  const r = await app.inject({ url: '/api/v1/datasets?limit=100', headers: admin });
  return r.json<{ results: never[] }>().results;
}

const created = await app.inject({
  method: 'POST',
  url: '/api/v1/harvest-sources',
  headers: admin,
  payload: { name: 'remote-ckan', title: 'Remote CKAN', type: 'ckan', url: base, organization: 'unna', config: { rows: 2, sort: 'id asc' } },
});
t.equal(created.statusCode, 201, created.body);
const sourceId = created.json<{ id: string }>().id;

t.test('first run creates every dataset, fields preserved', async (t) => {
  const job = await harvest(sourceId);
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.complete, true);
  t.same(job.counts, { created: 5, updated: 0, unchanged: 0, withdrawn: 0, failed: 0, conflicts: 0 });
  t.equal(job.records, 5);
  t.equal(job.pages, 3, '5 records at 2 rows per page');
  const docs = await localDatasets();
  t.equal(docs.length, 5);
  const one = docs.find((d) => d.title.de === 'Messwerte Station 3');
  t.ok(one);
  t.equal(one?.['@id'], seeded[2]['@id'], 'the dataset keeps its URI at the source');
  t.same(one?.distribution?.[0].accessURL, ['https://example.org/station-3.csv']);
  t.equal(one?.distribution?.[0].license, DL_BY);
  t.match(JSON.stringify(one?.keyword), /Station 3/);
});

t.test('an unchanged source updates nothing', async (t) => {
  const before = await db().select().from(revisions);
  const job = await harvest(sourceId);
  t.equal(job.status, 'finished');
  t.same(job.counts, { created: 0, updated: 0, unchanged: 5, withdrawn: 0, failed: 0, conflicts: 0 });
  t.equal((await db().select().from(revisions)).length, before.length, 'no revision written');
});

t.test('a changed record yields exactly one revision', async (t) => {
  const target = seeded[1];
  const r = await remote.app.inject({ method: 'PATCH', url: `/api/v1/datasets/${target.id}`, headers: { ...admin, 'content-type': 'application/merge-patch+json' }, payload: { title: 'Messwerte Station 2 (korrigiert)' } });
  t.equal(r.statusCode, 200, r.body);
  const job = await harvest(sourceId);
  t.same(job.counts, { created: 0, updated: 1, unchanged: 4, withdrawn: 0, failed: 0, conflicts: 0 });
  const local2 = (await localDatasets()).find((d) => d['@id'] === target['@id']);
  t.equal(local2?.title.de, 'Messwerte Station 2 (korrigiert)');
  const revs = await db().select().from(revisions).where(eq(revisions.datasetId, local2!.id));
  t.equal(revs.length, 2, 'create + one update');
  t.equal(revs.find((x) => x.revision === 2)?.harvestJobId, job.id, 'the revision names the job');
});

t.test('a removed record is withdrawn only after a complete run', async (t) => {
  const gone = seeded[4];
  const del = await remote.app.inject({ method: 'DELETE', url: `/api/v1/datasets/${gone.id}`, headers: admin });
  t.ok(del.statusCode < 300, del.body);
  // First the source is unreachable: the run fails and withdraws nothing.
  const patch = (url: string) => app.inject({ method: 'PATCH', url: `/api/v1/harvest-sources/${sourceId}`, headers: admin, payload: { url } });
  t.equal((await patch('http://127.0.0.1:1')).statusCode, 200);
  const failed = await harvest(sourceId);
  t.equal(failed.status, 'failed');
  t.equal(failed.complete, false);
  t.equal(failed.counts.withdrawn, 0);
  t.match(failed.error, /could not be fetched/);
  t.match(failed.log.map((l) => l.msg).join('\n'), /nothing was withdrawn/);
  t.equal((await localDatasets()).length, 5, 'everything harvested before is still there');

  t.equal((await patch(base)).statusCode, 200);
  const complete = await harvest(sourceId);
  t.equal(complete.status, 'finished', complete.error ?? '');
  t.same(complete.counts, { created: 0, updated: 0, unchanged: 4, withdrawn: 1, failed: 0, conflicts: 0 });
  const left = await localDatasets();
  t.equal(left.length, 4);
  t.notOk(left.some((d) => d['@id'] === gone['@id']));
  const withdrawn = await app.inject({ url: `/api/v1/datasets/${encodeURIComponent(gone['@id'] as string)}`, headers: admin });
  t.equal(withdrawn.json<{ state: string }>().state, 'deleted', 'withdrawn, not purged');
});

t.test('a dataset a steward owns is reported as a conflict, never overwritten', async (t) => {
  const fresh = (await create(remote.app, dataset({ title: 'Neu an der Quelle' }))).doc;
  const steward = await create(app, dataset({ title: 'Eigener Datensatz', '@id': fresh['@id'] }));
  const job = await harvest(sourceId);
  t.equal(job.status, 'finished');
  t.equal(job.counts.conflicts, 1);
  t.equal(job.counts.created, 0);
  t.match(JSON.stringify(job.errors), /steward/);
  const still = await app.inject({ url: `/api/v1/datasets/${steward.doc.id}`, headers: admin });
  t.equal(still.json<{ title: { de: string } }>().title.de, 'Eigener Datensatz');
  t.equal(still.json<{ revision: number }>().revision, 1);
});

t.test('one job per source: a second start is refused while one is queued', async (t) => {
  const first = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
  t.equal(first.statusCode, 202);
  const second = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
  t.equal(second.statusCode, 409);
  t.match(second.json(), { error: { code: 'conflict' } });
  await runHarvestJob(db(), local.config, first.json<{ id: string }>().id);
  const jobs = await app.inject({ url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin });
  t.ok(jobs.json<unknown[]>().length >= 6);
});
