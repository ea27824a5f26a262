import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed.js';
import { loadConfig } from '../../src/config/index.js';
import { organizations } from '../../src/db/schema.js';
import { pgliteVersion, templateFor, writeTemplate } from '../../src/db/pglite-template.js';

/** A new embedded data folder from the build's template: the same database as after initdb and migrations, without initdb. */

const dir = mkdtempSync(join(tmpdir(), 'catalog-template-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const template = join(dir, 'template.tar.gz');
await writeTemplate(template);
const config = loadConfig({ LOG_LEVEL: 'silent' });

async function start(dataDir: string, pgliteTemplate: string | false) {
  const database = await connect({ dataDir, pgliteTemplate });
  await runMigrations(database);
  await seed(database.db, config);
  return database;
}

async function tables(db: Awaited<ReturnType<typeof start>>['db']): Promise<string> {
  const res = await db.execute(sql`select string_agg(table_name, ',' order by table_name) as t from information_schema.tables where table_schema = 'public'`);
  return (res as unknown as { rows: { t: string }[] }).rows[0].t;
}

t.test('a new data folder from the template has the schema, the seed and stays after a restart', async (t) => {
  const fromTemplate = join(dir, 'a');
  const fresh = await connect({ dataDir: fromTemplate, pgliteTemplate: template });
  t.match(await tables(fresh.db), /datasets/, 'migrated before any migration ran: made from the template, not by initdb');
  await fresh.close();
  const db1 = await start(fromTemplate, template);
  const viaInitdb = join(dir, 'b');
  const db2 = await start(viaInitdb, false);
  t.equal(await tables(db1.db), await tables(db2.db), 'the same tables as a folder made by initdb and the migrations');
  t.equal((await db1.db.select().from(organizations)).length, 11);
  await db1.db.execute(sql`update organizations set title = 'kept' where name = 'unna'`);
  await db1.close();
  await db2.close();

  // A folder that exists is opened, never replaced by the template.
  const again = await start(fromTemplate, template);
  const [unna] = await again.db.select().from(organizations).where(sql`name = 'unna'`);
  t.equal(unna.title, 'kept');
  await again.close();
});

t.test('the template is ignored for a folder with data, or when another PGlite version made it', async (t) => {
  const used = join(dir, 'a', 'pgdata');
  t.ok(existsSync(used));
  t.equal(templateFor(used, template), undefined);
  t.type(templateFor(join(dir, 'new', 'pgdata'), template), Blob);
  const other = join(dir, 'other.tar.gz');
  writeFileSync(other, 'x');
  writeFileSync(`${other}.json`, JSON.stringify({ pgliteVersion: '0.0.1' }));
  t.equal(templateFor(join(dir, 'new', 'pgdata'), other), undefined);
});

t.test('a broken template falls back to initdb', async (t) => {
  const broken = join(dir, 'broken.tar.gz');
  writeFileSync(broken, 'not a tarball');
  writeFileSync(`${broken}.json`, JSON.stringify({ pgliteVersion: pgliteVersion() }));
  const db = await start(join(dir, 'c'), broken);
  t.equal((await db.db.select().from(organizations)).length, 11);
  await db.close();
});
