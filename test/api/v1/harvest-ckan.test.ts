import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { admin, bearer, userWithRole } from '../../helpers/rest.js';
import { harvestSources } from '../../../src/db/schema.js';

const ctx = await testApp({ HARVEST_WORKER: 'false' });
t.teardown(() => ctx.close());
const { app } = ctx;

const editor = await userWithRole(app, 'ckan-h-editor', 'unna', 'editor');

async function action(name: string, data: Record<string, unknown>, headers: Record<string, string> = admin) {
  const r = await app.inject({ method: 'POST', url: `/api/3/action/${name}`, headers, payload: data });
  return { status: r.statusCode, body: r.json<{ success: boolean; result: Record<string, unknown> & { id: string }; error?: Record<string, unknown> }>() };
}

t.test('ckanext-harvest actions manage sources and jobs in its dict shapes', async (t) => {
  const made = await action('harvest_source_create', { name: 'unna-ckan', title: 'Unna', url: 'https://daten.unna.example', source_type: 'ckan', owner_org: 'unna', frequency: 'WEEKLY', config: '{"rows": 50}' });
  t.equal(made.status, 200, JSON.stringify(made.body));
  t.match(made.body.result, { name: 'unna-ckan', type: 'harvest', source_type: 'ckan', frequency: 'WEEKLY', config: '{"rows":50}', status: { job_count: 0, total_datasets: 0, last_job: null } });
  const id = made.body.result.id;

  const denied = await action('harvest_source_create', { name: 'x-ckan', url: 'https://x.example', source_type: 'ckan', owner_org: 'unna' }, bearer(editor));
  t.equal(denied.status, 403);
  t.match(denied.body.error, { __type: 'Authorization Error' });
  const badConfig = await action('harvest_source_create', { name: 'y-ckan', url: 'https://x.example', source_type: 'ckan', owner_org: 'unna', config: '{nope' });
  t.equal(badConfig.status, 409);
  t.equal((await ctx.db.database.db.select().from(harvestSources)).length, 1, 'refused creates wrote nothing');

  const shown = await action('harvest_source_show', { id: 'unna-ckan' });
  t.equal(shown.body.result.id, id);
  const listed = await action('harvest_source_list', {});
  t.equal((listed.body.result as unknown as unknown[]).length, 1);
  const updated = await action('harvest_source_update', { id, frequency: 'MANUAL', title: 'Unna (neu)' });
  t.match(updated.body.result, { frequency: 'MANUAL', title: 'Unna (neu)', url: 'https://daten.unna.example' });

  const job = await action('harvest_job_create', { source_id: id });
  t.equal(job.status, 200, JSON.stringify(job.body));
  t.match(job.body.result, { source_id: id, status: 'New', stats: { added: 0, updated: 0, 'not modified': 0, errored: 0, deleted: 0 } });
  const again = await action('harvest_job_create', { source_id: id });
  t.equal(again.status, 409, 'one job per source');
  const jobs = await action('harvest_job_list', { source_id: id });
  t.equal((jobs.body.result as unknown as unknown[]).length, 1);
  const one = await action('harvest_job_show', { id: job.body.result.id });
  t.match(one.body.result, { id: job.body.result.id, status: 'New', object_error_summary: [], gather_error_summary: [] });

  const del = await action('harvest_source_delete', { id }, bearer(editor));
  t.equal(del.status, 403);
  t.equal((await action('harvest_source_delete', { id })).status, 200);
  t.equal((await action('harvest_source_show', { id })).status, 404);
});
