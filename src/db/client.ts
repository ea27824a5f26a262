import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import * as schema from './schema.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';
import { TEMPLATE_FILE, templateFor } from './pglite-template.js';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: what the catalog's functions take. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Runs a multi-statement SQL script without parameters. */
  exec(script: string): Promise<void>;
  /** Is the database reachable right now? */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** In-memory PGlite (tests); ignores dataDir. */
  memory?: boolean;
  logger?: FastifyBaseLogger;
  /** Attempts to reach PostgreSQL before giving up (with exponential backoff). */
  attempts?: number;
  poolSize?: number;
  /** Tarball a new PGlite data folder starts from (default: the build's, when there); false: always initdb. */
  pgliteTemplate?: string | false;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export async function connect(opts: ConnectOptions): Promise<Database> {
  return opts.databaseUrl ? connectPostgres(opts.databaseUrl, opts) : connectPglite(opts);
}

/**
 * Settings of every PostgreSQL session, sent at connection start (no extra round trip).
 * JIT compilation pays off for long analytical queries; the catalog's take
 * milliseconds, and compiling one of their plans (the facet_counts trigger's) cost
 * about 20 ms on every write.
 */
export const SESSION_OPTIONS = '-c jit=off';

/** The rows of `db.execute`: node-postgres answers a result with `rows`, PGlite's driver the rows themselves. */
export function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

const statementNames = new Map<string, string>();

/**
 * Runs a statement whose text is the same on every call (only its parameters
 * change). node-postgres prepares a named statement once per connection, so
 * later runs skip parsing, and after five runs PostgreSQL keeps a generic plan
 * when it is no worse than planning anew (its plan cache); the name is a hash of
 * the text, so two texts never share one. PGlite runs it as any other statement.
 */
export function executePrepared(db: Tx, text: string, params: unknown[]): Promise<unknown> {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `catalog_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`));
  return db._.session.prepareQuery({ sql: text, params }, undefined, name, false).execute();
}

async function connectPostgres(url: string, opts: ConnectOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, options: SESSION_OPTIONS, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server must not crash the process.
  pool.on('error', (err) => opts.logger?.error({ err }, 'idle database connection failed'));
  const attempts = opts.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await pool.connect();
      client.release();
      break;
    } catch (err) {
      if (attempt >= attempts) {
        await pool.end().catch(() => undefined);
        throw new DatabaseUnavailableError(`PostgreSQL at ${redact(url)} is not reachable after ${attempts} attempts: ${(err as Error).message}`);
      }
      const delay = Math.min(200 * 2 ** attempt, 5000);
      opts.logger?.warn({ attempt, delayMs: delay, err: (err as Error).message }, 'database not reachable, retrying');
      await sleep(delay);
    }
  }
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    exec: async (script) => {
      await pool.query(script);
    },
    ping: () => pingDb(db),
    close: () => pool.end(),
  };
}

async function connectPglite(opts: ConnectOptions): Promise<Database> {
  let lock: DataDirLock | undefined;
  let client: PGlite;
  if (opts.memory) {
    client = await PGlite.create();
  } else {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true });
    lock = acquireDataDirLock(dir);
    try {
      client = await createPglite(`${dir}/pgdata`, opts.pgliteTemplate ?? TEMPLATE_FILE, opts.logger);
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    exec: async (script) => {
      await client.exec(script);
    },
    ping: () => pingDb(db),
    close: async () => {
      await client.close();
      lock?.release();
    },
  };
}

/** A data folder: from the build's template when it is new (no initdb), else as PGlite makes or finds it. */
async function createPglite(pgdata: string, templateFile: string | false, logger?: FastifyBaseLogger): Promise<PGlite> {
  const template = templateFile ? templateFor(pgdata, templateFile) : undefined;
  if (template) {
    try {
      return await PGlite.create({ dataDir: pgdata, loadDataDir: template });
    } catch (err) {
      // A broken tarball must not keep the service from starting: start over with initdb.
      logger?.warn({ err }, 'embedded database template not usable, running initdb');
      rmSync(pgdata, { recursive: true, force: true });
    }
  }
  return PGlite.create(pgdata);
}

async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
