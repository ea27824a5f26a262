import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import type { Config } from '../../src/config/index.js';
import { anonymous, systemActor } from '../../src/auth/actor.js';
import { createDataset, getDataset, newDatasetRow, toStored } from '../../src/catalog/datasets.js';
import { normalizeDataset } from '../../src/catalog/normalize.js';
import { packageDict, type Dict } from '../../src/ckan/package.js';
import { searchDatasets } from '../../src/catalog/search.js';
import type { FacetField, SearchQuery } from '../../src/catalog/query.js';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../src/app.js';
import type { Db } from '../../src/db/client.js';
import { harvestJobs, harvestSources, organizations } from '../../src/db/schema.js';
import type { BenchDb, Statement } from './db.js';
import { generateDatasets, type GeneratedDataset } from './generator.js';
import { bulkLoad, organizationsByName, uuidFromName } from './load.js';
import { runJsonChild } from './child-json.js';
import { postSequentially, type CreateResult } from './create-client.js';
import { EXPORT_EXT, EXPORT_FORMATS, walkExport, type ExportFormat, type WalkJob } from './export-walker.js';
import { atLeast, atMost, ratioAtMost, row, summarize, throughputRatio, unavailable, type ResultRow, type Summary } from './report.js';
import { serviceNodeArgs } from './start-command.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Ctx {
  bench: BenchDb;
  size: number;
  config: Config;
  seed: number;
  /** Raw-SQL latency of in-process scenarios, the limit of their HTTP counterparts. */
  baselines: Map<string, Summary>;
  /** The listening service, started on first use by an HTTP scenario. */
  server?: Promise<Service>;
  adminToken: string;
}

interface ScenarioInfo {
  name: string;
  /** What it measures (README). */
  summary: string;
  target: string;
}

/** 'catalog': per database and size, on a loaded catalog; 'once': once per run. */
export type Scenario = ScenarioInfo & ({ scope: 'catalog'; run(ctx: Ctx): Promise<ResultRow[]> } | { scope: 'once'; run(): Promise<ResultRow[]> });

// --- queries ---------------------------------------------------------------

/** Free-text queries: stemming pairs, umlauts and ß, phrases, exclusion, OR, two-word queries. */
export const TEXT_QUERIES = [
  'Haltestelle',
  'Haltestellen',
  'Schule',
  'Schulen',
  'Baum',
  'Bäume',
  'Kindergarten',
  'Kindergärten',
  'Verkehr',
  'Verkehrs',
  'Straße',
  'Straßen',
  'Parkplätze',
  'Ladesäule',
  'Wahlergebnisse',
  'Luftqualität',
  'Spielplatz',
  '"Kommunalwahl 2020"',
  'Radwege -Lünen',
  'Einwohnerzahlen Unna',
  'Denkmal OR Denkmäler',
  'Maßnahmen',
  'Bergkamen Haltestellen',
  'Gewässer',
  'Apotheken Notdienst',
];

export const FOUR_FACETS: FacetField[] = ['organization', 'groups', 'res_format', 'license_id'];
const facets = { fields: FOUR_FACETS, limit: 50, mincount: 1 };

/** Filters as the REST list and CKAN fq send them: organization, theme, format, licence, combinations. */
export const FILTERED_QUERIES: SearchQuery[] = [
  { limit: 20, facets, filter: { op: 'eq', field: 'organization', value: 'bergkamen' } },
  { limit: 20, facets, filter: { op: 'eq', field: 'theme', value: 'TRAN' } },
  { limit: 20, facets, filter: { op: 'eq', field: 'format', value: 'CSV' } },
  { limit: 20, facets, filter: { op: 'eq', field: 'license', value: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0' } },
  { limit: 20, facets, filter: { op: 'and', filters: [{ op: 'eq', field: 'organization', value: 'kreis-unna' }, { op: 'eq', field: 'theme', value: 'ENVI' }] } },
  { limit: 20, facets, filter: { op: 'and', filters: [{ op: 'eq', field: 'format', value: 'GEOJSON' }, { op: 'eq', field: 'theme', value: 'EDUC' }] } },
  { limit: 20, facets },
  { limit: 20, facets, filter: { op: 'eq', field: 'organization', value: 'werne' } },
];

export const textQueries = (): SearchQuery[] => TEXT_QUERIES.map((text) => ({ text, limit: 20, facets }));

/** REST v1 query string of a SearchQuery from the lists above. */
export function restPath(q: SearchQuery): string {
  const p = new URLSearchParams();
  if (q.text) p.set('q', q.text);
  const add = (f: { op: string; field?: string; value?: string; filters?: unknown[] }) => {
    if (f.op === 'and') for (const x of f.filters as (typeof f)[]) add(x);
    else if (f.op === 'eq' && f.field && f.value) p.append(f.field, f.value);
  };
  if (q.filter) add(q.filter);
  p.set('facets', FOUR_FACETS.join(','));
  p.set('limit', String(q.limit));
  return `/api/v1/datasets?${p}`;
}

// --- measuring ---------------------------------------------------------------

const ms = () => performance.now();

/**
 * The limit of a catalog call: its own SQL, replayed through the raw driver as
 * concurrently as the catalog sent it: a statement waits for those that were
 * answered before the catalog sent it (searchDatasets sends its total-and-facets
 * and page statements together, and reads documents after the page), not for
 * those it overlapped.
 */
async function replay(bench: BenchDb, statements: Statement[]): Promise<void> {
  const answered: Promise<unknown>[] = [];
  for (const [i, s] of statements.entries()) {
    const before = statements.slice(0, i).flatMap((p, j) => (p.end <= s.start ? [answered[j]] : []));
    if (before.length) await Promise.all(before);
    answered.push(bench.raw(s.text, s.params));
  }
  await Promise.all(answered);
}

interface Paired {
  catalog: Summary;
  raw: Summary;
}

/** Runs each call and its raw replay alternately, so drift hits both alike. */
async function paired<T>(bench: BenchDb, inputs: T[], call: (db: BenchDb['database']['db'], input: T) => Promise<unknown>, iterations: number, warmup = 20): Promise<Paired> {
  const recorded: Statement[][] = [];
  for (const input of inputs) recorded.push((await bench.record((db) => call(db, input))).statements);
  const db = bench.database.db;
  for (let i = 0; i < warmup; i++) {
    await call(db, inputs[i % inputs.length]);
    await replay(bench, recorded[i % inputs.length]);
  }
  const cat: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const k = i % inputs.length;
    let t = ms();
    await call(db, inputs[k]);
    cat.push(ms() - t);
    t = ms();
    await replay(bench, recorded[k]);
    raw.push(ms() - t);
  }
  return { catalog: summarize(cat), raw: summarize(raw) };
}

function latencyRows(scenario: string, ctx: Ctx, p: Paired, opts: { p50?: number; p99?: number; ratio?: number; note?: string }): ResultRow[] {
  const db = ctx.bench.label;
  const base = { scenario, db, size: ctx.size, unit: 'ms', limitLabel: 'raw SQL' };
  return [
    row({ ...base, metric: 'p50', value: p.catalog.p50, limit: p.raw.p50, targets: [...(opts.p50 ? [atMost(opts.p50, 'ms')] : []), ...(opts.ratio ? [ratioAtMost(opts.ratio)] : [])], note: opts.note }),
    row({ ...base, metric: 'p95', value: p.catalog.p95, limit: p.raw.p95 }),
    row({ ...base, metric: 'p99', value: p.catalog.p99, limit: p.raw.p99, targets: opts.p99 ? [atMost(opts.p99, 'ms')] : [] }),
  ];
}

const ITERATIONS = 300;

// --- scenarios -----------------------------------------------------------------

const searchQ: Scenario & { scope: 'catalog' } = {
  name: 'search_q_facets',
  summary: 'searchDatasets (the package_search/REST list core) with free text from a list of 25 German queries and 4 facets (organization, groups, res_format, license_id), limit 20, anonymous; against its own SQL replayed through the raw driver',
  target: 'p50 ≤ 10 ms, p99 ≤ 50 ms, ≤ 1.3× raw SQL (100k)',
  scope: 'catalog',
  async run(ctx) {
    const actor = anonymous('ckan');
    const p = await paired(ctx.bench, textQueries(), (db, q) => searchDatasets(db, actor, q), ITERATIONS);
    ctx.baselines.set('search_q_facets', p.raw);
    return latencyRows(this.name, ctx, p, { p50: 10, p99: 50, ratio: 1.3, note: `${ITERATIONS} queries` });
  },
};

const searchFilters: Scenario = {
  name: 'search_filters_facets',
  summary: 'searchDatasets without q: filters on organization/theme/format/licence (the REST v1 list with filters, CKAN fq) and the same 4 facets',
  target: 'p50 ≤ 10 ms, p99 ≤ 50 ms, ≤ 1.3× raw SQL (100k)',
  scope: 'catalog',
  async run(ctx) {
    const actor = anonymous('rest');
    const p = await paired(ctx.bench, FILTERED_QUERIES, (db, q) => searchDatasets(db, actor, q), ITERATIONS);
    ctx.baselines.set('search_filters_facets', p.raw);
    return latencyRows(this.name, ctx, p, { p50: 10, p99: 50, ratio: 1.3, note: `${ITERATIONS} queries` });
  },
};

async function sampleNames(bench: BenchDb, n: number): Promise<string[]> {
  const res = await bench.raw(`SELECT name FROM datasets ORDER BY md5(name) LIMIT ${n}`);
  return (res.rows as { name: string }[]).map((r) => r.name);
}

const show: Scenario = {
  name: 'show',
  summary: 'getDataset by name (package_show / REST GET one dataset) for 300 names spread over the catalog; against its SQL through the raw driver',
  target: 'p50 ≤ 3 ms',
  scope: 'catalog',
  async run(ctx) {
    const actor = anonymous('rest');
    const names = await sampleNames(ctx.bench, ITERATIONS);
    const p = await paired(ctx.bench, names, (db, name) => getDataset(db, actor, name), ITERATIONS);
    ctx.baselines.set('show', p.raw);
    return latencyRows(this.name, ctx, p, { p50: 3 });
  },
};

/** Documents no other scenario writes: a prefix keeps their names apart from the loaded catalog. */
function freshDocs(n: number, seed: number, prefix: string): GeneratedDataset[] {
  return [...generateDatasets(n, seed)].map((d) => ({ ...d, name: `${prefix}-${d.name}`.slice(0, 100) }));
}

const create: Scenario = {
  name: 'create',
  summary: 'createDataset one after another (the package_create / REST POST core: checks, normalization, validation, row, distributions, revision, one transaction each); against the bulk loader writing the same rows one dataset per transaction',
  target: '≥ 300 datasets/s sequential',
  scope: 'catalog',
  async run(ctx) {
    const n = 300;
    const actor = systemActor('rest');
    const docs = freshDocs(n, ctx.seed + 1, 'c');
    const db = ctx.bench.database.db;
    let t = ms();
    for (const d of docs) await createDataset(db, ctx.config, actor, d);
    const rate = n / ((ms() - t) / 1000);
    t = ms();
    await bulkLoad(db, freshDocs(n, ctx.seed + 2, 'b'), { config: ctx.config, actor, batchSize: 1, concurrency: 1, validation: 'full' });
    const limit = n / ((ms() - t) / 1000);
    ctx.baselines.set('create', summarize([1000 / limit]));
    return [row({ scenario: this.name, db: ctx.bench.label, size: ctx.size, metric: 'throughput', value: rate, unit: 'datasets/s', limit, limitLabel: 'bulk rows, 1/txn', targets: [atLeast(300, 'datasets/s')], note: `${n} sequential creates` })];
  },
};

// --- embedded start ------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Spawns a child and returns ms from spawn until `healthUrl` answers 200, or,
 * without a URL, until the child exits with 0.
 */
async function timeChild(args: string[], env: NodeJS.ProcessEnv, healthUrl?: string): Promise<number> {
  const t = ms();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 && !healthUrl ? resolve() : reject(new Error(`child exited with ${code}: ${stderr.slice(-2000)}`)))),
  );
  try {
    await Promise.race([healthUrl ? untilHealthy(healthUrl) : exited, exited]);
    return ms() - t;
  } finally {
    exited.catch(() => undefined);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

let built: { ok: boolean; output: string } | undefined;

/** `npm run build` as `npm start` runs it, once per bench run (under `npm run bench` npm names itself in npm_execpath; else tsc alone). */
function buildService(): { ok: boolean; output: string } {
  if (built) return built;
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  built = { ok: build.status === 0, output: build.stdout + build.stderr };
  return built;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  delete env.BOOTSTRAP_ADMIN_TOKEN;
  return env;
}

async function untilHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = ms() + timeoutMs;
  while (ms() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

const start: Scenario = {
  name: 'embedded_start',
  summary:
    'what `npm start` runs: the compiled service (`node [its flags] dist/src/main.js`, built once before with `npm run build`) with an empty DATA_DIR and no DATABASE_URL (embedded PGlite: create, migrate, seed, listen) until GET /health answers 200; median of 3; against plain node creating PGlite in an empty directory and answering SELECT 1. The same under `node --import tsx src/main.ts` (npm run dev) next to it as info',
  target: '≤ 5 s',
  scope: 'once',
  async run() {
    const build = buildService();
    const template = existsSync(join(ROOT, 'dist/pglite-template.tar.gz')) ? 'data folder from the build\'s template' : 'no template built: initdb';
    if (!build.ok) return [unavailable(this.name, 'pglite', null, this.target, `build failed: ${build.output.slice(0, 500)}`)];
    const floorScript = join(ROOT, 'bench/lib/pglite-floor.mjs');
    const variants = {
      compiled: { service: serviceNodeArgs(ROOT), floor: [floorScript] },
      tsx: { service: ['--import', 'tsx', 'src/main.ts'], floor: ['--import', 'tsx', floorScript] },
    };
    const times = { compiled: { service: [] as number[], floor: [] as number[] }, tsx: { service: [] as number[], floor: [] as number[] } };
    const runs = 3;
    // Alternating, so drift of the shared machine hits every variant alike.
    for (let i = 0; i < runs; i++) {
      for (const v of ['compiled', 'tsx'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'catalog-bench-start-'));
        const port = await freePort();
        try {
          times[v].service.push(await timeChild(variants[v].service, cleanEnv({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }), `http://127.0.0.1:${port}/health`));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const dir2 = mkdtempSync(join(tmpdir(), 'catalog-bench-floor-'));
        try {
          times[v].floor.push(await timeChild([...variants[v].floor, dir2], cleanEnv({})));
        } finally {
          rmSync(dir2, { recursive: true, force: true });
        }
      }
    }
    const c = summarize(times.compiled.service);
    const t = summarize(times.tsx.service);
    const base = { scenario: this.name, db: 'pglite', size: null, unit: 'ms' };
    return [
      row({ ...base, metric: 'median of 3, compiled', value: c.p50, limit: summarize(times.compiled.floor).p50, limitLabel: 'bare PGlite, node', targets: [atMost(5000, 'ms')], note: `node ${serviceNodeArgs(ROOT).join(' ')} (npm start), ${template}; max ${Math.round(c.max)} ms` }),
      row({ ...base, metric: 'median of 3, tsx', value: t.p50, limit: summarize(times.tsx.floor).p50, limitLabel: 'bare PGlite, node --import tsx', note: `node --import tsx src/main.ts (npm run dev), ${template}; max ${Math.round(t.max)} ms` }),
    ];
  },
};

// --- HTTP (autocannon from a second process) -----------------------------------

export function autocannonInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('autocannon');
    return true;
  } catch {
    return false;
  }
}

/** The HTTP scenarios' service: started on first use, kept for the catalog's scenarios, closed by the run. */
function server(ctx: Ctx): Promise<Service> {
  return (ctx.server ??= startService(ctx));
}

/** Stops the HTTP scenarios' service, if one runs (one that failed to start has nothing to stop). */
export async function stopServer(ctx: Ctx): Promise<void> {
  const running = ctx.server;
  ctx.server = undefined;
  await running?.then((s) => s.close(), () => undefined);
  await closeHarvestBench(ctx);
}

/** Is the route there? A 404 from the not-found handler means not yet. */
async function routeExists(url: string, method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}): Promise<boolean> {
  const res = await fetch(url + path, { method, headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'POST' ? { body: '{}' } : {}) });
  return !(res.status === 404 && /No route for/.test(await res.text()));
}

export interface CannonJob {
  url: string;
  connections: number;
  /** Seconds. */
  duration?: number;
  /** GET paths cycled through. */
  paths?: string[];
}

export interface CannonResult {
  /** Latency of the 2xx responses, ms, from autocannon's per-response times (not its 1-ms histogram). */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function cannon(job: CannonJob): Promise<CannonResult> {
  return runJsonChild<CannonResult>(join(ROOT, 'bench/lib/autocannon-worker.ts'), job);
}

interface HttpSpec {
  name: string;
  summary: string;
  target: string;
  /** Probe of the route. */
  probe: { method: 'GET' | 'POST'; url: string; auth?: boolean };
  missing: string;
  /** The in-process baseline whose raw SQL is the limit. */
  baseline: string;
  measure(ctx: Ctx, url: string, limit: Summary | undefined): Promise<ResultRow[]>;
}

const READ_SECONDS = 10;

/**
 * A read route, twice: 1 connection (one request at a time) for the latency
 * verdicts, since a latency target is about one request; 10 connections for
 * throughput, whose latencies are mostly queueing on two cores (info only).
 */
function readSpec(s: Omit<HttpSpec, 'measure' | 'summary'> & { what: string; paths(ctx: Ctx): Promise<string[]>; p50: number; p99?: number; ratio?: number }): HttpSpec {
  return {
    ...s,
    summary: `${s.what}: 1 connection for ${READ_SECONDS} s (sequential requests; p50/p95/p99, the verdicts), then 10 connections for ${READ_SECONDS} s (req/s; its latencies are queueing, info)`,
    async measure(ctx, url, limit) {
      if (!autocannonInstalled()) return [unavailable(s.name, ctx.bench.label, ctx.size, s.target, 'load generator autocannon is not installed (npm i -D autocannon)')];
      const paths = await s.paths(ctx);
      // The loaded run first: it also warms the routes up for the sequential one.
      const loaded = await cannon({ url, connections: 10, duration: READ_SECONDS, paths });
      const single = await cannon({ url, connections: 1, duration: READ_SECONDS, paths });
      const base = { scenario: s.name, db: ctx.bench.label, size: ctx.size, unit: 'ms', limitLabel: 'raw SQL' };
      const errs = (r: CannonResult) => (r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : '');
      return [
        row({ ...base, metric: 'p50, 1 conn', value: single.p50, limit: limit?.p50, targets: [atMost(s.p50, 'ms'), ...(s.ratio ? [ratioAtMost(s.ratio)] : [])], note: `${single.requests} sequential requests, ${Math.round(single.rps)} req/s${errs(single)}` }),
        row({ ...base, metric: 'p95, 1 conn', value: single.p95, limit: limit?.p95 }),
        row({ ...base, metric: 'p99, 1 conn', value: single.p99, limit: limit?.p99, targets: s.p99 ? [atMost(s.p99, 'ms')] : [] }),
        row({ ...base, metric: 'throughput, 10 conn', value: loaded.rps, unit: 'req/s', limitLabel: '', note: `${loaded.requests} requests${errs(loaded)}` }),
        row({ ...base, metric: 'p50, 10 conn', value: loaded.p50, limit: limit?.p50, note: 'queueing included' }),
        row({ ...base, metric: 'p99, 10 conn', value: loaded.p99, limit: limit?.p99 }),
      ];
    },
  };
}

const CKAN_FACETS = encodeURIComponent(JSON.stringify(FOUR_FACETS));

/** Keys of a package dict the server assigns or derives; a client creating a dataset does not send them. */
const CKAN_SERVER_KEYS = ['id', 'organization', 'state', 'type', 'creator_user_id', 'metadata_created', 'metadata_modified', 'num_tags', 'num_resources', 'relationships_as_subject', 'relationships_as_object', 'license_title', 'license_url', 'isopen'];
const CKAN_RESOURCE_SERVER_KEYS = ['id', 'package_id', 'position', 'state', 'created', 'last_modified', 'metadata_modified', 'cache_url', 'cache_last_updated', 'mimetype_inner', 'resource_type', 'url_type'];

const withoutKeys = (d: Dict, keys: readonly string[]): Dict => Object.fromEntries(Object.entries(d).filter(([k, v]) => !keys.includes(k) && v !== null));

/**
 * What a CKAN client (ckanapi, a ckanext-dcatde harvester) sends to
 * package_create for a generated document: the package dict the CKAN face
 * answers for it (packageDict, as package_show does, over the row
 * createDataset would write), without what the server assigns (ids,
 * timestamps, counts, the URI derived from the id). So name, title, notes,
 * owner_org, license_id, tags, groups, resources and the dcatde extras.
 */
async function ckanCreateBodies(ctx: Ctx, docs: GeneratedDataset[]): Promise<Dict[]> {
  const orgs = await organizationsByName(ctx.bench.database.db);
  const now = new Date();
  return docs.map((input) => {
    const org = orgs.get(input.organization);
    if (!org) throw new Error(`unknown organization ${input.organization}`);
    const id = uuidFromName(input.name);
    const doc = normalizeDataset(input, { config: ctx.config, org, id, now });
    const stored = toStored(newDatasetRow(doc, { id, name: input.name, org, private: false, now }, ctx.config), org.name);
    const dict = packageDict(stored, { lang: ctx.config.catalog.language });
    return {
      ...withoutKeys(dict, CKAN_SERVER_KEYS),
      // CKAN's tag validator refuses e.g. '/' (Fröndenberg/Ruhr); clients clean such tags first, as ckanext-dcat's clean_tags does.
      tags: [...new Set((dict.tags as Dict[]).map((t) => String(t.name).replace(/[^\p{L}\p{N}_ .-]/gu, '-')))].map((name) => ({ name })),
      groups: (dict.groups as Dict[]).map((g) => ({ name: g.name })),
      extras: (dict.extras as { key: string }[]).filter((e) => e.key !== 'uri'),
      resources: (dict.resources as Dict[]).map((r) => withoutKeys(r, CKAN_RESOURCE_SERVER_KEYS)),
    };
  });
}

async function countNamed(bench: BenchDb, prefix: string): Promise<number> {
  const res = await bench.raw(`SELECT count(*)::int AS n FROM datasets WHERE name LIKE $1 AND state = 'active'`, [`${prefix}-%`]);
  return Number((res.rows as { n: number }[])[0].n);
}

function createRows(name: string, ctx: Ctx, r: CreateResult, l: Summary | undefined, created: number): ResultRow[] {
  if (r.ok !== r.requests || created !== CREATES) throw new Error(`${r.requests} requests, ${r.requests - r.ok} not 2xx (first: ${r.firstFailure ?? 'none'}), ${created} of ${CREATES} datasets created`);
  return [
    row({ scenario: name, db: ctx.bench.label, size: ctx.size, metric: 'throughput', value: r.rps, unit: 'datasets/s', limit: l ? 1000 / l.p50 : undefined, limitLabel: 'bulk rows, 1/txn', targets: [atLeast(300, 'datasets/s'), throughputRatio(3)], note: `${r.requests} requests, all 2xx, ${created} created; p50 ${r.p50.toFixed(2)} ms, mean ${r.mean.toFixed(2)} ms; client CPU ${(r.cpuMs / r.requests).toFixed(2)} ms a request; warm-up ${CREATE_WARMUP.toLocaleString('en')} at ${r.warmupRps.toFixed(0)}/s` }),
  ];
}

/**
 * Sent before the timed creates, as the read scenarios warm up first: the rate is of a service
 * in use, whose write path V8 has compiled. That takes long: on two cores a started service's
 * first 1,000 creates took 3.2–3.6 ms each, from about the 2,000th on 2.1–2.5 ms (bench/README.md).
 * The warm-up's own rate is in the note.
 */
const CREATE_WARMUP = 2000;

/** The bodies written to a file for the client's process, POSTed one after another; then the datasets named with the prefix are counted. */
async function createRun(ctx: Ctx, url: string, path: string, bodies: unknown[], prefix: string): Promise<{ r: CreateResult; created: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-bench-create-'));
  try {
    const bodiesFile = join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const r = await postSequentially({ url, path, token: ctx.adminToken, bodiesFile, warmup: CREATE_WARMUP });
    return { r, created: (await countNamed(ctx.bench, prefix)) - CREATE_WARMUP };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CREATES = 1000;

const HTTP: HttpSpec[] = [
  readSpec({
    name: 'rest_list_http',
    what: 'GET /api/v1/datasets with q (25) or filters (8) and 4 facets',
    target: 'p50 ≤ 10 ms, p99 ≤ 50 ms, ≤ 1.3× raw SQL (100k)',
    probe: { method: 'GET', url: '/api/v1/datasets?limit=1' },
    missing: 'REST v1 list route',
    baseline: 'search_q_facets',
    paths: async () => [...textQueries(), ...FILTERED_QUERIES].map(restPath),
    p50: 10,
    p99: 50,
    ratio: 1.3,
  }),
  readSpec({
    name: 'rest_show_http',
    what: 'GET /api/v1/datasets/{name}, 300 names',
    target: 'p50 ≤ 3 ms',
    probe: { method: 'GET', url: '/api/v1/datasets/x' },
    missing: 'REST v1 show route',
    baseline: 'show',
    paths: async (ctx) => (await sampleNames(ctx.bench, 300)).map((n) => `/api/v1/datasets/${n}`),
    p50: 3,
  }),
  {
    name: 'rest_create_http',
    summary: `POST /api/v1/datasets, ${CREATES} generated datasets one after another from a client process of its own (one kept-alive connection, each request when the last is answered, after ${CREATE_WARMUP} not timed); then counts the created datasets`,
    target: '≥ 300 datasets/s sequential',
    probe: { method: 'POST', url: '/api/v1/datasets', auth: true },
    missing: 'REST v1 create route',
    baseline: 'create',
    async measure(ctx, url, l) {
      const { r, created } = await createRun(ctx, url, '/api/v1/datasets', freshDocs(CREATE_WARMUP + CREATES, ctx.seed + 3, 'h'), 'h');
      return createRows(this.name, ctx, r, l, created);
    },
  },
  readSpec({
    name: 'package_search_http',
    what: 'CKAN GET /api/3/action/package_search?q=…&facet.field=[4 facets]&rows=20, 25 queries',
    target: 'p50 ≤ 10 ms, p99 ≤ 50 ms, ≤ 1.3× raw SQL (100k)',
    probe: { method: 'GET', url: '/api/3/action/package_search?rows=1' },
    missing: 'CKAN Action API (package_search)',
    baseline: 'search_q_facets',
    paths: async () => TEXT_QUERIES.map((q) => `/api/3/action/package_search?q=${encodeURIComponent(q)}&facet.field=${CKAN_FACETS}&rows=20`),
    p50: 10,
    p99: 50,
    ratio: 1.3,
  }),
  readSpec({
    name: 'package_show_http',
    what: 'CKAN GET /api/3/action/package_show?id={name}, 300 names',
    target: 'p50 ≤ 3 ms',
    probe: { method: 'GET', url: '/api/3/action/package_show?id=x' },
    missing: 'CKAN Action API (package_show)',
    baseline: 'show',
    paths: async (ctx) => (await sampleNames(ctx.bench, 300)).map((n) => `/api/3/action/package_show?id=${n}`),
    p50: 3,
  }),
  {
    name: 'package_create_http',
    summary: `CKAN POST /api/3/action/package_create, ${CREATES} generated datasets one after another as rest_create_http sends them, the package dicts a CKAN client sends (the face's own packageDict without server-assigned keys: name, title, notes, owner_org, license_id, tags, groups, resources, dcatde extras); then counts the created datasets`,
    target: '≥ 300 datasets/s sequential',
    probe: { method: 'POST', url: '/api/3/action/package_create', auth: true },
    missing: 'CKAN Action API (package_create)',
    baseline: 'create',
    async measure(ctx, url, l) {
      const bodies = await ckanCreateBodies(ctx, freshDocs(CREATE_WARMUP + CREATES, ctx.seed + 4, 'k'));
      const { r, created } = await createRun(ctx, url, '/api/3/action/package_create', bodies, 'k');
      return createRows(this.name, ctx, r, l, created);
    },
  },
];

function httpScenario(spec: HttpSpec): Scenario {
  return {
    name: spec.name,
    summary: spec.summary,
    target: spec.target,
    scope: 'catalog',
    async run(ctx) {
      const headers: Record<string, string> = spec.probe.auth ? { authorization: `Bearer ${ctx.adminToken}` } : {};
      const { url } = await server(ctx);
      if (!(await routeExists(url, spec.probe.method, spec.probe.url, headers))) return [unavailable(spec.name, ctx.bench.label, ctx.size, spec.target, `${spec.missing} does not exist`)];
      return spec.measure(ctx, url, ctx.baselines.get(spec.baseline));
    },
  };
}

/**
 * The service the HTTP and export scenarios measure. On PostgreSQL: the compiled service in a
 * child process, as `npm start` runs it, with its own heap, RSS and CPU; the bench process has
 * loaded the catalog and keeps what its in-process scenarios made, which a service serving from
 * it would pay for in garbage collection. On PGlite, whose database lives in the bench process:
 * a server in the bench process.
 */
export interface Service {
  url: string;
  /** Resident set of the serving process now, bytes. */
  rss(): number;
  /** CPU of the serving process so far (all its threads), ms. */
  cpuMs(): number;
  /** Where the RSS figure comes from (note). */
  where: string;
  close(): Promise<void>;
}

function procRss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const TICK_MS = 1000 / 100; // USER_HZ, 100 on Linux

function procCpuMs(pid: number): number {
  // utime and stime, fields 14 and 15 of /proc/<pid>/stat, counted after the command name's ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const serviceInChild = (ctx: Ctx) => !!ctx.bench.url && process.platform === 'linux';

async function startService(ctx: Ctx, env: Record<string, string> = {}): Promise<Service> {
  if (!serviceInChild(ctx)) {
    // The migrator connects on its own on PostgreSQL, so the config names the bench database.
    const app = await buildApp({ ...ctx.config, logLevel: 'silent', databaseUrl: ctx.bench.url }, { database: ctx.bench.database });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, rss: () => process.memoryUsage().rss, cpuMs: ownCpuMs, where: 'bench process (serving), client in a process of its own', close: () => app.close() };
  }
  const build = buildService();
  if (!build.ok) throw new Error(`build failed: ${build.output.slice(0, 500)}`);
  const port = await freePort();
  const child = spawn(process.execPath, serviceNodeArgs(ROOT), {
    cwd: ROOT,
    env: { ...cleanEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_URL: ctx.config.publicUrl, ...env }), DATABASE_URL: ctx.bench.url },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([untilHealthy(`${url}/health`), exited.then(() => Promise.reject(new Error(`service exited with ${child.exitCode}`)))]);
  return {
    url,
    rss: () => procRss(child.pid as number),
    cpuMs: () => procCpuMs(child.pid as number),
    where: 'service in a child process, client in a process of its own',
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak RSS while `fn` runs, sampled every 50 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** Peak RSS of the serving process while `fn` runs, sampled every 20 ms, and its RSS before. */
async function withServicePeakRss<T>(rss: () => number, fn: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  const before = rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, rss());
    return { result, peakMb: peak / 1024 / 1024, beforeMb: before / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * N3.js writing the triples of the catalog's first datasets, repeated to N datasets, without
 * database or HTTP: the best of three runs. One run moved by up to 2× between the four export
 * rows of one run (the same writer each time but for N-Triples), so a single run made the
 * export's ratio a matter of luck; the best run is what N3.js can do on the machine.
 */
async function n3Alone(ctx: Ctx, format: ExportFormat): Promise<number> {
  let best = 0;
  for (let run = 0; run < 3; run++) best = Math.max(best, await n3Once(ctx, format));
  return best;
}

async function n3Once(ctx: Ctx, format: ExportFormat): Promise<number> {
  const { datasetToQuads } = await import('../../src/rdf/mapping.js');
  const { N3QuadWriter } = await import('../../src/rdf/syntax/n3-writer.js');
  const { PREFIXES } = await import('../../src/rdf/syntax/index.js');
  const sample = (await searchDatasets(ctx.bench.database.db, anonymous('dcat'), { limit: 100, sort: [{ field: 'id', direction: 'asc' }] })).results;
  const quads = sample.flatMap((d) => [...datasetToQuads(d.doc as never, { profile: 'dcat-ap-de-2' })]);
  const rounds = Math.max(1, Math.ceil(ctx.size / Math.max(1, sample.length)));
  // N3.js itself (the service writes N-Triples with a writer of its own): the limit stays N3.js.
  const writer = new N3QuadWriter(format === 'ntriples' ? 'ntriples' : 'turtle', PREFIXES);
  writer.resume();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const q of quads) if (!writer.write(q)) await new Promise((res) => writer.once('drain', res));
  writer.end();
  await new Promise((res) => writer.once('end', res));
  return (rounds * sample.length) / ((performance.now() - t0) / 1000);
}

const EXPORT_WARMUP_PAGES = 30;

function exportScenario(format: ExportFormat): Scenario {
  const name = `export_${format}`;
  const target = '≥ 5,000 datasets/s, peak RSS ≤ 300 MB, ≤ 2× N3.js alone (100k)';
  return {
    name,
    summary: `full catalog export, all pages of /catalog.${EXPORT_EXT[format]} followed by hydra:next (datasets/s), after ${EXPORT_WARMUP_PAGES} pages of warm-up in the other profile; the client in a process of its own (export-walker.ts); peak RSS of the serving process (a child process on PostgreSQL) over both; limit: N3.js writing the same triples without the database`,
    target,
    scope: 'catalog',
    async run(ctx) {
      // A service of its own per export on PostgreSQL, so its peak RSS is the export's; the HTTP
      // scenarios' service is stopped first, so that nothing else runs beside it.
      const own = serviceInChild(ctx);
      if (own) await stopServer(ctx);
      const service = own ? await startService(ctx) : await server(ctx);
      const close = () => (own ? service.close() : Promise.resolve());
      const { url, rss, where } = service;
      if (!(await routeExists(url, 'GET', `/catalog.${EXPORT_EXT[format]}`))) {
        await close();
        return [unavailable(name, ctx.bench.label, ctx.size, target, '/catalog does not exist')];
      }
      const job: WalkJob = { url, publicUrl: ctx.config.publicUrl, format, warmupPages: EXPORT_WARMUP_PAGES };
      const measured = await withServicePeakRss(rss, async () => {
        let atTimed = 0;
        const walked = await walkExport(job, () => (atTimed = service.cpuMs()));
        return { walked, serviceCpuMs: service.cpuMs() - atTimed };
      }).finally(close);
      const { peakMb, beforeMb } = measured;
      const result = measured.result.walked;
      const perPage = (ms: number) => (ms / Math.max(1, result.pages)).toFixed(1);
      if (result.pages * ctx.config.dcat.pageSize < result.total) throw new Error(`${result.pages} pages for ${result.total} datasets: the next link was not found`);
      const limit = await n3Alone(ctx, format);
      const rate = result.total / result.seconds;
      const base_ = { scenario: name, db: ctx.bench.label, size: ctx.size };
      const note = `${result.total} datasets in ${result.pages} pages, ${Math.round(result.bytes / 1024 / 1024)} MB in ${result.seconds.toFixed(1)} s; CPU a page: service ${perPage(measured.result.serviceCpuMs)} ms, client ${perPage(result.cpuMs)} ms`;
      return [
        row({ ...base_, metric: 'throughput', value: rate, unit: 'datasets/s', limit, limitLabel: 'N3.js alone', targets: [atLeast(5000, 'datasets/s'), throughputRatio(2)], note }),
        row({ ...base_, metric: 'peak RSS', value: peakMb, unit: 'MB', targets: [atMost(300, 'MB')], note: `${where}; ${Math.round(beforeMb)} MB before the export (+${Math.round(peakMb - beforeMb)} MB)` }),
      ];
    },
  };
}
const exportScenarios = EXPORT_FORMATS.map(exportScenario);

// --- harvesting ---------------------------------------------------------------

const HARVEST_PAGE_SIZE = 100; // ckanext-dcat's default page size
const HARVEST_SOURCE_BASE = 'https://daten.partner.example/dataset/';

interface HarvestBench {
  sourceId: string;
  url: string;
  pages: Buffer[];
  /** On PostgreSQL the service that harvests, in a child process; on PGlite the bench process harvests. */
  service?: Service;
  close(): Promise<void>;
  first?: { rate: number; seconds: number };
}

/** The bench source of a catalog (db and size): built once, used by both harvest scenarios. */
const harvestBenches = new WeakMap<Ctx, HarvestBench>();

/**
 * N generated DCAT-AP.de datasets as a hydra-paged Turtle catalog (written by the
 * catalog's own mapping and writer), served from memory by a local HTTP server, and a
 * dcat harvest source pointing at it.
 */
async function harvestBench(ctx: Ctx): Promise<HarvestBench> {
  const have = harvestBenches.get(ctx);
  if (have) return have;
  const { datasetToQuads } = await import('../../src/rdf/mapping.js');
  const { serialize } = await import('../../src/rdf/syntax/index.js');
  const { DataFactory } = await import('n3');
  const { namedNode, literal, quad } = DataFactory;
  const http = await import('node:http');

  const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
  const H = (l: string) => namedNode(`http://www.w3.org/ns/hydra/core#${l}`);
  const DCAT = (l: string) => namedNode(`http://www.w3.org/ns/dcat#${l}`);
  const XSD_INT = namedNode('http://www.w3.org/2001/XMLSchema#integer');
  const srv = http.createServer((req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '1');
    const body = pages[n - 1];
    if (!body) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/turtle', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  srv.unref(); // a setup that fails half-way must not keep the run alive
  const port = (srv.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/catalog.ttl`;
  const pageUrl = (n: number) => `${url}?page=${n}`;
  const pages: Buffer[] = [];
  const docs = [...generateDatasets(ctx.size, ctx.seed + 11)];
  const count = Math.ceil(docs.length / HARVEST_PAGE_SIZE);
  for (let p = 0; p < count; p++) {
    const slice = docs.slice(p * HARVEST_PAGE_SIZE, (p + 1) * HARVEST_PAGE_SIZE);
    const catalog = namedNode(`${HARVEST_SOURCE_BASE.replace(/dataset\/$/, '')}catalog`);
    const self = namedNode(pageUrl(p + 1));
    const quads: RDF.Quad[] = [quad(catalog, RDF_TYPE, DCAT('Catalog')), quad(self, RDF_TYPE, H('PagedCollection')), quad(self, H('totalItems'), literal(String(docs.length), XSD_INT))];
    if (p + 1 < count) quads.push(quad(self, H('next'), namedNode(pageUrl(p + 2))));
    for (const d of slice) {
      const { name, organization: _org, ...doc } = d;
      const iri = `${HARVEST_SOURCE_BASE}${name}`;
      quads.push(quad(catalog, DCAT('dataset'), namedNode(iri)));
      for (const q of datasetToQuads({ ...doc, '@id': iri } as never, { profile: 'dcat-ap-de-2' })) quads.push(q);
    }
    pages.push(Buffer.from(await serialize('turtle', quads)));
  }
  const db = ctx.bench.database.db;
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, 'kreis-unna'));
  const [source] = await db
    .insert(harvestSources)
    .values({ organizationId: org.id, name: `bench-dcat-${ctx.size}`, title: 'Bench DCAT source', type: 'dcat', url, config: { format: 'turtle' } })
    .returning({ id: harvestSources.id });
  // The source is on 127.0.0.1: what HARVEST_ALLOW_PRIVATE_NETWORKS=true allows.
  const service = serviceInChild(ctx) ? await startService(ctx, { HARVEST_ALLOW_PRIVATE_NETWORKS: 'true' }) : undefined;
  const bench: HarvestBench = {
    sourceId: source.id,
    url,
    pages,
    service,
    close: async () => {
      await service?.close();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
  harvestBenches.set(ctx, bench);
  return bench;
}

/**
 * One real job of the bench source; throws unless it finished complete. On PostgreSQL the
 * service in its child process runs it, started through the API as a steward starts one (the
 * job's own timing, not the polling, is the figure); on PGlite runHarvestJob in this process.
 * Peak RSS of the harvesting process.
 */
async function harvestOnce(ctx: Ctx, hb: HarvestBench) {
  const db = ctx.bench.database.db;
  const { service } = hb;
  let measured: { result: JobRow; peakMb: number };
  if (service) {
    measured = await withServicePeakRss(service.rss, async () => {
      const res = await fetch(`${service.url}/api/v1/harvest-sources/${hb.sourceId}/jobs`, { method: 'POST', headers: { authorization: `Bearer ${ctx.adminToken}` } });
      if (res.status !== 202) throw new Error(`starting the harvest job: ${res.status} ${await res.text()}`);
      return untilJobEnds(db, ((await res.json()) as { id: string }).id);
    });
  } else {
    const { queueJob, runHarvestJob } = await import('../../src/harvest/runner.js');
    const config: Config = { ...ctx.config, harvest: { ...ctx.config.harvest, allowPrivateNetworks: true } };
    const job = await queueJob(db, hb.sourceId, { trigger: 'bench' });
    measured = await withPeakRss(() => runHarvestJob(db, config, job.id));
  }
  const done = measured.result;
  if (done.status !== 'finished' || !done.complete) throw new Error(`harvest job ${done.status}: ${done.error ?? ''}`);
  if (done.failed || done.conflicts) throw new Error(`harvest job skipped records: ${done.failed} failed, ${done.conflicts} conflicts`);
  const seconds = done.timings.total / 1000;
  return { done, seconds, rate: done.records / seconds, peakMb: measured.peakMb };
}

type JobRow = typeof harvestJobs.$inferSelect;

const HARVEST_SERVICE_NOTE = 'the service in a child process, the source served by the bench process';

async function untilJobEnds(db: Db, id: string, timeoutMs = 600_000): Promise<JobRow> {
  const deadline = ms() + timeoutMs;
  for (;;) {
    const [job] = await db.select().from(harvestJobs).where(eq(harvestJobs.id, id));
    if (job?.status === 'finished' || job?.status === 'failed') return job;
    if (ms() > deadline) throw new Error(`harvest job ${id} still ${job?.status ?? 'missing'} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** parseRdf over every page of the source: the floor of any harvest of it. */
async function parseAlone(hb: HarvestBench): Promise<number> {
  const { parseRdf } = await import('../../src/rdf/syntax/index.js');
  const t0 = ms();
  for (let i = 0; i < hb.pages.length; i++) await parseRdf(hb.pages[i], 'turtle', { baseIRI: `${hb.url}?page=${i + 1}` });
  return (ms() - t0) / 1000;
}

const harvestFirst: Scenario = {
  name: 'harvest_first',
  summary: `harvest of a local DCAT source of N generated datasets (hydra-paged Turtle, ${HARVEST_PAGE_SIZE} per page, served from memory on 127.0.0.1 by the bench process) into the catalog: on PostgreSQL by the service (\`node dist/src/main.js\` in a child process) after a POST to its harvest-sources/{id}/jobs, on PGlite by the runner in the bench process (datasets/s by the job's own timing; peak RSS of the harvesting process); limit: parsing the source alone (parseRdf over every page)`,
  target: '≥ 1,000 datasets/s (10k)',
  scope: 'catalog',
  async run(ctx) {
    const hb = await harvestBench(ctx);
    const result = await harvestOnce(ctx, hb);
    hb.first = { rate: result.rate, seconds: result.seconds };
    const parseSeconds = await parseAlone(hb);
    const { done } = result;
    const t = done.timings;
    const base = { scenario: this.name, db: ctx.bench.label, size: ctx.size };
    const note = `${done.created} created in ${done.pages} pages, ${result.seconds.toFixed(1)} s (fetch+parse ${(t.fetch / 1000).toFixed(1)} s, write ${(t.write / 1000).toFixed(1)} s)`;
    return [
      row({ ...base, metric: 'throughput', value: result.rate, unit: 'datasets/s', limit: done.records / parseSeconds, limitLabel: 'parse alone', targets: [atLeast(1000, 'datasets/s')], note }),
      row({ ...base, metric: 'peak RSS', value: result.peakMb, unit: 'MB', note: hb.service ? HARVEST_SERVICE_NOTE : `includes the ${Math.round(hb.pages.reduce((s, p) => s + p.length, 0) / 1024 / 1024)} MB of pages the in-process server holds` }),
    ];
  },
};

const harvestRerun: Scenario = {
  name: 'harvest_rerun',
  summary: 'the same harvest again with the source unchanged (every record compared by content hash, nothing written); speed-up against the first run',
  target: 'unchanged re-run ≥ 5× faster than the first run',
  scope: 'catalog',
  async run(ctx) {
    const hb = await harvestBench(ctx);
    try {
      // Alone (--only harvest_rerun) the first run happens here, unreported.
      hb.first ??= await harvestOnce(ctx, hb);
      const result = await harvestOnce(ctx, hb);
      if (result.done.unchanged !== result.done.records) throw new Error(`re-run of an unchanged source changed ${result.done.records - result.done.unchanged} records`);
      const parseSeconds = await parseAlone(hb);
      const base = { scenario: this.name, db: ctx.bench.label, size: ctx.size };
      return [
        row({ ...base, metric: 'throughput', value: result.rate, unit: 'datasets/s', limit: result.done.records / parseSeconds, limitLabel: 'parse alone', note: `${result.done.unchanged} unchanged in ${result.seconds.toFixed(1)} s` }),
        row({ ...base, metric: 'speed-up vs first', value: result.rate / hb.first.rate, unit: '×', targets: [atLeast(5, '×')], note: `first run ${Math.round(hb.first.rate)} datasets/s` }),
        row({ ...base, metric: 'peak RSS', value: result.peakMb, unit: 'MB', ...(hb.service ? { note: HARVEST_SERVICE_NOTE } : {}) }),
      ];
    } finally {
      await closeHarvestBench(ctx);
    }
  },
};

/** Stops the harvest scenarios' source and service (after the re-run, or at the end of the catalog's run when it did not run). */
async function closeHarvestBench(ctx: Ctx): Promise<void> {
  const hb = harvestBenches.get(ctx);
  harvestBenches.delete(ctx);
  await hb?.close();
}

const harvestScenarios = [harvestFirst, harvestRerun];

// create runs before the HTTP scenarios: rest_create_http takes its limit from it.
export const SCENARIOS: Scenario[] = [searchQ, searchFilters, show, create, ...HTTP.map(httpScenario), ...exportScenarios, ...harvestScenarios, start];
