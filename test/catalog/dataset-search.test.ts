import t, { type Test } from 'tap';
import { sql } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { searchReaders } from '../helpers/readers.js';
import { createDataset, patchDataset, purgeDataset, withdrawDataset } from '../../src/catalog/datasets.js';
import { searchDatasets } from '../../src/catalog/search.js';
import { countCodes } from '../../src/catalog/search-keys.js';
import { anonymous, systemActor } from '../../src/auth/actor.js';
import { datasets } from '../../src/db/schema.js';
import type { Filter, SearchQuery } from '../../src/catalog/query.js';

/**
 * Free-text searches whose facets, filter and sort the dataset_search table
 * covers read their matches there; adding a filter it does not cover (every
 * dataset here has keywords, so it matches all) answers the same search over
 * the datasets table. After every kind of write both must agree — page,
 * total, facets and cursor — for every kind of reader, and the table must
 * equal a copy made from the datasets.
 */

const ta = await testApp();
t.teardown(() => ta.close());
const db = ta.db.database.db;
const config = ta.config;
const sys = systemActor('cli');

const FT = 'http://publications.europa.eu/resource/authority/file-type/';
const DL_BY = 'http://dcat-ap.de/def/licenses/dl-by-de/2.0';
const CC0 = 'http://dcat-ap.de/def/licenses/cc-zero';
const theme = (c: string) => `http://publications.europa.eu/resource/authority/data-theme/${c}`;
const ORGS = ['unna', 'kamen', 'werne'];

const names: string[] = [];
for (let i = 0; i < 45; i++) {
  const d = await createDataset(db, config, sys, {
    title: i % 4 === 0 ? `Haltestellen im Kreis ${i}` : `Zählung ${i}`,
    description: i % 3 === 0 ? 'Standorte der Schulen und Haltestellen' : 'Daten der Verwaltung',
    organization: ORGS[i % 3],
    keyword: [`k${i % 4}`],
    theme: i % 5 === 0 ? [theme('TRAN'), theme('EDUC')] : [theme(i % 2 ? 'GOVE' : 'TRAN')],
    private: i % 7 === 1,
    distribution: [
      { accessURL: [`https://example.org/${i}`], format: `${FT}${i % 3 ? 'CSV' : 'JSON'}`, license: i % 4 ? DL_BY : CC0 },
      ...(i % 6 === 0 ? [{ accessURL: [`https://example.org/${i}/b`], format: `${FT}XML`, license: CC0 }] : []),
    ],
  });
  names.push(d.name);
}

const readers = await searchReaders(db);
const TEXTS = ['Haltestelle', 'Schulen -Zählung', '"Daten der Verwaltung"', 'Haltestellen OR Verwaltung', 'nirgends'];
const FILTERS: (Filter | undefined)[] = [undefined, { op: 'eq', field: 'organization', value: 'kamen' }, { op: 'not', filter: { op: 'eq', field: 'private', value: 'true' } }];
const EVERY: Filter = { op: 'exists', field: 'keyword' };
/** package_search's default order; its second key is kept in the table too. */
const CKAN_ORDER: SearchQuery['sort'] = [
  { field: 'score', direction: 'desc' },
  { field: 'metadata_modified', direction: 'desc' },
];

async function compare(t: Test, when: string): Promise<void> {
  for (const [who, actor] of readers) {
    for (const text of TEXTS) {
      for (const filter of FILTERS) {
        for (const extra of [{}, { includePrivate: true, includeDrafts: true, includeDeleted: true }, { sort: CKAN_ORDER }]) {
          const q: SearchQuery = { text, limit: 4, facets: { fields: ['organization', 'groups', 'res_format', 'license_id'], limit: -1, mincount: 1 }, ...extra, ...(filter ? { filter } : {}) };
          const other: SearchQuery = { ...q, filter: { op: 'and', filters: [filter ?? { op: 'all' }, EVERY] } };
          const what = `${when}: ${who}, ${text}, ${JSON.stringify(filter ?? 'all')} ${JSON.stringify(extra)}`;
          const keyed = await searchDatasets(db, actor, q);
          t.same(keyed, await searchDatasets(db, actor, other), what);
          if (keyed.nextCursor) t.same(await searchDatasets(db, actor, { ...q, cursor: keyed.nextCursor }), await searchDatasets(db, actor, { ...other, cursor: keyed.nextCursor }), `${what}, page 2`);
        }
      }
    }
  }
}

t.test('after creates', async (t) => {
  const halt = await searchDatasets(db, anonymous('rest'), { text: 'Haltestelle', limit: 100, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } });
  t.ok(halt.count > 0 && halt.results.length === halt.count, 'the search finds something');
  t.equal(halt.facets?.organization?.reduce((n, f) => n + f.count, 0), halt.count, 'every match counted once per organization');
  await compare(t, 'created');
});

t.test('after updates, privacy and organization changes, withdrawals and purges', async (t) => {
  await patchDataset(db, config, sys, names[0], { title: 'Nur noch Verwaltung' });
  await patchDataset(db, config, sys, names[2], { private: true, theme: [theme('ENVI')] });
  await patchDataset(db, config, sys, names[3], { organization: 'werne', description: 'Neue Haltestellen' });
  await withdrawDataset(db, sys, names[4]);
  await withdrawDataset(db, sys, names[5]);
  await purgeDataset(db, sys, names[5]);
  await purgeDataset(db, sys, names[6]);
  await db.update(datasets).set({ state: 'draft' }).where(sql`${datasets.name} = ${names[8]}`);
  await compare(t, 'changed');
});

t.test('a write that fails leaves the table as it was', async (t) => {
  const q: SearchQuery = { text: 'Zurückgerollt', limit: 5, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } };
  // A format no dataset has yet: its key is added to the dictionary in the transaction that rolls back.
  const doc = { title: 'Zurückgerollt', description: 'x', organization: 'unna', keyword: ['k'], distribution: [{ accessURL: ['https://example.org/r'], format: `${FT}GEOJSON` }] };
  await t.rejects(
    db.transaction(async (tx) => {
      await createDataset(tx, config, sys, doc);
      t.same((await searchDatasets(tx, sys, q)).facets?.res_format, [{ name: 'GEOJSON', count: 1 }], 'the transaction sees its own new key');
      throw new Error('roll back');
    }),
  );
  t.equal((await searchDatasets(db, sys, q)).count, 0);
  await createDataset(db, config, sys, doc);
  t.same((await searchDatasets(db, sys, q)).facets?.res_format, [{ name: 'GEOJSON', count: 1 }], 'the key is counted once it is committed');
  await compare(t, 'rolled back, then written');
});

t.test('two writers bringing the same new key at once both get its code', { skip: ta.db.database.kind !== 'postgres' && 'needs two connections' }, async (t) => {
  // The first transaction adds the key and waits; the second, started meanwhile, finds it missing
  // from its snapshot, blocks on the key until the first commits, and must then use that code.
  const doc = (i: number) => ({ title: `Gleichzeitig ${i}`, description: 'x', organization: 'kamen', keyword: ['k'], distribution: [{ accessURL: [`https://example.org/c${i}`], format: `${FT}ODS` }] });
  let added!: () => void;
  const firstAdded = new Promise<void>((r) => (added = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const first = db.transaction(async (tx) => {
    await createDataset(tx, config, sys, doc(1));
    added();
    await held;
  });
  await firstAdded;
  const second = db.transaction((tx) => createDataset(tx, config, sys, doc(2)));
  setTimeout(release, 300);
  await Promise.all([first, second]);
  const q: SearchQuery = { text: 'Gleichzeitig', limit: 5, facets: { fields: ['res_format'], limit: -1, mincount: 1 } };
  t.same((await searchDatasets(db, sys, q)).facets?.res_format, [{ name: 'ODS', count: 2 }]);
});

t.test('the table equals a copy of the datasets', async (t) => {
  const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
  const table = sql`SELECT s.id, s.organization_id, s.private, s.state, s.search, s.metadata_modified FROM dataset_search s`;
  const copy = sql`SELECT d.id, d.organization_id, d.private, d.state, d.search, d.metadata_modified FROM datasets d`;
  t.same(rows(await db.execute(sql`(${table} EXCEPT ${copy}) UNION ALL (${copy} EXCEPT ${table})`)), []);
  // The packed codes, read back through the dictionary, are the keys of each dataset.
  const dict = new Map(rows(await db.execute(sql`SELECT code, key FROM search_keys`)).map((r) => [Number(r.code), String(r.key)]));
  const packed = rows(await db.execute(sql`SELECT s.facet_codes AS codes, dataset_search_key_list(d.organization_id, d.themes, d.formats, d.licenses) AS keys FROM dataset_search s JOIN datasets d ON d.id = s.id`));
  t.ok(packed.length > 40);
  for (const r of packed) {
    const codes = r.codes instanceof Uint8Array ? r.codes : Buffer.from(String(r.codes).slice(2), 'hex');
    const keys = [...countCodes(codes)].flatMap(([c, n]) => Array<string>(n).fill(dict.get(c) ?? `?${c}`));
    t.same(keys.sort(), [...(r.keys as string[])].sort());
  }
  const n = rows(await db.execute(sql`SELECT (SELECT count(*) FROM dataset_search)::int AS s, (SELECT count(*) FROM datasets)::int AS d, (SELECT count(*) FROM search_keys)::int AS k, (SELECT count(DISTINCT key) FROM search_keys)::int AS dk`))[0];
  t.equal(n.s, n.d);
  t.equal(n.k, n.dk, 'one code per key');
});

t.test('codes of any size pack and unpack', async (t) => {
  const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
  const codes = [1, 127, 128, 300, 16383, 16384, 2_000_000, 127, 1];
  const [r] = rows(await db.execute(sql`SELECT dataset_search_pack(${`{${codes.join(',')}}`}::int[]) AS p`));
  const packed = r.p instanceof Uint8Array ? r.p : Buffer.from(String(r.p).slice(2), 'hex');
  t.equal(packed.length, 1 + 1 + 2 + 2 + 2 + 3 + 3 + 1 + 1, 'one byte below 128, two below 16384, three below 2^21');
  t.same([...countCodes(packed)].sort(([a], [b]) => a - b), [[1, 2], [127, 2], [128, 1], [300, 1], [16383, 1], [16384, 1], [2_000_000, 1]]);
});
