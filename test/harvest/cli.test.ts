import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { loadConfig } from '../../src/config/index.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed.js';
import { harvestSources, organizations } from '../../src/db/schema.js';
import { projectPath } from '../../src/util/paths.js';
import { freshDatabase } from '../helpers/app.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/rdf');
const page = readFileSync(join(FIXTURES, 'ckanext-dcatde-metadata_max_only_valid_uris.rdf'));

const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/broken')) {
    res.writeHead(500);
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'application/rdf+xml' });
  res.end(page);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The CLI as an operator runs it: a separate process (asynchronous, so this process can serve the source).
function cli(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('src/cli/main.ts'), ...args], { env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', HARVEST_ALLOW_PRIVATE_NETWORKS: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const pgDb = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? await freshDatabase() : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'catalog-harvest-cli-'));
const env: Record<string, string> = pgDb?.url ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dataDir };
t.teardown(async () => {
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

// Sources are made through the API; here straight into the database the CLI will use.
{
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const database = pgDb?.database ?? (await connect({ dataDir }));
  await runMigrations(database, config.databaseUrl);
  await seed(database.db, config);
  const [org] = await database.db.select().from(organizations).where(eq(organizations.name, 'kamen'));
  await database.db.insert(harvestSources).values([
    { organizationId: org.id, name: 'hamburg', title: 'Hamburg sample', type: 'dcat', url: `${base}/catalog.rdf` },
    { organizationId: org.id, name: 'broken', title: 'Broken', type: 'dcat', url: `${base}/broken` },
  ]);
  if (!pgDb) await database.close();
}

t.test('harvest run prints progress and a summary; a failed job exits 1', async (t) => {
  const list = await cli(env, 'harvest', 'list');
  t.equal(list.status, 0, list.stderr);
  t.match(list.stdout, /^broken\tdcat\tkamen\tmanual\tenabled\t/m);

  const ok = await cli(env, 'harvest', 'run', 'hamburg');
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stderr, /page 1, 1 records: 1 created/);
  t.match(ok.stdout, /job \S+ finished: 1 pages, 1 records; 1 created, 0 updated, 0 unchanged, 0 withdrawn, 0 failed, 0 conflicts/);

  const again = await cli(env, 'harvest', 'run', 'hamburg');
  t.match(again.stdout, /0 created, 0 updated, 1 unchanged/);

  const bad = await cli(env, 'harvest', 'run', 'broken');
  t.equal(bad.status, 1);
  t.match(bad.stdout, /job \S+ failed/);
  t.match(bad.stderr, /the job failed: Page 1 could not be fetched: .*HTTP 500/);

  const jobs = await cli(env, 'harvest', 'jobs', 'hamburg');
  t.equal(jobs.stdout.trim().split('\n').length, 2);
  t.match(jobs.stdout, /finished\t.*\+1 ~0 =0 -0 !0 x0/);

  const missing = await cli(env, 'harvest', 'run', 'nope');
  t.equal(missing.status, 1);
  t.match(missing.stderr, /Harvest source "nope" was not found/);
});
