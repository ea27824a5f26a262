import t from 'tap';
import { eq, sql, type SQL } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { systemActor } from '../../src/auth/actor.js';
import { createDataset, getDataset } from '../../src/catalog/datasets.js';
import { searchDatasets } from '../../src/catalog/search.js';
import { datasets, distributions, revisions } from '../../src/db/schema.js';
import { generateDatasets } from '../../bench/lib/generator.js';
import { bulkLoad, uuidFromName } from '../../bench/lib/load.js';

const ctx = await testApp();
t.teardown(() => ctx.close());
const db = ctx.app.ctx.database.db;
const config = ctx.config;
const actor = systemActor('cli');
const rows = async <T>(q: SQL) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
const countOf = async (q: SQL) => (await rows<{ n: number }>(q))[0].n;

const N = 120;
const docs = [...generateDatasets(N, 7)];
const loaded = await bulkLoad(db, docs, { config, actor, batchSize: 50, validation: 'full' });

t.test('loads every document with its distributions and a first revision', async (t) => {
  t.equal(loaded.datasets, N);
  const x = await countOf(sql`SELECT count(*)::int AS n FROM distributions`);
  t.equal(await countOf(sql`SELECT count(*)::int AS n FROM datasets`), N);
  t.equal(x, loaded.distributions);
  t.equal(x, docs.reduce((s, doc) => s + (doc.distribution?.length ?? 0), 0));
  t.equal(await countOf(sql`SELECT count(*)::int AS n FROM revisions WHERE revision = 1 AND action = 'create'`), N);
});

t.test('ids are stable: the same name gives the same id', async (t) => {
  const stored = await getDataset(db, actor, docs[0].name);
  t.equal(stored.id, uuidFromName(docs[0].name));
  t.match(stored.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

// Row fields that differ between two writes of one document by nature: identity and time.
const VOLATILE = new Set(['id', 'name', 'uri', 'metadataCreated', 'metadataModified', 'datasetId', 'createdAt']);
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => comparable(v));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.has(k) && k !== '@id').map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}

t.test('writes exactly the rows createDataset writes for the same document', async (t) => {
  for (const [i, doc] of docs.slice(0, 5).entries()) {
    const viaCreate = await createDataset(db, config, actor, { ...doc, name: `via-create-${i}` });
    const bulkId = uuidFromName(doc.name);
    const [a] = await db.select().from(datasets).where(eq(datasets.id, bulkId));
    const [b] = await db.select().from(datasets).where(eq(datasets.id, viaCreate.id));
    t.same(comparable(a), comparable(b), `dataset row of ${doc.name}`);
    const [sa] = await rows<{ s: string }>(sql`SELECT search::text AS s FROM datasets WHERE id = ${bulkId}`);
    const [sb] = await rows<{ s: string }>(sql`SELECT search::text AS s FROM datasets WHERE id = ${viaCreate.id}`);
    t.equal(sa.s, sb.s, 'same search vector');
    const da = await db.select().from(distributions).where(eq(distributions.datasetId, bulkId)).orderBy(distributions.position);
    const dbb = await db.select().from(distributions).where(eq(distributions.datasetId, viaCreate.id)).orderBy(distributions.position);
    t.same(comparable(da), comparable(dbb), 'distribution rows');
    const [ra] = await db.select().from(revisions).where(eq(revisions.datasetId, bulkId));
    const [rb] = await db.select().from(revisions).where(eq(revisions.datasetId, viaCreate.id));
    t.same(comparable({ ...ra, id: 0 }), comparable({ ...rb, id: 0 }), 'revision row');
  }
});

t.test('a loaded catalog answers searches, and stemming pairs find the same datasets', async (t) => {
  const anon = { userId: null, userName: null, tokenLabel: null, sysadmin: false, roles: new Map(), face: 'rest' as const };
  const count = async (text: string) => (await searchDatasets(db, anon, { text, limit: 0 })).count;
  for (const [a, b] of [
    ['Haltestelle', 'Haltestellen'],
    ['Schule', 'Schulen'],
    ['Kindergarten', 'Kindergärten'],
  ]) {
    const n = await count(a);
    t.ok(n > 0, `${a}: ${n}`);
    t.equal(await count(b), n, `${b} finds what ${a} finds`);
  }
  const r = await searchDatasets(db, anon, { limit: 5, facets: { fields: ['organization', 'groups', 'res_format', 'license_id'], limit: 50, mincount: 1 } });
  t.ok((r.facets?.organization?.length ?? 0) > 5);
});

t.test('an unknown organization is refused before anything is written', async (t) => {
  const before = await countOf(sql`SELECT count(*)::int AS n FROM datasets`);
  const bad = { ...docs[0], name: 'unknown-org-doc', organization: 'nowhere' };
  await t.rejects(bulkLoad(db, [bad], { config, actor }), /unknown organization/);
  t.equal(await countOf(sql`SELECT count(*)::int AS n FROM datasets`), before);
});

t.test('an invalid document fails its whole batch', async (t) => {
  const before = await countOf(sql`SELECT count(*)::int AS n FROM datasets`);
  const fresh = [...generateDatasets(3, 99)].map((d, i) => ({ ...d, name: `batch-${i}` }));
  const broken = { ...fresh[2], title: { de: '' } };
  const err = (await bulkLoad(db, [fresh[0], fresh[1], broken], { config, actor, validation: 'full' }).then(
    () => undefined,
    (e: unknown) => e,
  )) as { status?: number } | undefined;
  t.equal(err?.status, 422, 'refused as invalid');
  t.equal(await countOf(sql`SELECT count(*)::int AS n FROM datasets`), before);
});
