import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../../src/config/index.js';
import { SESSION_OPTIONS, type Database, type Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed.js';

/** One statement as the driver received it, with when it was sent and answered (performance.now()). */
export interface Statement {
  text: string;
  params: unknown[];
  start: number;
  end: number;
}

/**
 * A benchmark database: the catalog's Database (the same drizzle setup as
 * src/db/client.ts) plus the raw driver underneath, for the baselines, and
 * a second drizzle instance on the same driver that records every statement
 * it sends, so a catalog function's SQL can be replayed raw.
 */
export interface BenchDb {
  kind: 'postgres' | 'pglite';
  label: string;
  url?: string;
  database: Database;
  /** Runs one statement on the raw driver (node-postgres or PGlite), no ORM. */
  raw(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Runs fn twice against one recording drizzle instance (kept across calls, so caches the
   * catalog keeps per database are as warm as in the service) and returns the statements
   * the second run sent.
   */
  record<T>(fn: (db: Db) => Promise<T>): Promise<{ result: T; statements: Statement[] }>;
  /** Closes, and drops the PostgreSQL database. */
  drop(): Promise<void>;
}

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * A driver whose queries are recorded: drizzle's logger sees a statement when it is
 * built, the driver when it is sent and answered, which is what a replay needs to run
 * the statements as concurrently as the catalog did.
 */
function recording<C extends { query: Query }>(client: C): { client: C; statements: Statement[] } {
  const statements: Statement[] = [];
  const query: Query = async (...args) => {
    const [first, second] = args;
    const text = typeof first === 'string' ? first : (first as { text: string }).text;
    const params = (Array.isArray(second) ? second : ((first as { values?: unknown[] }).values ?? [])) as unknown[];
    const s: Statement = { text, params, start: performance.now(), end: Infinity };
    statements.push(s);
    try {
      return await client.query(...args);
    } finally {
      s.end = performance.now();
    }
  };
  return { client: new Proxy(client, { get: (target, key) => (key === 'query' ? query : Reflect.get(target, key)) }), statements };
}

async function recordTwice<T>(statements: Statement[], run: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  await run();
  statements.length = 0;
  const result = await run();
  return { result, statements: statements.splice(0) };
}

export async function postgresBenchDb(baseUrl: string, size: number, config: Config): Promise<BenchDb> {
  const name = `catalog_bench_${size}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  // The service's own session settings, so catalog calls and their raw SQL run as in the service.
  const pool = new pg.Pool({ connectionString: url, options: SESSION_OPTIONS, max: 10 });
  // An idle connection is cut when the run drops its database: expected, not a crash.
  pool.on('error', () => undefined);
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const rec = recording(pool as unknown as { query: Query });
  const recDb = drizzlePg({ client: rec.client as unknown as pg.Pool, schema }) as unknown as Db;
  const database: Database = {
    db,
    kind: 'postgres',
    exec: async (script) => {
      await pool.query(script);
    },
    ping: async () => true,
    close: () => pool.end(),
  };
  await runMigrations(database, url);
  await seed(db, config);
  return {
    kind: 'postgres',
    label: 'pg',
    url,
    database,
    raw: (text, params = []) => pool.query(text, params),
    record: (fn) => recordTwice(rec.statements, () => fn(recDb)),
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function pgliteBenchDb(config: Config): Promise<BenchDb> {
  const client = await PGlite.create();
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const rec = recording(client as unknown as { query: Query });
  const recDb = drizzlePglite({ client: rec.client as unknown as PGlite, schema }) as unknown as Db;
  const database: Database = {
    db,
    kind: 'pglite',
    exec: async (script) => {
      await client.exec(script);
    },
    ping: async () => true,
    close: () => client.close(),
  };
  await runMigrations(database);
  await seed(db, config);
  return {
    kind: 'pglite',
    label: 'pglite',
    database,
    raw: (text, params = []) => client.query(text, params),
    record: (fn) => recordTwice(rec.statements, () => fn(recDb)),
    drop: () => client.close(),
  };
}
