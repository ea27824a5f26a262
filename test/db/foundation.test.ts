import t from 'tap';
import { sql } from 'drizzle-orm';
import { testApp } from '../helpers/app.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed.js';
import { organizations, users, apiTokens } from '../../src/db/schema.js';
import { hashToken } from '../../src/auth/tokens.js';
import { executePrepared, rowsOf } from '../../src/db/client.js';

const ctx = await testApp();
t.teardown(() => ctx.close());
const { db } = ctx.db.database;

t.test('the eleven partner organizations are seeded with their geocoding', async (t) => {
  const orgs = await db.select().from(organizations).orderBy(organizations.name);
  t.equal(orgs.length, 11);
  const kreis = orgs.find((o) => o.name === 'kreis-unna');
  t.equal(kreis?.politicalGeocodingUri, 'http://dcat-ap.de/def/politicalGeocoding/districtKey/05978');
  t.equal(kreis?.politicalGeocodingLevelUri, 'http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict');
  const werne = orgs.find((o) => o.title === 'Stadt Werne');
  t.equal(werne?.ags, '05978040');
  t.equal(werne?.politicalGeocodingUri, 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978040');
  const boenen = orgs.find((o) => o.ags === '05978008');
  t.equal(boenen?.title, 'Gemeinde Bönen');
});

t.test('seeding and migrating again change nothing, and keep operator edits', async (t) => {
  await db.update(organizations).set({ title: 'Kreisstadt Unna (edited)' }).where(sql`name = 'unna'`);
  await runMigrations(ctx.db.database, ctx.db.url);
  await seed(db, ctx.config);
  const orgs = await db.select().from(organizations);
  t.equal(orgs.length, 11);
  t.equal(orgs.find((o) => o.name === 'unna')?.title, 'Kreisstadt Unna (edited)');
  const admins = await db.select().from(users).where(sql`name = 'admin'`);
  t.equal(admins.length, 1);
});

t.test('BOOTSTRAP_ADMIN_TOKEN gives a sysadmin exactly that token, stored hashed', async (t) => {
  const [admin] = await db.select().from(users).where(sql`name = 'admin'`);
  t.ok(admin.sysadmin);
  const tokens = await db.select().from(apiTokens).where(sql`user_id = ${admin.id} and revoked_at is null`);
  t.equal(tokens.length, 1);
  t.equal(tokens[0].tokenHash, hashToken(ctx.config.bootstrapAdminToken!));
  t.not(tokens[0].tokenHash, ctx.config.bootstrapAdminToken);

  const other = 'another-bootstrap-token-' + 'y'.repeat(40);
  await seed(db, { ...ctx.config, bootstrapAdminToken: other });
  const active = await db.select().from(apiTokens).where(sql`user_id = ${admin.id} and revoked_at is null`);
  t.same(active.map((x) => x.tokenHash), [hashToken(other)], 'the old bootstrap token is revoked');
  await seed(db, ctx.config);
});

t.test('German full-text search stems and weights title over description', async (t) => {
  const [org] = await db.select().from(organizations).limit(1);
  const insert = (id: string, name: string, title: string, description: string) =>
    db.execute(sql`insert into datasets (id, name, uri, organization_id, title, description, doc)
      values (${id}, ${name}, ${'http://x/' + name}, ${org.id}, ${title}, ${description}, '{}'::jsonb)`);
  await insert('00000000-0000-4000-8000-000000000001', 'a', 'Haltestellen des Nahverkehrs', 'Liste');
  await insert('00000000-0000-4000-8000-000000000002', 'b', 'Liste', 'Alle Haltestellen im Kreis');
  const result: unknown = await db.execute(sql`select name from datasets
    where search @@ websearch_to_tsquery('german', 'Haltestelle')
    order by ts_rank(search, websearch_to_tsquery('german', 'Haltestelle')) desc`);
  const rows = (Array.isArray(result) ? result : (result as { rows: { name: string }[] }).rows) as { name: string }[];
  const names = rows.map((r) => r.name);
  t.same(names, ['a', 'b'], 'singular finds plural; title match ranks first');
  await db.execute(sql`delete from datasets`);
});

t.test('a statement run again and again (prepared once per connection) answers each run for its own parameters', async (t) => {
  const text = 'SELECT $1::int * 2 AS n, $2::text AS s';
  // Past the five runs after which PostgreSQL may keep a generic plan.
  for (let i = 0; i < 8; i++) t.same(rowsOf(await executePrepared(db, text, [i, `run ${i}`])), [{ n: i * 2, s: `run ${i}` }]);
  const failing = 'SELECT 1 / $1::int AS n';
  const err = await executePrepared(db, failing, [0]).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(String((err as { cause?: unknown } | undefined)?.cause ?? err), /division by zero/, 'a failing run fails');
  t.same(rowsOf(await executePrepared(db, failing, [4])), [{ n: 0 }], 'and the statement runs again after it');
  await db.transaction(async (tx) => {
    t.same(rowsOf(await executePrepared(tx, text, [21, 'in a transaction'])), [{ n: 42, s: 'in a transaction' }]);
  });
});
