import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import pg from 'pg';
import { projectPath } from '../util/paths.js';
import type { Database } from './client.js';

const migrationsFolder = projectPath('migrations');
// Any constant works; it only has to be the same in every instance.
const MIGRATION_LOCK_KEY = 7_405_978;

/**
 * Applies pending migrations in one transaction (drizzle's migrator), so a
 * failing migration leaves the schema as it was. On PostgreSQL an advisory
 * lock keeps instances that start together from migrating twice.
 */
export async function runMigrations(database: Database, databaseUrl?: string, folder = migrationsFolder): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const db = drizzlePg({ client });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePg(db, { migrationsFolder: folder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await client.end();
  }
}
