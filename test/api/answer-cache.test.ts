import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app.js';
import { AnswerCache } from '../../src/api/answer-cache.js';
import { loadVersions } from '../../src/catalog/search.js';
import { testApp, testConfig } from '../helpers/app.js';
import { admin, create, dataset } from '../helpers/rest.js';
import { call, result } from '../helpers/ckan.js';

/**
 * List pages answer from the JSON kept per dataset version (src/api/answer-cache.ts):
 * whatever changes a dataset, or the organization a package dict shows, the next page
 * shows it; and a kept answer is byte for byte the one made afresh.
 */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;
const db = ctx.app.ctx.database.db;
const ids: string[] = [];
for (let i = 0; i < 4; i++) ids.push((await create(app, dataset({ title: `Haushalt ${i}`, name: `haushalt-${i}` }))).doc.id);

interface Doc {
  id: string;
  title: unknown;
  [k: string]: unknown;
}
interface Pkg {
  id: string;
  name: string;
  title: string;
  notes: string;
  organization: { title: string };
}
const restList = async () => {
  const r = await app.inject({ method: 'GET', url: '/api/v1/datasets?limit=10&sort=name' });
  t.equal(r.statusCode, 200);
  return { raw: r.body, results: r.json<{ results: Doc[] }>().results };
};
const ckanSearch = () => call(app, 'package_search', { sort: 'name asc', rows: 10 }, { method: 'GET', token: null });
const ckanResults = async () => ((await ckanSearch()).body.result as { results: Pkg[] }).results;
const byId = <T extends { id: string }>(list: T[], id: string) => list.find((x) => x.id === id) as T;

t.test('a page read twice is the same bytes; a write shows on the next page', async (t) => {
  const first = await restList();
  t.equal((await restList()).raw, first.raw, 'REST: the kept answers are the bytes made afresh');
  const c1 = await ckanSearch();
  t.equal((await ckanSearch()).raw, c1.raw, 'CKAN: the same');

  const p = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${ids[0]}`, headers: admin, payload: { title: 'Haushalt neu' } });
  t.equal(p.statusCode, 200);
  const after = await restList();
  t.same(byId(after.results, ids[0]).title, { de: 'Haushalt neu' }, 'REST shows the new title');
  t.same(byId(after.results, ids[1]), byId(first.results, ids[1]), 'the others as they were');
  t.equal(byId(await ckanResults(), ids[0]).title, 'Haushalt neu', 'CKAN shows it too');

  await result(app, 'package_patch', { id: ids[1], notes: 'Neu beschrieben.' });
  const pkgs = await ckanResults();
  t.equal(byId(pkgs, ids[1]).notes, 'Neu beschrieben.', 'a CKAN write shows on the CKAN page');
  t.match(JSON.stringify(byId((await restList()).results, ids[1])), /Neu beschrieben\./, 'and on the REST page');
});

t.test('a write that keeps the revision still makes a new version', async (t) => {
  await restList();
  // As freeDeletedName or an operator's SQL do: the row changes, its revision does not.
  await db.execute(sql`UPDATE datasets SET doc = jsonb_set(doc, '{title,de}', to_jsonb('Von Hand'::text)) WHERE id = ${ids[2]}::uuid`);
  t.same(byId((await restList()).results, ids[2]).title, { de: 'Von Hand' });
});

t.test("a package dict shows its organization's new title", async (t) => {
  const before = await ckanResults();
  t.not(before[0].organization.title, 'Kreisstadt Unna (neu)');
  const r = await app.inject({ method: 'PATCH', url: '/api/v1/organizations/unna', headers: admin, payload: { title: 'Kreisstadt Unna (neu)' } });
  t.equal(r.statusCode, 200, r.body);
  const after = await ckanResults();
  t.same(
    after.map((p) => p.organization.title),
    before.map(() => 'Kreisstadt Unna (neu)'),
  );
});

t.test('kept answers are the dicts the other paths make', async (t) => {
  const search = await ckanResults();
  const org = await result<{ packages: Pkg[] }>(app, 'organization_show', { id: 'unna', include_datasets: true });
  for (const p of search) t.same(byId(org.packages, p.id), p, `${p.name}: as organization_show makes it`);
  const shown = await result<Pkg>(app, 'package_show', { id: ids[3] });
  t.same(byId(search, ids[3]), shown, 'as package_show makes it');
  const jsonp = await app.inject({ method: 'GET', url: '/api/3/action/package_search?sort=name%20asc&rows=10&callback=cb' });
  const m = /^cb\((.*)\);$/s.exec(jsonp.body);
  t.ok(m, 'JSONP answer');
  t.same(JSON.parse(m?.[1] ?? 'null').result.results, search, 'JSONP carries the same dicts');
  const fl = await result<{ results: Record<string, unknown>[] }>(app, 'package_search', { sort: 'name asc', rows: 10, fl: 'name,title' }, { token: null });
  t.same(fl.results, search.map((p) => ({ name: p.name, title: p.title })), 'fl picks from the same dicts');
});

t.test('without a budget nothing is kept and the answers are the same', async (t) => {
  const bare = await buildApp(testConfig({ ANSWER_CACHE_MB: '0' }, ctx.db.url), { database: ctx.db.database });
  t.teardown(() => bare.close());
  for (const url of ['/api/v1/datasets?limit=10&sort=name', '/api/3/action/package_search?sort=name%20asc&rows=10']) {
    const kept = await app.inject({ method: 'GET', url });
    const made = await bare.inject({ method: 'GET', url });
    t.equal(made.body, kept.body, url);
  }
  t.equal(bare.ctx.answers.size.entries, 0);
});

t.test('the budget bounds what is kept; the least recently used go first', async (t) => {
  const versions = await loadVersions(db, ids);
  const render = (s: { doc: unknown }) => s.doc;
  const one = (await new AnswerCache(1e6).page(db, 'rest', versions.slice(0, 1), render))[0].bytes.length;
  const cache = new AnswerCache(Math.floor(2.5 * (one + 50)));
  const all = await cache.page(db, 'rest', versions, render);
  t.same(all.map((a) => (JSON.parse(a.bytes.toString()) as Doc).id), ids, 'every answer, in order');
  t.ok(cache.size.entries <= 2 && cache.size.bytes <= cache.budget, `kept ${cache.size.entries} within ${cache.budget} bytes`);
  const again = await cache.page(db, 'rest', versions.slice(0, 1), render);
  t.equal(again[0].bytes.toString(), all[0].bytes.toString(), 'an evicted answer is made again, the same');
  t.equal((await new AnswerCache(0).page(db, 'rest', versions, render)).length, ids.length, 'budget 0 still answers');
});
