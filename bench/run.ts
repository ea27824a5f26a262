import { parseArgs } from 'node:util';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { postgresBenchDb, pgliteBenchDb, type BenchDb } from './lib/db.js';
import { generateDatasets } from './lib/generator.js';
import { bulkLoad } from './lib/load.js';
import { foldFacetCounts } from '../src/catalog/facet-counts.js';
import { formatTable, informational, row, runMeta, unavailable, writeResults, type ResultRow } from './lib/report.js';
import { machineRows } from './lib/machine.js';
import { ROOT, SCENARIOS, stopServer, type Ctx } from './lib/scenarios.js';

/**
 * npm run bench -- --sizes 10000,100000 --db pg|pglite|both --only a,b --seed 42
 *
 * For each database and size: a fresh catalog (PostgreSQL: database
 * catalog_bench_<n>, dropped after; PGlite: in memory), bulk-loaded with
 * generated datasets, then every selected scenario; then the once-per-run
 * scenarios. First, the machine's speed on fixed work (lib/machine.ts).
 * One table on stdout, the same rows as JSON in bench/results/.
 */

const USAGE = `usage: npm run bench -- [--sizes 10000,100000] [--db pg|pglite|both] [--only scenario,...] [--seed 42] [--list]
  BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000' },
    db: { type: 'string', default: 'pg' },
    only: { type: 'string' },
    seed: { type: 'string', default: '42' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.list) {
  for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(24)} ${s.target}\n    ${s.summary}\n`);
  process.exit(0);
}

const sizes = values.sizes.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers: ${values.sizes}`);
if (!['pg', 'pglite', 'both'].includes(values.db)) throw new Error(`--db must be pg, pglite or both: ${values.db}`);
const dbs = values.db === 'both' ? (['pg', 'pglite'] as const) : ([values.db] as ['pg' | 'pglite']);
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
if (only) {
  const unknown = [...only].filter((n) => n !== 'bulk_load' && !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; --list shows them`);
}
const seed = Number(values.seed);
const baseUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const selected = SCENARIOS.filter((s) => !only || only.has(s.name));
const catalogScenarios = selected.flatMap((s) => (s.scope === 'catalog' ? [s] : []));
const onceScenarios = selected.flatMap((s) => (s.scope === 'once' ? [s] : []));

const ADMIN_TOKEN = `bench-admin-token-${'x'.repeat(32)}`;
const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://catalog.bench', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN });
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

const meta = runMeta(process.argv.slice(2), seed);
const rows: ResultRow[] = [];

async function postgresVersion(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    return r.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function catalogRun(kind: 'pg' | 'pglite', size: number): Promise<void> {
  let bench: BenchDb;
  try {
    bench = kind === 'pg' ? await postgresBenchDb(baseUrl, size, config) : await pgliteBenchDb(config);
  } catch (err) {
    log(`${kind}: cannot create the database: ${(err as Error).message}`);
    for (const s of catalogScenarios) rows.push(unavailable(s.name, kind, size, s.target, `database: ${(err as Error).message}`));
    return;
  }
  const ctx: Ctx = { bench, size, config, seed, baselines: new Map(), adminToken: ADMIN_TOKEN };
  try {
    log(`${bench.label} ${size.toLocaleString('en')}: loading…`);
    const loaded = await bulkLoad(bench.database.db, generateDatasets(size, seed), {
      config,
      concurrency: kind === 'pg' ? 2 : 1,
      onBatch: (n) => n % 10_000 === 0 && log(`  ${n.toLocaleString('en')} datasets`),
    });
    // The loader's facet count deltas go into facet_counts, as a service folds them.
    await foldFacetCounts(bench.database.db);
    await bench.raw('VACUUM ANALYZE');
    rows.push(
      row({
        scenario: 'bulk_load',
        db: bench.label,
        size,
        metric: 'throughput',
        value: (loaded.datasets / loaded.ms) * 1000,
        unit: 'datasets/s',
        note: `${loaded.datasets.toLocaleString('en')} datasets, ${loaded.distributions.toLocaleString('en')} distributions in ${(loaded.ms / 1000).toFixed(1)} s`,
      }),
    );
    for (const s of catalogScenarios) {
      log(`${bench.label} ${size.toLocaleString('en')}: ${s.name}`);
      try {
        const got = await s.run(ctx);
        rows.push(...(kind === 'pglite' ? got.map((r) => informational(r, 'PGlite')) : got));
      } catch (err) {
        log(`  failed: ${(err as Error).stack ?? err}`);
        rows.push(unavailable(s.name, bench.label, size, s.target, `failed: ${(err as Error).message}`));
      }
    }
  } finally {
    await stopServer(ctx);
    await bench.drop();
  }
}

if (dbs.includes('pg' as never)) meta.postgres = await postgresVersion();
log('machine');
rows.push(...(await machineRows(dbs.includes('pg' as never) ? baseUrl : undefined)));
if (catalogScenarios.length || only?.has('bulk_load')) {
  for (const kind of dbs) for (const size of sizes) await catalogRun(kind, size);
}
for (const s of onceScenarios) {
  log(s.name);
  try {
    rows.push(...(await s.run()));
  } catch (err) {
    rows.push(unavailable(s.name, 'pglite', null, s.target, `failed: ${(err as Error).message}`));
  }
}

meta.finishedAt = new Date().toISOString();
process.stdout.write(`\n${formatTable(rows)}\n\n`);
const file = writeResults(join(ROOT, 'bench/results'), meta, rows);
process.stdout.write(`results: ${file}\n`);
