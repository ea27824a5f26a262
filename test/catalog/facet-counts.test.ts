import t from 'tap';
import { sql, type SQL } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { searchReaders } from '../helpers/readers.js';
import { createDataset, patchDataset, purgeDataset, withdrawDataset } from '../../src/catalog/datasets.js';
import { searchDatasets } from '../../src/catalog/search.js';
import { foldFacetCounts } from '../../src/catalog/facet-counts.js';
import { startCountFolding } from '../../src/catalog/count-folding.js';
import { rowsOf } from '../../src/db/client.js';
import { systemActor } from '../../src/auth/actor.js';
import { datasets } from '../../src/db/schema.js';
import type { Filter, SearchQuery } from '../../src/catalog/query.js';

/**
 * Searches without free text whose filter is a conjunction of organization,
 * state, private and one theme/format/licence value are answered from the
 * facet_counts table the triggers keep. Wrapping the same filter in a
 * one-element OR makes it a filter the table does not cover, so the same
 * search is answered over the matches: after every kind of write both must
 * agree, for every kind of reader.
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
for (let i = 0; i < 60; i++) {
  const d = await createDataset(db, config, sys, {
    title: `Zählung ${i}`,
    description: 'Daten der Verwaltung',
    organization: ORGS[i % 3],
    keyword: [`k${i % 4}`, `k${i % 7}`],
    theme: i % 5 === 0 ? [theme('TRAN'), theme('ENVI')] : [theme(i % 2 ? 'GOVE' : 'TRAN')],
    private: i % 9 === 1,
    distribution: [
      { accessURL: [`https://example.org/${i}`], format: `${FT}${i % 3 ? 'CSV' : 'JSON'}`, license: i % 4 ? DL_BY : CC0 },
      ...(i % 6 === 0 ? [{ accessURL: [`https://example.org/${i}/b`], format: `${FT}CSV`, license: CC0 }] : []),
    ],
  });
  names.push(d.name);
}

const readers = await searchReaders(db);

const FILTERS: (Filter | undefined)[] = [
  undefined,
  { op: 'eq', field: 'organization', value: 'kamen' },
  { op: 'eq', field: 'theme', value: 'tran' },
  { op: 'eq', field: 'format', value: 'CSV' },
  { op: 'eq', field: 'license', value: 'cc-zero' },
  { op: 'and', filters: [{ op: 'eq', field: 'organization', value: 'unna' }, { op: 'eq', field: 'theme', value: 'ENVI' }] },
  { op: 'and', filters: [{ op: 'eq', field: 'private', value: 'true' }, { op: 'eq', field: 'format', value: 'JSON' }] },
];

/** [answer from the table, answer over the matches, what] for every reader, filter and visibility option. */
async function answers(when: string, on: Parameters<typeof searchDatasets>[0] = db): Promise<[unknown, unknown, string][]> {
  const out: [unknown, unknown, string][] = [];
  for (const [who, actor] of readers) {
    for (const filter of FILTERS) {
      for (const extra of [{}, { includePrivate: true }, { includePrivate: true, includeDrafts: true, includeDeleted: true }]) {
        const fields: NonNullable<SearchQuery['facets']>['fields'] = filter ? ['organization', 'groups', 'res_format', 'license_id', 'political_geocoding'] : ['organization', 'groups', 'tags', 'res_format', 'license_id'];
        const q: SearchQuery = { limit: 3, facets: { fields, limit: -1, mincount: 1 }, ...extra, ...(filter ? { filter } : {}) };
        const table = await searchDatasets(on, actor, q);
        const live = await searchDatasets(on, actor, { ...q, filter: { op: 'or', filters: [filter ?? { op: 'all' }] } });
        out.push([table, live, `${when}: ${who}, ${JSON.stringify(filter ?? 'all')} ${JSON.stringify(extra)}`]);
      }
    }
  }
  return out;
}

t.test('after creates', async (t) => {
  for (const [table, live, what] of await answers('created')) t.same(table, live, what);
});

t.test('after updates, privacy and organization changes, withdrawals and purges', async (t) => {
  await patchDataset(db, config, sys, names[0], { title: 'Nur der Titel' });
  await patchDataset(db, config, sys, names[2], { private: true, theme: [theme('EDUC')] });
  await patchDataset(db, config, sys, names[3], { organization: 'werne', keyword: ['neu'] });
  await withdrawDataset(db, sys, names[4]);
  await withdrawDataset(db, sys, names[5]);
  await purgeDataset(db, sys, names[5]);
  await purgeDataset(db, sys, names[6]);
  await db.update(datasets).set({ state: 'draft' }).where(sql`${datasets.name} = ${names[7]}`);
  for (const [table, live, what] of await answers('changed')) t.same(table, live, what);
});

t.test('changes no fold has taken yet are counted: inside the writing transaction table and matches agree', async (t) => {
  const pending = async (tx: typeof db) => Number(rowsOf<{ n: number }>(await tx.execute(sql`SELECT count(*)::int AS n FROM facet_count_changes`))[0].n);
  await foldFacetCounts(db);
  const rolledBack = new Error('roll back');
  await t.rejects(
    db.transaction(async (tx) => {
      // A folding loop elsewhere cannot take changes this transaction has not committed.
      await createDataset(tx, config, sys, { title: 'Offen', description: 'x', organization: 'kamen', theme: [theme('ENVI')], keyword: ['offen'], distribution: [{ accessURL: ['https://example.org/o'], format: `${FT}JSON`, license: CC0 }] });
      await patchDataset(tx, config, sys, names[10], { private: true, theme: [theme('AGRI')] });
      await patchDataset(tx, config, sys, names[11], { title: 'Nur der Titel' });
      await withdrawDataset(tx, sys, names[12]);
      await purgeDataset(tx, sys, names[13]);
      t.equal(await pending(tx), 6, 'one change for the new row and the purged one, two for each row whose counted columns changed, none for a new title');
      for (const [table, live, what] of await answers('pending', tx)) t.same(table, live, what);
      throw rolledBack;
    }),
    rolledBack,
  );
});

t.test('a write that fails leaves the counts as they were', async (t) => {
  const before = await searchDatasets(db, sys, { limit: 0, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } });
  await t.rejects(
    db.transaction(async (tx) => {
      await createDataset(tx, config, sys, { title: 'Zurückgerollt', description: 'x', organization: 'unna', distribution: [{ accessURL: ['https://example.org/r'], format: `${FT}XML` }] });
      throw new Error('roll back');
    }),
  );
  t.same(await searchDatasets(db, sys, { limit: 0, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } }), before);
});

t.test('the table with its pending changes equals a recount; folding moves the changes into the table', async (t) => {
  const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
  const cols = sql`filter_field, filter_value, field, value, organization_id, private, state`;
  const recount = sql`SELECT k.filter_field, k.filter_value, k.field, k.value, d.organization_id, d.private, d.state, count(*)::int AS n FROM datasets d, facet_count_keys(d.themes, d.formats, d.licenses, d.geocoding, d.keywords) k GROUP BY 1, 2, 3, 4, 5, 6, 7`;
  const differs = async (counted: SQL) => rows(await db.execute(sql`(${counted} EXCEPT ${recount}) UNION ALL (${recount} EXCEPT ${counted})`));
  const expanded = sql`SELECT k.filter_field, k.filter_value, k.field, k.value, r.organization_id, r.private, r.state, r.n FROM facet_count_changes r, facet_count_keys(r.themes, r.formats, r.licenses, r.geocoding, r.keywords) k`;
  const withChanges = sql`SELECT ${cols}, sum(n)::int AS n FROM (SELECT ${cols}, n FROM facet_counts UNION ALL ${expanded}) x GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0`;
  await patchDataset(db, config, sys, names[14], { theme: [theme('EDUC')], organization: 'unna' });
  t.same(await differs(withChanges), [], 'table and changes together');
  // Two folds at once (on PostgreSQL on two connections) take disjoint changes.
  await Promise.all([foldFacetCounts(db), foldFacetCounts(db)]);
  t.equal(Number(rows(await db.execute(sql`SELECT count(*)::int AS n FROM facet_count_changes`))[0].n), 0, 'nothing left to fold');
  t.same(await differs(sql`SELECT ${cols}, n FROM facet_counts WHERE n <> 0`), [], 'the table alone');
});

t.test('the folding loop vacuums the changes it folded: their rows do not pile up where autovacuum does not come', async (t) => {
  const size = async () => Number(rowsOf<{ n: number }>(await db.execute(sql`SELECT pg_relation_size('facet_count_changes')::int AS n`))[0].n);
  const before = await searchDatasets(db, sys, { limit: 0, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } });
  for (let i = 0; i < 40; i++) {
    await createDataset(db, config, sys, { title: `Gefaltet ${i}`, description: 'x', organization: 'werne', distribution: [{ accessURL: [`https://example.org/f${i}`], format: `${FT}CSV` }] });
  }
  await foldFacetCounts(db);
  t.ok((await size()) > 0, 'a fold alone leaves the rows it deleted in the table');
  const folding = startCountFolding(db, { info() {}, warn() {} }, 10, 50);
  let bytes = await size();
  for (let waited = 0; bytes > 0 && waited < 10_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    bytes = await size();
  }
  await folding.stop();
  t.equal(bytes, 0, 'vacuumed: the emptied table has no pages left');
  const after = await searchDatasets(db, sys, { limit: 0, facets: { fields: ['organization', 'res_format'], limit: -1, mincount: 1 } });
  t.equal(after.count, before.count + 40, 'the counts hold the new datasets');
});

t.test('while writes go on, the loop vacuums after each fold: reads of counts expand a second of changes, not all that was folded', async (t) => {
  const size = async () => Number(rowsOf<{ n: number }>(await db.execute(sql`SELECT pg_relation_size('facet_count_changes')::int AS n`))[0].n);
  // No vacuum for want of writes in this test: only the ones after folds that moved rows.
  const folding = startCountFolding(db, { info() {}, warn() {} }, 20, 1e9);
  try {
    for (let i = 0; i < 30; i++) {
      await createDataset(db, config, sys, { title: `Laufend ${i}`, description: 'x', organization: 'werne', distribution: [{ accessURL: [`https://example.org/l${i}`], format: `${FT}CSV` }] });
    }
    let bytes = await size();
    for (let waited = 0; bytes > 0 && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      bytes = await size();
    }
    t.equal(bytes, 0, 'the fold of the last writes was followed by a vacuum that emptied the table');
  } finally {
    await folding.stop();
  }
});
