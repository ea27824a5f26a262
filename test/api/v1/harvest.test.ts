import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { admin, bearer, userWithRole } from '../../helpers/rest.js';
import { harvestJobs, harvestSources } from '../../../src/db/schema.js';

const ctx = await testApp({ HARVEST_WORKER: 'false' });
t.teardown(() => ctx.close());
const { app } = ctx;
const db = () => ctx.db.database.db;

const orgAdmin = await userWithRole(app, 'unna-admin', 'unna', 'admin');
const editor = await userWithRole(app, 'unna-editor', 'unna', 'editor');
const member = await userWithRole(app, 'unna-member', 'unna', 'member');
const otherAdmin = await userWithRole(app, 'kamen-admin', 'kamen', 'admin');

const body = (name: string, extra: Record<string, unknown> = {}) => ({ name, title: 'Portal der Stadt Unna', type: 'ckan', url: 'https://daten.unna.example', organization: 'unna', schedule: '0 3 * * *', config: { fq: 'organization:unna' }, ...extra });
const counts = async () => ({ sources: (await db().select().from(harvestSources)).length, jobs: (await db().select().from(harvestJobs)).length });

t.test('only admins of the owning organization (and sysadmins) manage sources', async (t) => {
  const before = await counts();
  for (const [who, headers, status] of [
    ['anonymous', {}, 401],
    ['member', bearer(member), 403],
    ['editor', bearer(editor), 403],
    ['admin of another organization', bearer(otherAdmin), 403],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers, payload: body(`denied-${status}`) });
    t.equal(r.statusCode, status, `${who}: ${r.body}`);
    t.match(r.json(), { error: { code: status === 401 ? 'unauthorized' : 'forbidden' } });
  }
  t.same(await counts(), before, 'nothing was written');

  const ok = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: bearer(orgAdmin), payload: body('unna-portal') });
  t.equal(ok.statusCode, 201, ok.body);
  t.match(ok.json(), { name: 'unna-portal', organization: 'unna', type: 'ckan', schedule: '0 3 * * *', config: { fq: 'organization:unna' }, enabled: true });
  const id = ok.json<{ id: string }>().id;

  const sys = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: body('unna-dcat', { type: 'dcat', url: 'https://daten.unna.example/catalog.ttl', config: { format: 'turtle' } }) });
  t.equal(sys.statusCode, 201, sys.body);

  for (const [headers, status] of [
    [{}, 401],
    [bearer(editor), 403],
    [bearer(otherAdmin), 403],
  ] as const) {
    t.equal((await app.inject({ method: 'PATCH', url: `/api/v1/harvest-sources/${id}`, headers, payload: { title: 'x' } })).statusCode, status);
    t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/harvest-sources/${id}`, headers })).statusCode, status);
    t.equal((await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${id}/jobs`, headers, payload: {} })).statusCode, status);
  }
  t.equal((await counts()).jobs, 0, 'no job was queued by anyone without rights');
  const read = await app.inject({ url: `/api/v1/harvest-sources/unna-portal`, headers: bearer(member) });
  t.equal(read.statusCode, 200, 'members read their organization\'s sources');
  t.equal((await app.inject({ url: `/api/v1/harvest-sources/unna-portal`, headers: bearer(otherAdmin) })).statusCode, 403);
  const listed = await app.inject({ url: '/api/v1/harvest-sources', headers: bearer(otherAdmin) });
  t.same(listed.json(), [], 'sources of other organizations are not listed');

  const patched = await app.inject({ method: 'PATCH', url: `/api/v1/harvest-sources/${id}`, headers: bearer(orgAdmin), payload: { title: 'Neuer Titel', enabled: false } });
  t.equal(patched.statusCode, 200);
  t.match(patched.json(), { title: 'Neuer Titel', enabled: false, url: 'https://daten.unna.example' });

  // No body at all, as the README's curl sends it.
  const job = await app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${id}/jobs`, headers: bearer(orgAdmin) });
  t.equal(job.statusCode, 202, job.body);
  t.match(job.json(), { status: 'queued', counts: { created: 0 } });
  const shown = await app.inject({ url: `/api/v1/harvest-jobs/${job.json<{ id: string }>().id}`, headers: bearer(member) });
  t.equal(shown.statusCode, 200);
  t.match(shown.json(), { status: 'queued', errors: [], log: [] });
  t.equal((await app.inject({ url: `/api/v1/harvest-jobs/${job.json<{ id: string }>().id}`, headers: bearer(otherAdmin) })).statusCode, 403);
  const jobs = await app.inject({ url: `/api/v1/harvest-sources/${id}/jobs`, headers: bearer(member) });
  t.equal(jobs.json<unknown[]>().length, 1);

  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/harvest-sources/${id}`, headers: bearer(orgAdmin) })).statusCode, 204);
  t.equal((await app.inject({ url: `/api/v1/harvest-sources/${id}`, headers: admin })).statusCode, 404);
});

t.test('bad input is a clear 400 and changes nothing', async (t) => {
  const before = await counts();
  const cases: [Record<string, unknown>, RegExp][] = [
    [body('bad-url', { url: 'file:///etc/passwd' }), /only http and https/],
    [body('bad-cron', { schedule: 'every day' }), /cron expression/],
    [body('bad-config', { config: { rows: 5000 } }), /config/],
    [body('bad-config2', { config: { nope: true } }), /config/],
    [body('bad-org', { organization: 'nowhere' }), /does not exist/],
  ];
  for (const [payload, why] of cases) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload });
    t.equal(r.statusCode, 400, r.body);
    t.match(r.json<{ error: { message: string } }>().error.message, why);
  }
  const typo = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: body('bad-type', { type: 'csw' }) });
  t.equal(typo.statusCode, 400);
  t.same(await counts(), before);
  await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: body('twice') });
  const dup = await app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: body('twice') });
  t.equal(dup.statusCode, 409);
});

t.test('the harvest routes are in the OpenAPI document', async (t) => {
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
  for (const p of ['/api/v1/harvest-sources', '/api/v1/harvest-sources/{id}', '/api/v1/harvest-sources/{id}/jobs', '/api/v1/harvest-jobs/{id}']) t.ok(doc.paths[p], p);
});
