import t from 'tap';
import { ADMIN_TOKEN, testApp } from '../../helpers/app.js';
import { call, pkg, result } from '../../helpers/ckan.js';
import { systemActor } from '../../../src/auth/actor.js';
import { generateDatasets } from '../../../bench/lib/generator.js';
import { bulkLoad } from '../../../bench/lib/load.js';
import { eq } from 'drizzle-orm';
import { datasets } from '../../../src/db/schema.js';
import { userWithRole } from '../../helpers/rest.js';

/** package_search over a catalog of 1,200 generated datasets plus a few made through CKAN. */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;
const N = 1200;
await bulkLoad(ctx.app.ctx.database.db, [...generateDatasets(N, 11)], { config: ctx.config, actor: systemActor('cli'), batchSize: 200 });
const a = await result<Record<string, unknown>>(app, 'package_create', pkg('wasser-unna', { title: 'Wasserqualität der Ruhr', notes: 'Pegelstände der Talsperren im Sauerland', tags: [{ name: 'Ruhrwasser' }], groups: [{ name: 'envi' }], resources: [{ url: 'https://example.org/w.json', format: 'JSON' }, { url: 'https://example.org/pegel.geojson' }] }));
await result(app, 'package_create', pkg('wasser-kamen', { title: 'Trinkwasser Kamen', owner_org: 'kamen', tags: [{ name: 'Ruhrwasser' }], license_id: 'cc-zero' }));
await result(app, 'package_create', pkg('geheim', { private: true, title: 'Wasser intern' }));
// Made public during the harvester test: CKAN harvesters must see that change.
await result(app, 'package_create', pkg('bald-offen', { private: true, title: 'Bald öffentlich' }));
// The catalog has no write path to drafts yet (CKAN's web form makes them): one is set in the table.
await result(app, 'package_create', pkg('entwurf', { title: 'Entwurf Radwege' }));
await ctx.app.ctx.database.db.update(datasets).set({ state: 'draft' }).where(eq(datasets.name, 'entwurf'));
const editor = await userWithRole(app, 'search-editor', 'unna', 'editor');
const member = await userWithRole(app, 'search-member', 'unna', 'member');
const outsider = await userWithRole(app, 'search-outsider', 'kamen', 'editor');
const names = (r: { results: { name: string }[] }) => r.results.map((x) => x.name);

interface SearchResult {
  count: number;
  results: { id: string; name: string; metadata_modified: string; organization: { name: string } }[];
  facets: Record<string, Record<string, number>>;
  search_facets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }>;
  sort: string;
}
const search = (data: Record<string, unknown>, method: 'GET' | 'POST' = 'GET', token?: string | null) => result<SearchResult>(app, 'package_search', data, { method, token });

t.test('defaults: 10 rows, count of all public datasets, CKAN sort echo', async (t) => {
  const r = await search({}, 'GET', null);
  t.equal(r.results.length, 10);
  t.equal(r.count, N + 2, 'private datasets are not counted for anonymous');
  t.equal(r.sort, 'score desc, metadata_modified desc');
  t.same(r.facets, {});
  t.same(r.search_facets, {});
});

t.test('free text with German stemming and field terms in q', async (t) => {
  const text = await search({ q: 'Wasserqualität' });
  t.same(text.results.map((r) => r.name), ['wasser-unna']);
  // German snowball: the singular finds the plural in the description (talsperr), and only there.
  const stem = await search({ q: 'Talsperre' });
  t.same(stem.results.map((r) => r.name), ['wasser-unna'], 'Talsperre finds Talsperren');
  const noStem = await search({ q: 'Talsperrenkataster' });
  t.equal(noStem.count, 0, 'stemming does not turn a compound into its parts');
  const field = await search({ q: 'name:wasser-kamen' });
  t.same(field.results.map((r) => r.name), ['wasser-kamen']);
  const tags = await search({ q: 'tags:Ruhrwasser', sort: 'name asc' }, 'POST');
  t.same(tags.results.map((r) => r.name), ['wasser-kamen', 'wasser-unna']);
});

t.test('fq as clients send it', async (t) => {
  const org = await search({ fq: 'organization:kamen +tags:"Ruhrwasser"' });
  t.same(org.results.map((r) => r.name), ['wasser-kamen']);
  const orNot = await search({ fq: '(organization:unna OR organization:kamen) -res_format:CSV tags:Ruhrwasser' });
  t.same(orNot.results.map((r) => r.name), ['wasser-unna']);
  const byOwner = await search({ fq: `+owner_org:"${(a.organization as { id: string }).id}" +tags:Ruhrwasser` });
  t.same(byOwner.results.map((r) => r.name), ['wasser-unna']);
  const list = await search({ fq_list: ['groups:envi', 'license_id:"dl-by-de/2.0"', 'tags:Ruhrwasser'] }, 'POST');
  t.same(list.results.map((r) => r.name), ['wasser-unna']);
  const licence = await search({ fq: 'license_id:cc-zero tags:Ruhrwasser' });
  t.same(licence.results.map((r) => r.name), ['wasser-kamen']);
  const typed = await search({ fq: '+dataset_type:dataset tags:Ruhrwasser' });
  t.equal(typed.count, 2);
  const harvest = await search({ fq: '-dataset_type:harvest tags:Ruhrwasser' });
  t.equal(harvest.count, 2);
  const wildcard = await search({ fq: 'name:wasser-*' });
  t.equal(wildcard.count, 2);
});

t.test('facets in CKAN shape, display names, limits', async (t) => {
  const r = await search({ q: 'tags:Ruhrwasser', 'facet.field': '["organization","tags","license_id","groups"]', rows: 0 });
  t.equal(r.results.length, 0, 'rows=0 gives counts and facets only');
  t.same(r.facets.organization, { unna: 1, kamen: 1 });
  t.same(r.search_facets.organization, {
    title: 'organization',
    items: [
      { name: 'kamen', display_name: 'Stadt Kamen', count: 1 },
      { name: 'unna', display_name: 'Kreisstadt Unna', count: 1 },
    ],
  }, 'items sorted by display name, descending');
  t.same(r.facets.groups, { envi: 1, gove: 1 });
  t.match(r.search_facets.license_id.items, [{ name: String, display_name: String }]);
  const limited = await search({ 'facet.field': ['organization'], 'facet.limit': 2 }, 'POST');
  t.equal(Object.keys(limited.facets.organization).length, 2);
  const off = await search({ 'facet.field': ['organization'], facet: 'false' });
  t.same(off.facets, {});
});

t.test('private datasets only with include_private and a role', async (t) => {
  const anon = await search({ q: 'name:geheim', include_private: true }, 'GET', null);
  t.equal(anon.count, 0);
  const admin = await search({ q: 'name:geheim', include_private: true });
  t.equal(admin.count, 1);
  const withoutFlag = await search({ q: 'name:geheim' });
  t.equal(withoutFlag.count, 0);
});

t.test('q with field terms', async (t) => {
  t.same(names(await search({ q: 'title:Trinkwasser' })), ['wasser-kamen']);
  t.same(names(await search({ q: 'organization:kamen tags:Ruhrwasser' })), ['wasser-kamen']);
  t.same(names(await search({ q: 'res_format:JSON tags:Ruhrwasser' })), ['wasser-unna']);
  t.same(names(await search({ q: 'res_format:"GeoJSON" tags:Ruhrwasser' })), ['wasser-unna'], 'a format guessed from .geojson, by its CKAN name');
  t.same(names(await search({ q: 'license_id:cc-zero tags:Ruhrwasser' })), ['wasser-kamen']);
  for (const form of ['"dl-by-de/2.0"', '"http://dcat-ap.de/def/licenses/dl-by-de/2.0"', 'dl-de-by-2.0']) {
    t.same(names(await search({ q: `license_id:${form} tags:Ruhrwasser` })), ['wasser-unna'], `license_id:${form}`);
  }
});

t.test('fq: boolean operators, ranges with NOW, wildcards', async (t) => {
  t.same(names(await search({ fq: 'tags:Ruhrwasser AND NOT organization:kamen' })), ['wasser-unna']);
  t.same(names(await search({ fq: 'tags:Ruhrwasser && !organization:unna' })), ['wasser-kamen']);
  t.same(names(await search({ fq: '+tags:Ruhrwasser -(organization:unna OR organization:boenen)' })), ['wasser-kamen']);
  t.equal((await search({ fq: 'tags:Ruhrwasser metadata_modified:[NOW-1DAY TO NOW]' })).count, 2, 'modified within the last day');
  t.equal((await search({ fq: 'tags:Ruhrwasser metadata_modified:[* TO NOW-1DAY]' })).count, 0);
  t.equal((await search({ fq: 'tags:Ruhrwasser metadata_created:[2000-01-01T00:00:00Z TO NOW/DAY+1DAY}' })).count, 2);
  t.equal((await search({ fq: 'tags:Ruhrwasser metadata_created:{NOW TO *]' })).count, 0, 'nothing is created in the future');
  t.same(names(await search({ fq: 'tags:Ruhrwass*', sort: 'name asc' })), ['wasser-kamen', 'wasser-unna']);
  t.same(names(await search({ fq: 'name:wasser-?amen' })), ['wasser-kamen']);
  // Plain q is DisMax in CKAN (no wildcards); with a field it is Lucene syntax, where prefixes work.
  t.same(names(await search({ q: 'text:Wasserqual* tags:Ruhrwasser' })), ['wasser-unna'], 'a prefix in the text field');
  t.same(names(await search({ fq: '(res_format:"GeoJSON" OR res_format:"application/geo+json") tags:Ruhrwasser' })), ['wasser-unna']);
});

t.test('sort', async (t) => {
  const by = async (sort: string) => names(await search({ fq: 'tags:Ruhrwasser', sort }));
  t.same(await by('title_string asc'), ['wasser-kamen', 'wasser-unna'], 'Trinkwasser Kamen before Wasserqualität');
  t.same(await by('title_string desc'), ['wasser-unna', 'wasser-kamen']);
  t.same(await by('metadata_created asc'), ['wasser-unna', 'wasser-kamen']);
  t.same(await by('metadata_created desc, name asc'), ['wasser-kamen', 'wasser-unna']);
  t.same(await by('name desc'), ['wasser-unna', 'wasser-kamen']);
  t.same(await by('views_recent desc, name asc'), ['wasser-kamen', 'wasser-unna'], 'popularity is not tracked: a no-op key');
  const r = await search({ fq: 'tags:Ruhrwasser', sort: 'title_string asc' });
  t.equal(r.sort, 'title_string asc', 'the sort is echoed');
});

t.test('facets: formats and licences by the names dicts carry, mincount', async (t) => {
  const r = await search({ fq: 'tags:Ruhrwasser', 'facet.field': ['res_format', 'license_id'], rows: 0 }, 'POST');
  t.same(r.facets.res_format, { CSV: 1, JSON: 1, GeoJSON: 1 });
  t.same(
    r.search_facets.res_format.items.map((i) => i.name),
    ['JSON', 'GeoJSON', 'CSV'],
  );
  t.same(r.facets.license_id, { 'dl-by-de/2.0': 1, 'cc-zero': 1 });
  t.same(r.search_facets.license_id, {
    title: 'license_id',
    items: [
      { name: 'dl-by-de/2.0', display_name: 'Datenlizenz Deutschland Namensnennung 2.0', count: 1 },
      { name: 'cc-zero', display_name: 'Creative Commons CC Zero License (cc-zero)', count: 1 },
    ],
  });
  // A client filters by what a facet item names.
  for (const item of r.search_facets.res_format.items) t.ok((await search({ fq: `tags:Ruhrwasser res_format:"${item.name}"` })).count >= 1, item.name);
  const byOwner = await search({ fq: 'tags:Ruhrwasser', 'facet.field': '["owner_org"]', rows: 0 });
  const unnaId = (a.organization as { id: string }).id;
  t.equal(byOwner.facets.owner_org[unnaId], 1, 'owner_org facets name organizations by id, as CKAN indexes owner_org');
  t.match(byOwner.search_facets.owner_org.items, [{ name: String, display_name: 'Stadt Kamen' }, { name: unnaId, display_name: 'Kreisstadt Unna' }]);
  const min = await search({ fq: 'tags:Ruhrwasser', 'facet.field': '["organization","tags"]', 'facet.mincount': 2, rows: 0 });
  t.same(min.facets, { organization: {}, tags: { Ruhrwasser: 2 } }, 'values below mincount are left out');
});

t.test('include_private and include_drafts follow the roles', async (t) => {
  const priv = async (token: string | null) => (await search({ q: 'name:geheim', include_private: 'true' }, 'GET', token)).count;
  t.equal(await priv(member), 1, 'members of the organization see its private datasets');
  t.equal(await priv(editor), 1);
  t.equal(await priv(outsider), 0, 'other organizations do not');
  t.equal((await search({ q: 'name:geheim' }, 'GET', member)).count, 0, 'not without include_private');
  const drafts = async (token: string | null, flag: boolean) => (await search({ q: 'name:entwurf', ...(flag ? { include_drafts: true } : {}) }, 'POST', token)).count;
  t.equal(await drafts(editor, true), 1, "editors see their organization's drafts with include_drafts");
  t.equal(await drafts(editor, false), 0, 'not without it');
  t.equal(await drafts(null, true), 0, 'anonymous never');
  t.equal(await drafts(outsider, true), 0, 'other organizations never');
  t.equal(await drafts(ADMIN_TOKEN, true), 1, 'sysadmins all');
});

t.test('fl picks the fields of each result', async (t) => {
  const r = await search({ fq: 'tags:Ruhrwasser', fl: 'id,name', sort: 'name asc' });
  t.same(Object.keys(r.results[0]).sort(), ['id', 'name']);
  t.same(names(r), ['wasser-kamen', 'wasser-unna']);
  const list = await search({ fq: 'tags:Ruhrwasser', fl: ['name', 'num_resources'], sort: 'name asc' }, 'POST');
  t.same(list.results, [
    { name: 'wasser-kamen', num_resources: 1 },
    { name: 'wasser-unna', num_resources: 2 },
  ]);
});

t.test('rows above 1000 are capped, not refused', async (t) => {
  const r = await search({ rows: 5000 });
  t.equal(r.results.length, 1000);
});

t.test('errors as CKAN answers them', async (t) => {
  const unknown = await call(app, 'package_search', { foo: 'bar' }, { method: 'GET' });
  t.equal(unknown.status, 400);
  t.same(unknown.body.error, { __type: 'Search Query Error', message: `Search Query is invalid: ("Invalid search parameters: ['foo']",)` });
  const noDirection = await call(app, 'package_search', { sort: 'metadata_modified' }, { method: 'GET' });
  t.equal(noDirection.status, 400);
  t.equal(noDirection.body.error?.__type, 'Search Query Error');
  const badField = await call(app, 'package_search', { sort: 'colour asc' }, { method: 'GET' });
  t.equal(badField.status, 409);
  t.equal(badField.body.error?.__type, 'Search Error');
  const broken = await call(app, 'package_search', { fq: 'metadata_modified:[broken TO' }, { method: 'GET' });
  t.equal(broken.status, 409);
  t.equal(broken.body.error?.__type, 'Search Error');
  t.match(broken.body.error?.message, /metadata_modified/, 'the message names the term');
  const unknownField = await call(app, 'package_search', { fq: 'colour:blue' }, { method: 'GET' });
  t.equal(unknownField.status, 409);
  t.match(unknownField.body.error?.message, /colour/);
  const local = await call(app, 'package_search', { q: '{!lucene}x' }, { method: 'GET' });
  t.equal(local.status, 409);
  const rows = await call(app, 'package_search', { rows: -1 }, { method: 'GET' });
  t.equal(rows.status, 409);
  t.same(rows.body.error, { __type: 'Validation Error', rows: ['Must be a natural number'] });
  const facetField = await call(app, 'package_search', { 'facet.field': 'organization' }, { method: 'GET' });
  t.equal(facetField.status, 409);
  t.same(facetField.body.error?.['facet.field'], ['Could not parse as valid JSON', 'Not a list']);
  const bool = await call(app, 'package_search', { include_private: 'maybe' }, { method: 'GET' });
  t.equal(bool.status, 409);
});

t.test('paging with rows/start sees every dataset exactly once', async (t) => {
  const seen = new Map<string, number>();
  for (let start = 0; ; start += 250) {
    const page = await search({ rows: 250, start, sort: 'metadata_modified desc' }, 'POST');
    if (!page.results.length) break;
    for (const r of page.results) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  }
  t.equal(seen.size, N + 2);
  t.ok([...seen.values()].every((n) => n === 1), 'no dataset twice');
});

t.test("ckanext-harvest's CKAN harvester: id asc pages of 100, then an incremental run", async (t) => {
  const bodies: string[] = [];
  const ids = new Set<string>();
  for (let start = 0; ; start += 100) {
    const r = await call(app, 'package_search', { rows: '100', start: String(start), sort: 'id asc' }, { method: 'GET', token: null });
    t.equal(r.status, 200);
    bodies.push(r.raw);
    const results = (r.body.result as SearchResult).results;
    if (!results.length) break;
    for (const x of results) ids.add(x.id);
  }
  t.equal(ids.size, N + 2, 'the full run gets every public dataset');
  t.ok(bodies.every((b, i) => i === 0 || b !== bodies[i - 1]), 'no two consecutive pages are the same (the harvester aborts on that)');

  // The harvester asks for changes since its last run minus an hour, in Python isoformat with microseconds.
  // The window below reaches a second back: the datasets this file wrote first must lie before it,
  // which on a fast machine they did not (the whole file ran within that second).
  await new Promise((r) => setTimeout(r, 1100));
  const since = new Date(Date.now() - 1000);
  await new Promise((r) => setTimeout(r, 20));
  await result(app, 'package_patch', { id: 'bald-offen', private: false });
  await result(app, 'package_patch', { id: 'wasser-kamen', notes: 'geändert' });
  const range = `metadata_modified:[${since.toISOString().replace('Z', '000Z')} TO *]`;
  const incremental = async (fq: string) => {
    const got: SearchResult['results'] = [];
    for (let start = 0; ; start += 100) {
      const page = await search({ fq, rows: '100', start: String(start), sort: 'id asc' }, 'GET', null);
      if (!page.results.length) return got;
      got.push(...page.results);
    }
  };
  const changed = await incremental(range);
  t.same(changed.map((r) => r.name).sort(), ['bald-offen', 'wasser-kamen'], 'exactly the changed datasets, including one that became public');
  t.same(changed.map((r) => r.id), changed.map((r) => r.id).sort(), 'in id order');
  for (const d of changed) {
    t.match(d.metadata_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/, 'naive UTC, as the harvester compares it');
    t.ok(new Date(`${d.metadata_modified}Z`) >= since);
  }
  // With remote_orgs / remote_groups and their exclusions the harvester adds terms, space-joined.
  t.same(names({ results: await incremental(`organization:boenen OR organization:kamen ${range}`) }), ['wasser-kamen']);
  t.same(names({ results: await incremental(`-organization:kamen ${range}`) }), ['bald-offen']);
  t.same(names({ results: await incremental(`groups:envi OR groups:gove -groups:tran ${range}`) }).sort(), ['bald-offen', 'wasser-kamen']);
  t.same(await incremental(`metadata_modified:[${new Date(Date.now() + 3_600_000).toISOString()} TO *]`), [], 'nothing changed: an empty answer');
});

t.test('package_list and current_package_list_with_resources', async (t) => {
  const names = await result<string[]>(app, 'package_list', { limit: 5, offset: 0 }, { method: 'GET' });
  t.equal(names.length, 5);
  t.same(names, [...names].sort());
  const all = await result<string[]>(app, 'package_list', {}, { method: 'GET' });
  t.equal(all.length, N + 3, 'the generated ones, wasser-unna, wasser-kamen and bald-offen (now public)');
  t.notOk(all.includes('geheim'), 'not private ones');
  t.notOk(all.includes('entwurf'), 'not drafts');
  const current = await result<{ name: string; resources: unknown[] }[]>(app, 'current_package_list_with_resources', { limit: 3 }, { method: 'GET' });
  t.equal(current.length, 3);
  t.equal(current[0].name, 'wasser-kamen', 'most recently modified first');
  const bad = await call(app, 'package_list', { limit: 'x' }, { method: 'GET' });
  t.equal(bad.status, 409);
  t.same(bad.body.error?.limit, ['Invalid integer']);
});

t.test('list answers are the bytes JSON.stringify gives the envelope, with its Content-Length', async (t) => {
  const facets = JSON.stringify(['organization', 'groups', 'res_format', 'license_id', 'tags']);
  for (const url of [
    `/api/3/action/package_search?q=Haltestellen&facet.field=${encodeURIComponent(facets)}&rows=20`,
    '/api/3/action/package_search?rows=1000',
    '/api/3/action/package_search?q=Wasserqualität&rows=5',
    '/api/3/action/current_package_list_with_resources?limit=50',
    '/api/3/action/package_search?fl=name,title&rows=30',
  ]) {
    const r = await app.inject({ url });
    t.equal(r.statusCode, 200);
    t.equal(r.headers['content-type'], 'application/json;charset=utf-8');
    t.equal(Number(r.headers['content-length']), r.rawPayload.length);
    t.ok(r.rawPayload.equals(Buffer.from(JSON.stringify(JSON.parse(r.body)))), url);
  }
});
