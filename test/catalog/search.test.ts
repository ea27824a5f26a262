import t from 'tap';
import { testApp } from '../helpers/app.js';
import { createDataset, withdrawDataset } from '../../src/catalog/datasets.js';
import { countDatasets, searchDatasets } from '../../src/catalog/search.js';
import { anonymous, systemActor, type Actor } from '../../src/auth/actor.js';
import { organizations } from '../../src/db/schema.js';
import type { SearchQuery } from '../../src/catalog/query.js';

const ta = await testApp();
t.teardown(() => ta.close());
const db = ta.db.database.db;
const config = ta.config;
const sys = systemActor('cli');
const anon = anonymous('rest');

const CSV = 'http://publications.europa.eu/resource/authority/file-type/CSV';
const JSON_F = 'http://publications.europa.eu/resource/authority/file-type/JSON';
const DL_BY = 'http://dcat-ap.de/def/licenses/dl-by-de/2.0';
const CC0 = 'http://dcat-ap.de/def/licenses/cc-zero';
const theme = (c: string) => `http://publications.europa.eu/resource/authority/data-theme/${c}`;
const ORGS = ['unna', 'kamen', 'werne'];
const N = 300;

for (let i = 0; i < N; i++) {
  await createDataset(db, config, sys, {
    title: i % 10 === 0 ? `Haltestellen des Busverkehrs ${i}` : `Datensatz Nummer ${i}`,
    description: i % 7 === 0 ? 'Standorte der Schulen im Kreisgebiet' : 'Allgemeine Verwaltungsdaten',
    organization: ORGS[i % 3],
    keyword: i % 2 === 0 ? ['gerade'] : ['ungerade'],
    theme: [theme(i % 4 === 0 ? 'TRAN' : 'GOVE')],
    private: i % 50 === 1,
    distribution: [{ accessURL: [`https://example.org/${i}`], format: i % 5 === 0 ? JSON_F : CSV, license: i % 3 === 0 ? CC0 : DL_BY }],
  });
}
const orgIds = new Map((await db.select().from(organizations)).map((o) => [o.name, o.id]));

const ids = async (actor: Actor, q: Partial<SearchQuery>) => (await searchDatasets(db, actor, { limit: 1000, ...q })).results.map((r) => r.name);

t.test('German full text with stemming and ranking', async (t) => {
  // "Haltestelle" finds "Haltestellen", "Schule" finds "Schulen".
  const halt = await searchDatasets(db, anon, { text: 'Haltestelle', limit: 100 });
  t.equal(halt.count, 30);
  t.ok(halt.results.every((r) => r.doc.title && JSON.stringify(r.doc.title).includes('Haltestellen')));
  const school = await searchDatasets(db, anon, { text: 'Schule', limit: 100 });
  t.ok(school.count > 0);
  t.ok(school.results.every((r) => JSON.stringify(r.doc.description).includes('Schulen')));
  const both = await searchDatasets(db, anon, { text: 'Haltestelle Schule', limit: 100 });
  t.ok(both.results.every((r) => JSON.stringify(r.doc).includes('Haltestellen') && JSON.stringify(r.doc).includes('Schulen')), 'websearch: all words');
  const excluded = await searchDatasets(db, anon, { text: 'Haltestelle -Schule', limit: 100 });
  t.equal(excluded.count, halt.count - both.count);
});

t.test('filters on the indexed columns', async (t) => {
  const count = (filter: SearchQuery['filter']) => countDatasets(db, sys, { filter, includePrivate: true });
  t.equal(await count({ op: 'eq', field: 'organization', value: 'unna' }), 100);
  t.equal(await count({ op: 'eq', field: 'theme', value: 'TRAN' }), 75);
  t.equal(await count({ op: 'eq', field: 'theme', value: 'tran' }), 75, 'CKAN group names are lower case');
  t.equal(await count({ op: 'eq', field: 'format', value: 'json' }), 60);
  t.equal(await count({ op: 'eq', field: 'license', value: CC0 }), 100);
  t.equal(await count({ op: 'eq', field: 'keyword', value: 'gerade' }), 150);
  t.equal(await count({ op: 'wildcard', field: 'keyword', value: 'unger*' }), 150);
  t.equal(await count({ op: 'eq', field: 'geocoding', value: 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978020' }), 100);
  t.equal(await count({ op: 'and', filters: [{ op: 'eq', field: 'organization', value: 'unna' }, { op: 'eq', field: 'theme', value: 'TRAN' }] }), 25);
  t.equal(await count({ op: 'or', filters: [{ op: 'eq', field: 'organization', value: 'unna' }, { op: 'eq', field: 'organization', value: 'kamen' }] }), 200);
  t.equal(await count({ op: 'not', filter: { op: 'eq', field: 'organization', value: 'unna' } }), 200);
  t.equal(await count({ op: 'all' }), N);
  t.equal(await count({ op: 'exists', field: 'keyword' }), N);
  t.equal(await count({ op: 'wildcard', field: 'name', value: 'haltestellen-*' }), 30);
  t.equal(await count({ op: 'range', field: 'metadata_modified', from: '2000-01-01', fromInclusive: true, toInclusive: true }), N);
  t.equal(await count({ op: 'range', field: 'metadata_modified', to: '2000-01-01', fromInclusive: true, toInclusive: true }), 0);
  t.match(await count({ op: 'range', field: 'metadata_modified', from: 'yesterday', fromInclusive: true, toInclusive: true }).catch((e: unknown) => e), { status: 400 }, 'a bad date is the client\'s error');
});

t.test('visibility', async (t) => {
  const priv = N / 50;
  t.equal(await countDatasets(db, anon, {}), N - priv, 'anonymous: public only');
  t.equal(await countDatasets(db, anon, { includePrivate: true }), N - priv, 'includePrivate gives anonymous nothing more');
  t.equal(await countDatasets(db, sys, { includePrivate: true }), N);
  const unnaMember: Actor = { ...anonymous('rest'), userId: '00000000-0000-0000-0000-000000000001', userName: 'm', roles: new Map([[orgIds.get('kamen') as string, 'member']]) };
  // private: i % 50 === 1 → i = 1, 51, ... ; organization ORGS[i % 3]
  const kamenPrivate = Array.from({ length: N }, (_, i) => i).filter((i) => i % 50 === 1 && ORGS[i % 3] === 'kamen').length;
  t.equal(await countDatasets(db, unnaMember, { includePrivate: true }), N - priv + kamenPrivate);
  const victim = (await searchDatasets(db, sys, { limit: 1, filter: { op: 'eq', field: 'name', value: 'datensatz-nummer-3' } })).results[0];
  await withdrawDataset(db, sys, victim.id);
  t.equal(await countDatasets(db, anon, {}), N - priv - 1, 'withdrawn: hidden');
  t.equal(await countDatasets(db, anon, { includeDeleted: true }), N - priv - 1, 'and not shown to anonymous even when asked');
  t.equal(await countDatasets(db, sys, { includeDeleted: true, includePrivate: true }), N);
});

t.test('cursor paging sees every result once, in order', async (t) => {
  for (const sort of [undefined, [{ field: 'title', direction: 'asc' }], [{ field: 'metadata_created', direction: 'asc' }, { field: 'name', direction: 'desc' }]] as SearchQuery['sort'][]) {
    const all = await ids(sys, { sort, includePrivate: true });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchDatasets(db, sys, { limit: 37, sort, cursor, includePrivate: true });
      seen.push(...page.results.map((r) => r.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    t.equal(seen.length, all.length, `${JSON.stringify(sort)}: count`);
    t.equal(new Set(seen).size, seen.length, 'no duplicates');
    t.same(seen, all, 'same order as one big page');
  }
  // Ranked text search pages too.
  const ranked = await ids(anon, { text: 'Schule' });
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchDatasets(db, anon, { text: 'Schule', limit: 5, cursor });
    seen.push(...page.results.map((r) => r.name));
    cursor = page.nextCursor;
  } while (cursor);
  t.same(seen, ranked);
  t.match(await searchDatasets(db, anon, { limit: 5, cursor: 'garbage' }).catch((e: unknown) => e), { status: 400, code: 'bad_request' }, 'a bad cursor is the client\'s error');
});

t.test('limit/offset and facets in one statement', async (t) => {
  const a = await ids(anon, { sort: [{ field: 'name', direction: 'asc' }] });
  const page = await searchDatasets(db, anon, { sort: [{ field: 'name', direction: 'asc' }], limit: 10, offset: 20 });
  t.same(page.results.map((r) => r.name), a.slice(20, 30));
  // datensatz-nummer-3 (GOVE, CSV) was withdrawn above.
  const f = await searchDatasets(db, sys, { limit: 0, includePrivate: true, facets: { fields: ['organization', 'groups', 'res_format', 'tags', 'license_id'], limit: 1, mincount: 1 } });
  t.equal(f.results.length, 0);
  t.equal(f.facets?.organization?.length, 1, 'facet limit');
  t.equal(f.facets?.organization?.[0].count, 100);
  t.same(f.facets?.groups, [{ name: 'gove', count: 224 }]);
  t.same(f.facets?.res_format, [{ name: 'CSV', count: 239 }]);
  const min = await searchDatasets(db, sys, { limit: 0, includePrivate: true, facets: { fields: ['res_format'], limit: 10, mincount: 100 } });
  t.same(min.facets?.res_format, [{ name: 'CSV', count: 239 }], 'mincount');
});
