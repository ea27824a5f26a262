import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { projectPath } from '../util/paths.js';

/**
 * A fresh embedded database costs PGlite an initdb (a second WASM instance,
 * then a dump and an extract into the data folder): most of an embedded first
 * start. The build writes a migrated, empty data folder once as a tarball;
 * a start in an empty DATA_DIR extracts it instead (PGlite's loadDataDir).
 * It is only used when made by the installed PGlite version; without it (or
 * on any doubt) PGlite runs initdb as before. Migrations still run at start,
 * so a tarball older than the migrations folder only means more to apply.
 */

export const TEMPLATE_FILE = projectPath('dist/pglite-template.tar.gz');
interface TemplateMeta {
  pgliteVersion: string;
  /** sha1 of the migrations journal it was migrated with. */
  migrations: string;
}

const journalHash = (migrationsFolder: string) => createHash('sha1').update(readFileSync(join(migrationsFolder, 'meta/_journal.json'))).digest('hex');

/** The installed PGlite's version (a data folder is bound to its PostgreSQL build). */
export function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The tarball for a new data folder, or undefined (none built, another PGlite version, folder not empty). */
export function templateFor(pgdata: string, file = TEMPLATE_FILE): Blob | undefined {
  if (existsSync(pgdata) && readdirSync(pgdata).length) return undefined;
  if (!existsSync(file) || !existsSync(`${file}.json`)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as TemplateMeta;
    if (meta.pgliteVersion !== pgliteVersion()) return undefined;
    return new Blob([readFileSync(file)]);
  } catch {
    return undefined;
  }
}

/**
 * Writes the tarball: an in-memory PGlite, initdb, every migration, dumped
 * gzipped. Skipped (false) when the one there was made by this PGlite with
 * these migrations, so `npm start`'s build does not pay it every time.
 */
export async function writeTemplate(file = TEMPLATE_FILE, migrationsFolder = projectPath('migrations')): Promise<boolean> {
  const meta: TemplateMeta = { pgliteVersion: pgliteVersion(), migrations: journalHash(migrationsFolder) };
  try {
    const have = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as TemplateMeta;
    if (existsSync(file) && have.pgliteVersion === meta.pgliteVersion && have.migrations === meta.migrations) return false;
  } catch {
    // none yet
  }
  const client = await PGlite.create();
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const tar = await client.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
    writeFileSync(`${file}.json`, `${JSON.stringify(meta)}\n`);
  } finally {
    await client.close();
  }
  return true;
}
