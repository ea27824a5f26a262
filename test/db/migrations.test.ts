import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { connect, DatabaseUnavailableError } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { projectPath } from '../../src/util/paths.js';
import { freshDatabase } from '../helpers/app.js';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows);

t.test('a failing migration leaves the schema as it was', async (t) => {
  const db = await freshDatabase();
  t.teardown(() => db.drop());
  await runMigrations(db.database, db.url);

  const folder = mkdtempSync(join(tmpdir(), 'migrations-'));
  cpSync(projectPath('migrations'), folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
  journal.entries.push({ idx: journal.entries.length, version: '7', when: Date.now() + 1000, tag: '9999_broken', breakpoints: true });
  writeFileSync(journalFile, JSON.stringify(journal));
  writeFileSync(
    join(folder, '9999_broken.sql'),
    'CREATE TABLE "half_done" ("id" integer);\n--> statement-breakpoint\nALTER TABLE "datasets" ADD COLUMN "x" nonexistent_type;',
  );

  await t.rejects(runMigrations(db.database, db.url, folder));
  const tables = rows<{ n: number }>(await db.database.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`));
  t.equal(tables[0].n, 0, 'the first statement of the failed migration was rolled back');
  const applied = rows<{ n: number }>(await db.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  t.equal(applied[0].n, journal.entries.length - 1, 'the failed migration is not recorded');
  // and the good migrations still apply cleanly afterwards
  await runMigrations(db.database, db.url);
});

t.test('an unreachable PostgreSQL is retried, then fails with a clear message', async (t) => {
  const warnings: unknown[] = [];
  const logger = { warn: (o: unknown) => warnings.push(o), error: () => undefined } as never;
  const err = await connect({ databaseUrl: 'postgres://nobody:secret@127.0.0.1:1/none', attempts: 3, logger }).catch((e: unknown) => e);
  t.type(err, DatabaseUnavailableError);
  t.match((err as Error).message, /not reachable after 3 attempts/);
  t.notMatch((err as Error).message, /secret/, 'the password is not logged');
  t.equal(warnings.length, 2, 'each failed attempt but the last is logged before retrying');
});

t.test('every GIN index of the searched tables keeps a short pending list', async (t) => {
  // Searches read a GIN index's whole pending list; migration 0007 bounds it (a new GIN index must too).
  const db = await freshDatabase();
  t.teardown(() => db.drop());
  await runMigrations(db.database, db.url);
  const gin = rows<{ name: string; options: string[] | null }>(
    await db.database.db.execute(sql`
      SELECT i.relname AS name, i.reloptions AS options FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class r ON r.oid = x.indrelid JOIN pg_am a ON a.oid = i.relam
      WHERE a.amname = 'gin' AND r.relname IN ('datasets', 'dataset_search') ORDER BY 1`),
  );
  t.equal(gin.length, 7, 'six on datasets, one on dataset_search');
  for (const g of gin) t.same(g.options, ['gin_pending_list_limit=64'], g.name);
});
