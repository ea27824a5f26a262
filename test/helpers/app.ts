import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { connect, type Database } from '../../src/db/client.js';

/** PostgreSQL server for the suite; unset means the embedded PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

export interface TestDb {
  url?: string;
  database: Database;
  drop(): Promise<void>;
}

/**
 * A clean database for one test file: a freshly created PostgreSQL database
 * when TEST_DATABASE_URL is set, else an in-memory PGlite.
 */
export async function freshDatabase(): Promise<TestDb> {
  if (!TEST_DATABASE_URL) {
    const database = await connect({ memory: true });
    return { database, drop: () => database.close() };
  }
  const name = `catalog_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await connect({ databaseUrl: url, poolSize: 5 });
  return {
    url,
    database,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export const ADMIN_TOKEN = 'test-admin-token-' + 'x'.repeat(40);

export function testConfig(env: Record<string, string> = {}, url?: string): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://catalog.test',
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    ...(url ? { DATABASE_URL: url } : {}),
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  config: Config;
  close(): Promise<void>;
}

/** The whole service on a clean database, for fastify.inject. */
export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  const config = testConfig(env, db.url);
  const app = await buildApp(config, { database: db.database });
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
