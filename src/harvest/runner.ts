import { createHash } from 'node:crypto';
import type * as RDF from '@rdfjs/types';
import { and, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import type { Db, Tx } from '../db/client.js';
import { datasets, harvestJobs, harvestPages, harvestRecordErrors, harvestRecords, harvestSources, organizations, type HarvestLogEntry } from '../db/schema.js';
import { systemActor, type Actor } from '../auth/actor.js';
import { createDataset, freeNames, insertNewDatasets, newDatasetDocument, newDatasetRow, restoreRevision, updateDataset, withdrawDataset, type DatasetInput } from '../catalog/datasets.js';
import { pickText, slugify } from '../catalog/normalize.js';
import { foldFacetCounts, vacuumFacetCountChanges } from '../catalog/facet-counts.js';
import type { Dataset } from '../domain/model.js';
import { AppError } from '../errors.js';
import { HarvestSourceError } from './errors.js';
import { createHarvestFetch, type HarvestFetch } from './http.js';
import type { HarvestPage, HarvestRecord } from './source.js';
import { createSource, HARVEST_TYPES } from './sources/index.js';
import { failStaleJobs, holdJobLock } from './job-lock.js';

type SourceRow = typeof harvestSources.$inferSelect;
type JobRow = typeof harvestJobs.$inferSelect;

/** Settings every source type understands; the rest of a source's config belongs to its type. */
const COMMON_SETTINGS = ['defaultLicense', 'defaultThemes', 'incremental'] as const;

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  failed: number;
  conflicts: number;
}

export interface Progress {
  pages: number;
  records: number;
  total?: number;
  counts: Counts;
}

export interface RunOptions {
  /** Told after every page (CLI progress). */
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Replaces the configured fetch (tests that shorten timeouts). */
  fetch?: HarvestFetch;
  logger?: FastifyBaseLogger;
}

export class HarvestBusyError extends Error {
  override readonly name = 'HarvestBusyError';
}

const LOG_LIMIT = 1000;
/** Below twice this many new records a page's batch is one statement: a split would cost more round trips than it saves. */
const MIN_PART = 25;
/** Records prepared between two turns of the event loop (~3–4 ms of work). */
const PREPARE_SLICE = 10;

/** The hash the runner compares: the record as the source sent it and the settings that shape its mapping. */
export function contentHash(record: HarvestRecord, settings: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(settings ?? {}));
  h.update('\n');
  if (Array.isArray(record.raw) && (record.raw.length === 0 || isQuad(record.raw[0]))) h.update(canonicalQuads(record.raw as RDF.Quad[]));
  else h.update(stableJson(record.raw));
  return h.digest('hex');
}

const isQuad = (x: unknown): x is RDF.Quad => typeof x === 'object' && x !== null && 'predicate' in x && 'subject' in x;

/** Quads as lines, blank nodes relabelled in order of appearance (a parser's labels change per run). */
function canonicalQuads(quads: RDF.Quad[]): string {
  const labels = new Map<string, string>();
  const term = (t: RDF.Term): string => {
    if (t.termType === 'BlankNode') {
      let l = labels.get(t.value);
      if (!l) labels.set(t.value, (l = `_:b${labels.size}`));
      return l;
    }
    if (t.termType === 'Literal') return `${JSON.stringify(t.value)}@${t.language}^${t.datatype.value}`;
    return `<${t.value}>`;
  };
  return quads.map((q) => `${term(q.subject)} ${term(q.predicate)} ${term(q.object)}`).join('\n');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface Known {
  datasetId: string;
  contentHash: string;
  state: 'active' | 'draft' | 'deleted';
  revision: number;
}

/**
 * Claims a queued job: one running job per source, across instances (the claim runs under a
 * transaction-scoped advisory lock keyed by the source). Returns the job, or throws
 * HarvestBusyError when another job of the source runs.
 */
async function claimJob(db: Db, jobId: string, logger?: FastifyBaseLogger): Promise<{ job: JobRow; source: SourceRow }> {
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(harvestJobs).where(eq(harvestJobs.id, jobId));
    if (!job) throw new AppError(404, 'not_found', `Harvest job "${jobId}" was not found.`);
    if (job.status !== 'queued') throw new AppError(409, 'conflict', `Harvest job ${jobId} is ${job.status}, not queued.`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`harvest:${job.sourceId}`}))`);
    // A job whose worker died must not block its source forever.
    await failStaleJobs(tx, { sourceId: job.sourceId, logger });
    const [running] = await tx
      .select({ id: harvestJobs.id })
      .from(harvestJobs)
      .where(and(eq(harvestJobs.sourceId, job.sourceId), eq(harvestJobs.status, 'running'), ne(harvestJobs.id, jobId)));
    if (running) throw new HarvestBusyError(`Job ${running.id} of this source is still running.`);
    const [source] = await tx.select().from(harvestSources).where(eq(harvestSources.id, job.sourceId));
    const [claimed] = await tx
      .update(harvestJobs)
      .set({ status: 'running', startedAt: new Date() })
      .where(and(eq(harvestJobs.id, jobId), eq(harvestJobs.status, 'queued')))
      .returning();
    if (!claimed) throw new AppError(409, 'conflict', `Harvest job ${jobId} was claimed by another worker.`);
    return { job: claimed, source };
  });
}

/** Start of the last finished job of the source, for incremental runs. */
async function lastSuccessfulStart(db: Tx, sourceId: string, exceptJob: string): Promise<Date | undefined> {
  const [last] = await db
    .select({ startedAt: harvestJobs.startedAt })
    .from(harvestJobs)
    .where(and(eq(harvestJobs.sourceId, sourceId), eq(harvestJobs.status, 'finished'), eq(harvestJobs.failed, 0), ne(harvestJobs.id, exceptJob)))
    .orderBy(desc(harvestJobs.startedAt))
    .limit(1);
  return last?.startedAt ?? undefined;
}

/** A record ready to be written: its hash, the mapped input with the source's defaults, its identity keys. */
interface Prepared {
  kind: 'prepared';
  rec: HarvestRecord;
  hash: string;
  prior: Known | undefined;
  input: DatasetInput;
  uri: string | undefined;
  identifier: string | undefined;
  /**
   * For a record no dataset of this source holds: its new document (normalized and
   * validated), built with the page while the page before is written, so that the page's
   * write starts with its statements, or why it cannot be built.
   */
  fresh?: { doc: Dataset; now: Date } | { error: unknown };
}

/** A record without a dataset of this source: prepare built its document (or found why it cannot be built). */
type FreshPrepared = Prepared & { fresh: NonNullable<Prepared['fresh']> };
const isFresh = (p: Prepared): p is FreshPrepared => p.fresh !== undefined;

type Outcome = { kind: 'created' | 'updated' | 'unchanged' } | { kind: 'failed' | 'conflict'; reasons: string[]; errorKind: 'mapping' | 'validation' | 'conflict' | 'write' };

/**
 * Runs one queued job to its end: fetch every page, map and validate each record, diff
 * against what this source harvested before, write each change in its own transaction,
 * and withdraw vanished records only after a complete, non-incremental run. The job row
 * ends finished or failed, with counts, timings, log and per-record errors.
 */
export async function runHarvestJob(db: Db, config: Config, jobId: string, opts: RunOptions = {}): Promise<JobRow> {
  // Held for the whole run: while it is, nobody takes this job for stale.
  const lock = await holdJobLock(db, jobId, opts.logger);
  if (!lock) throw new AppError(409, 'conflict', `Harvest job ${jobId} is being run by another worker.`);
  try {
    const { job, source } = await claimJob(db, jobId, opts.logger);
    return await runClaimed(db, config, job, source, opts);
  } finally {
    // The job's facet count changes, folded now also where no service folds them (catalog harvest run),
    // and the rows the fold deleted vacuumed (a job of 10k new datasets leaves 10k).
    await foldFacetCounts(db)
      .then(() => vacuumFacetCountChanges(db))
      .catch((err: unknown) => opts.logger?.warn({ err, harvestJob: jobId }, 'folding facet counts failed'));
    await lock.release();
  }
}

async function runClaimed(db: Db, config: Config, job: JobRow, source: SourceRow, opts: RunOptions): Promise<JobRow> {
  const jobId = job.id;
  const t0 = performance.now();
  const timings = { fetch: 0, prepare: 0, write: 0, withdraw: 0, total: 0 };
  const log: HarvestLogEntry[] = [];
  const note = (level: HarvestLogEntry['level'], msg: string) => {
    if (log.length < LOG_LIMIT) log.push({ at: new Date().toISOString(), level, msg });
    else if (log.length === LOG_LIMIT) log.push({ at: new Date().toISOString(), level: 'warn', msg: 'Log truncated.' });
    opts.logger?.[level]({ harvestJob: jobId, source: source.name }, msg);
  };
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, withdrawn: 0, failed: 0, conflicts: 0 };
  let pages = 0;
  let records = 0;
  const actor: Actor = systemActor('harvest');
  const language = config.catalog.language;
  const { defaultLicense, defaultThemes, incremental: _incremental, ...typeSettings } = source.config as Record<string, unknown> & { defaultLicense?: unknown; defaultThemes?: unknown };
  const harvest = { sourceId: source.id, jobId };
  let error: string | null = null;
  let complete = false;
  let incrementalFiltered = false;

  const saveProgress = async () => {
    await db.update(harvestJobs).set({ pages, records, ...counts, log, timings }).where(eq(harvestJobs.id, jobId));
  };
  const recordError = async (rec: HarvestRecord | undefined, kind: 'mapping' | 'validation' | 'conflict' | 'write', reasons: string[]) => {
    await db.insert(harvestRecordErrors).values({ jobId, kind, sourceRecordId: rec?.sourceId ?? null, uri: rec?.uri ?? null, identifier: rec?.identifier ?? null, reasons: reasons.slice(0, 50) });
  };

  try {
    note('info', `Job started for source ${source.name} (${source.type}, ${source.url}).`);
    const harvestSource = createSource(source.type, source.url, typeSettings);
    let modifiedSince: Date | undefined;
    if (job.incremental) {
      const since = await lastSuccessfulStart(db, source.id, jobId);
      // An hour of overlap, as ckanext-harvest does: clocks and slow commits at the source.
      if (since) modifiedSince = new Date(since.getTime() - 3600_000);
      if (modifiedSince && harvestSource.filtersModifiedSince) {
        incrementalFiltered = true;
        note('info', `Incremental run: records modified since ${modifiedSince.toISOString()}; nothing will be withdrawn.`);
      } else note('info', since ? 'The source cannot filter by modification date: full run.' : 'No earlier successful run: full run.');
    }
    // The source's organization: fresh records are written as its datasets without a look-up each.
    const [org] = await db.select().from(organizations).where(eq(organizations.id, source.organizationId));
    const known = new Map<string, Known>();
    const rows = await db
      .select({ sourceRecordId: harvestRecords.sourceRecordId, datasetId: harvestRecords.datasetId, contentHash: harvestRecords.contentHash, state: datasets.state, revision: datasets.revision })
      .from(harvestRecords)
      .innerJoin(datasets, eq(datasets.id, harvestRecords.datasetId))
      .where(eq(harvestRecords.sourceId, source.id));
    for (const r of rows) known.set(r.sourceRecordId, r);
    const seen = new Set<string>();
    let writing: Promise<void> = Promise.resolve();
    const unprepared: { rec: HarvestRecord; outcome: Outcome }[] = [];
    const fetch = opts.fetch ?? createHarvestFetch(config);
    const ctx = {
      fetch: ((url, o) =>
        fetch(url, {
          ...o,
          onRetry: (info) => note('warn', `Retrying ${url} in ${info.delayMs} ms after: ${info.error.message}`),
        })) as HarvestFetch,
      maxPages: config.harvest.maxPages,
      modifiedSince: incrementalFiltered ? modifiedSince : undefined,
      signal: opts.signal,
      log: (m: string) => note('warn', m),
      reusablePage: (url: string, digest: string) => {
        const row = pageRows.get(url);
        if (!row || row.digest !== digest || row.settingsHash !== settingsHash) return undefined;
        // Only while every record of it is harvested, current and not claimed on this run.
        if (!row.recordIds.every((id) => !seen.has(id) && known.get(id)?.state === 'active')) return undefined;
        return { next: row.nextUrl ?? undefined, total: row.total ?? undefined };
      },
    };
    const settingsHash = createHash('sha256').update(JSON.stringify(source.config ?? {})).digest('hex');
    const pageRows = new Map((await db.select().from(harvestPages).where(eq(harvestPages.sourceId, source.id))).map((r) => [r.url, r]));

    // Datasets holding the URIs of a page's new records, found in one query per page instead
    // of one per record, while the page before is still being written. A dataset that
    // appears after the look-up still cannot be taken over: createDataset refuses its URI
    // and the record counts as a conflict. This run's own creations are tracked instead.
    let pageUris = new Map<string, { id: string } | undefined>();
    const createdUris = new Set<string>();
    // Per slug base, the number after the highest name this run gave it: titles repeat
    // across pages, and without it every page would test base-2, base-3, … again.
    const nextSuffix = new Map<string, number>();
    const lookUpPageUris = async (recs: HarvestRecord[]) => {
      const found = new Map<string, { id: string } | undefined>();
      const wanted = [...new Set(recs.filter((r) => r.uri && !known.has(r.sourceId)).map((r) => r.uri as string))];
      if (!wanted.length) return found;
      for (const u of wanted) found.set(u, undefined);
      for (const r of await db.select({ id: datasets.id, uri: datasets.uri }).from(datasets).where(inArray(datasets.uri, wanted))) found.set(r.uri, { id: r.id });
      return found;
    };

    /** Hash, mapping and defaults of a record, and a new record's document; nothing is written. */
    const prepare = (rec: HarvestRecord, now: Date): Prepared | Outcome => {
      const hash = contentHash(rec, source.config);
      const prior = known.get(rec.sourceId);
      if (prior && prior.contentHash === hash && prior.state !== 'deleted') return { kind: 'unchanged' };
      let mapped;
      try {
        mapped = HARVEST_TYPES[source.type].map(rec, { language, url: source.url });
      } catch (e) {
        return { kind: 'failed', errorKind: 'mapping', reasons: [(e as Error).message] };
      }
      const input: DatasetInput = { ...mapped.doc, organization: source.organizationId };
      if (typeof defaultLicense === 'string' && Array.isArray(input.distribution)) {
        for (const d of input.distribution as Record<string, unknown>[]) d.license ??= defaultLicense;
      }
      if (Array.isArray(defaultThemes) && !(Array.isArray(input.theme) && input.theme.length)) input.theme = defaultThemes;
      const uri = typeof input['@id'] === 'string' ? input['@id'] : rec.uri;
      const identifier = typeof input.identifier === 'string' ? input.identifier : rec.identifier;
      let fresh: Prepared['fresh'];
      if (!prior) {
        try {
          fresh = { doc: newDatasetDocument(config, input, { org, uri, identifier, now }), now };
        } catch (error) {
          fresh = { error };
        }
      }
      return { kind: 'prepared', rec, hash, prior, input, uri, identifier, fresh };
    };

    /** One record in its own transaction: identity, conflicts, create or update. */
    const writeOne = async ({ rec, hash, prior, input, uri, identifier }: Prepared): Promise<Outcome> => {
      try {
        return await db.transaction(async (tx) => {
          let target = prior?.datasetId;
          if (!target) {
            // Identity: URI, else dct:identifier; a match another source or a steward owns is a conflict.
            const match = uri
              ? pageUris.has(uri)
                ? pageUris.get(uri)
                : (await tx.select({ id: datasets.id }).from(datasets).where(eq(datasets.uri, uri)).limit(1))[0]
              : identifier
                ? (await tx.select({ id: datasets.id }).from(datasets).where(eq(datasets.identifier, identifier)).limit(1))[0]
                : undefined;
            if (match) {
              const [owner] = await tx.select({ sourceId: harvestRecords.sourceId }).from(harvestRecords).where(eq(harvestRecords.datasetId, match.id));
              if (owner?.sourceId !== source.id) {
                return { kind: 'conflict', errorKind: 'conflict', reasons: [owner ? `Dataset ${uri ?? identifier} belongs to another harvest source.` : `Dataset ${uri ?? identifier} exists and was not harvested from this source (a steward owns it).`] } as Outcome;
              }
              // Same dataset under a new source id: move the bookkeeping.
              await tx.delete(harvestRecords).where(eq(harvestRecords.datasetId, match.id));
              target = match.id;
            }
          }
          if (target) {
            const [current] = await tx.select({ state: datasets.state, revision: datasets.revision }).from(datasets).where(eq(datasets.id, target));
            // A record that reappears brings its dataset back before the update.
            if (current?.state === 'deleted') await restoreRevision(tx, config, actor, target, current.revision - 1, { harvest });
            if (!prior || prior.contentHash !== hash) {
              delete input.name;
              await updateDataset(tx, config, actor, target, input, { uri, harvest });
            }
            await upsertRecords(tx, [recordRow(source.id, rec, target, hash, jobId)]);
            return { kind: prior && prior.contentHash === hash ? 'unchanged' : 'updated' };
          }
          if (typeof input.name === 'string') {
            const [taken] = await tx.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, input.name));
            if (taken) delete input.name;
          }
          const created = await createDataset(tx, config, actor, input, { uri, identifier, organization: source.organizationId, harvest });
          // A later record of the page (or of the next, looked up meanwhile) with this URI must find the new dataset.
          if (uri) {
            pageUris.delete(uri);
            createdUris.add(uri);
          }
          await upsertRecords(tx, [recordRow(source.id, rec, created.id, hash, jobId)]);
          return { kind: 'created' };
        });
      } catch (e) {
        return failureOf(e);
      }
    };

    /**
     * The page's new records that no dataset can match (URI looked up and free, or neither
     * URI nor identifier), written together: one statement for their datasets,
     * distributions, revisions and bookkeeping. Should that fail (a name or URI taken
     * meanwhile), each record is written on its own, as writeOne does. `sent` is called
     * once the statements are on their way.
     */
    const writeFresh = async (batch: FreshPrepared[], outcome: (p: Prepared, o: Outcome) => Promise<void>, sent: () => void): Promise<void> => {
      const built: { p: Prepared; doc: Dataset; now: Date }[] = [];
      for (const p of batch) {
        if ('error' in p.fresh) await outcome(p, failureOf(p.fresh.error));
        else built.push({ p, ...p.fresh });
      }
      if (!built.length) return;
      const entries = built.map(({ p, doc }) => {
        const base = slugify(pickText(doc.title, language));
        if (typeof p.input.name === 'string') return { wanted: p.input.name, base };
        // A title this run named before: its next number is the first candidate (freeNames
        // checks it and falls back to base, base-2, … when it is taken after all).
        const next = nextSuffix.get(base);
        if (next !== undefined) nextSuffix.set(base, next + 1);
        return { wanted: next === undefined ? undefined : `${base}-${next}`, base };
      });
      const names = await freeNames(db, entries);
      names.forEach((name, i) => {
        const { base } = entries[i];
        // A source's own name (CKAN) says nothing about which numbers are taken.
        if (typeof built[i].p.input.name === 'string') return;
        const n = name === base ? 1 : name.startsWith(`${base}-`) ? Number(name.slice(base.length + 1)) : NaN;
        if (Number.isSafeInteger(n) && n + 1 > (nextSuffix.get(base) ?? 0)) nextSuffix.set(base, n + 1);
      });
      const rows = built.map(({ p, doc, now }, i) => newDatasetRow(doc, { id: doc.id as string, name: names[i], org, private: p.input.private === true, now }, config));
      // Names and URIs are distinct across the batch, so its halves go to the database as two
      // statements on two connections: PostgreSQL writes (search vector, indexes, TOAST) on both cores.
      const half = Math.ceil(rows.length / 2);
      const parts = rows.length >= 2 * MIN_PART ? [{ from: 0, to: half }, { from: half, to: rows.length }] : [{ from: 0, to: rows.length }];
      const writes = Promise.allSettled(
        parts.map(({ from, to }) =>
          // One statement: datasets, distributions, revisions and the bookkeeping.
          insertNewDatasets(
            db,
            rows.slice(from, to),
            actor,
            jobId,
            built.slice(from, to).map(({ p }, i) => recordRow(source.id, p.rec, rows[from + i].id, p.hash, jobId)),
          ),
        ),
      );
      // The statements are written to their connections in the turns that follow.
      setImmediate(sent);
      const written = await writes;
      for (const [k, { from, to }] of parts.entries()) {
        const result = written[k];
        const part = built.slice(from, to);
        if (result.status === 'rejected') {
          // The numbers guessed for this batch were not used: the next page asks afresh.
          for (const { base } of entries.slice(from, to)) nextSuffix.delete(base);
          note('warn', `Writing ${part.length} new records together failed (${rootMessage(result.reason)}); writing them one by one.`);
          for (const { p } of part) await outcome(p, await writeOne(p));
          continue;
        }
        for (const { p } of part) {
          if (p.uri) createdUris.add(p.uri);
          await outcome(p, { kind: 'created' });
        }
      }
    };

    const outcome = async (p: { rec: HarvestRecord }, o: Outcome) => {
      if (o.kind === 'failed' || o.kind === 'conflict') {
        counts[o.kind === 'failed' ? 'failed' : 'conflicts']++;
        note('warn', `Record ${p.rec.sourceId} skipped (${o.errorKind}): ${o.reasons.slice(0, 3).join('; ')}`);
        await recordError(p.rec, o.errorKind, o.reasons);
      } else counts[o.kind]++;
    };
    /** Remembers a page all of whose records ended harvested, for the next run to reuse. */
    const rememberPage = async (page: HarvestPage) => {
      if (!page.digest) return;
      const row = { digest: page.digest, settingsHash, nextUrl: page.next ?? null, total: page.total ?? null, recordIds: page.records.map((r) => r.sourceId), jobId };
      await db
        .insert(harvestPages)
        .values({ sourceId: source.id, url: page.url, ...row })
        .onConflictDoUpdate({ target: [harvestPages.sourceId, harvestPages.url], set: row });
    };
    const writePage = async (page: HarvestPage, prepared: Prepared[], clean: boolean, uris: Promise<Map<string, { id: string } | undefined>>, sent: () => void) => {
      const writeStart = performance.now();
      const before = counts.failed + counts.conflicts;
      pageUris = await uris;
      // Looked up while the page before was written: what that page created is asked again.
      for (const u of pageUris.keys()) if (createdUris.has(u)) pageUris.delete(u);
      const fresh: FreshPrepared[] = [];
      const freshUris = new Set<string>();
      const others: Prepared[] = [];
      for (const p of prepared) {
        if (isFresh(p) && (p.uri ? pageUris.has(p.uri) && !pageUris.get(p.uri) && !freshUris.has(p.uri) : !p.identifier)) {
          fresh.push(p);
          if (p.uri) freshUris.add(p.uri);
        } else others.push(p);
      }
      await writeFresh(fresh, outcome, sent);
      // Updates are written one by one, while the next page is parsed.
      sent();
      // A record of the page whose URI a fresh one took now finds that dataset.
      for (const u of freshUris) pageUris.delete(u);
      for (const p of others) await outcome(p, await writeOne(p));
      // Two independent statements, on two connections.
      await Promise.all([clean && counts.failed + counts.conflicts === before ? rememberPage(page) : undefined, saveProgress()]);
      timings.write += performance.now() - writeStart;
      opts.onProgress?.({ pages, records, total: lastTotal, counts: { ...counts } });
    };

    // A page is written while the next one is fetched, parsed and mapped: the database and
    // the parser work at the same time. At most one page waits for its write.
    let fetchStart = performance.now();
    let lastTotal: number | undefined;
    let reusedPages = 0;
    try {
      for await (const page of harvestSource.pages(ctx)) {
        timings.fetch += performance.now() - fetchStart;
        pages++;
        lastTotal = page.total ?? lastTotal;
        if (page.reused) {
          // Same body as when every record of it was harvested: nothing to parse, map or write.
          reusedPages++;
          await writing;
          for (const id of pageRows.get(page.url)?.recordIds ?? []) {
            if (seen.has(id)) continue;
            seen.add(id);
            records++;
            counts.unchanged++;
          }
          await saveProgress();
          opts.onProgress?.({ pages, records, total: lastTotal, counts: { ...counts } });
          fetchStart = performance.now();
          continue;
        }
        const prepared: Prepared[] = [];
        // One time for the page's new datasets, as one statement writes them.
        const now = new Date();
        for (const rec of page.records) {
          if (seen.has(rec.sourceId)) continue;
          seen.add(rec.sourceId);
          records++;
          // The page before is being written meanwhile, its statements answered on this thread:
          // between records they get their turn, so the database does not wait for a whole page.
          if (records % PREPARE_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          const prepareStart = performance.now();
          const p = prepare(rec, now);
          timings.prepare += performance.now() - prepareStart;
          if (p.kind === 'prepared') prepared.push(p);
          else if (p.kind === 'unchanged') counts.unchanged++;
          else unprepared.push({ rec, outcome: p });
        }
        const uris = lookUpPageUris(prepared.map((p) => p.rec));
        uris.catch(() => undefined);
        await writing;
        const clean = unprepared.length === 0;
        for (const u of unprepared.splice(0)) await outcome({ rec: u.rec }, u.outcome);
        let sent!: () => void;
        const underway = new Promise<void>((resolve) => (sent = resolve));
        writing = writePage(page, prepared, clean, uris, sent);
        // Awaited before the next page is written or the job ends; until then not unhandled.
        writing.catch(() => undefined);
        // The next page is fetched and parsed once this page's statements are sent: a parse
        // that came first (it runs ~15 ms without a break) would hold them back meanwhile.
        await Promise.race([underway, writing.catch(() => undefined)]);
        fetchStart = performance.now();
      }
    } finally {
      // A source that fails must not leave the last page's write running past the job's end.
      await writing.catch(() => undefined);
    }
    await writing;
    complete = true;
    note('info', `Read ${pages} page(s) with ${records} record(s)${reusedPages ? `; ${reusedPages} page(s) unchanged since the last run were not parsed again` : ''}.`);

    const withdrawStart = performance.now();
    const gone = [...known].filter(([id, k]) => !seen.has(id) && k.state !== 'deleted');
    if (incrementalFiltered) {
      // An incremental listing says nothing about absent records.
    } else if (seen.size === 0 && known.size > 0) {
      note('warn', `The source listed no records although ${known.size} were harvested before; withdrawing nothing on doubt.`);
    } else {
      for (const [id, k] of gone) {
        try {
          await db.transaction(async (tx) => {
            await withdrawDataset(tx, actor, k.datasetId, { harvest });
            await tx.update(harvestRecords).set({ lastJobId: jobId }).where(and(eq(harvestRecords.sourceId, source.id), eq(harvestRecords.sourceRecordId, id)));
          });
          counts.withdrawn++;
        } catch (e) {
          counts.failed++;
          note('error', `Withdrawing ${id} failed: ${(e as Error).message}`);
          await recordError({ sourceId: id, raw: null }, 'write', [`withdraw: ${(e as Error).message}`]);
        }
      }
      if (gone.length) note('info', `Withdrew ${counts.withdrawn} dataset(s) the source no longer lists.`);
    }
    timings.withdraw = performance.now() - withdrawStart;
  } catch (e) {
    error = e instanceof HarvestSourceError || e instanceof Error ? e.message : String(e);
    note('error', `${complete ? 'Job failed' : 'Job stopped before the listing was complete; nothing was withdrawn'}: ${error}`);
  }
  timings.total = performance.now() - t0;
  for (const k of Object.keys(timings) as (keyof typeof timings)[]) timings[k] = Math.round(timings[k]);
  note(error ? 'error' : 'info', `Job ${error ? 'failed' : 'finished'}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.withdrawn} withdrawn, ${counts.failed} failed, ${counts.conflicts} conflicts.`);
  const [done] = await db
    .update(harvestJobs)
    .set({ status: error ? 'failed' : 'finished', finishedAt: new Date(), complete, pages, records, ...counts, timings, log, error })
    .where(eq(harvestJobs.id, jobId))
    .returning();
  return done;
}

function recordRow(sourceId: string, rec: HarvestRecord, datasetId: string, hash: string, jobId: string): typeof harvestRecords.$inferInsert {
  return { sourceId, sourceRecordId: rec.sourceId, datasetId, contentHash: hash, sourceModified: rec.modified ?? null, lastJobId: jobId, harvestedAt: new Date() };
}

async function upsertRecords(tx: Tx, rows: (typeof harvestRecords.$inferInsert)[]): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(harvestRecords)
    .values(rows)
    .onConflictDoUpdate({
      target: [harvestRecords.sourceId, harvestRecords.sourceRecordId],
      set: {
        datasetId: sql`excluded.dataset_id`,
        contentHash: sql`excluded.content_hash`,
        sourceModified: sql`excluded.source_modified`,
        lastJobId: sql`excluded.last_job_id`,
        harvestedAt: sql`excluded.harvested_at`,
      },
    });
}

/** A write's failure as the job reports it: invalid → validation, 409 → conflict, else a write error. */
function failureOf(e: unknown): Outcome {
  if (e instanceof AppError && e.status === 422) {
    const problems = Array.isArray(e.details) ? (e.details as { path?: string; message?: string }[]).map((p) => `${p.path ?? '/'} ${p.message ?? ''}`.trim()) : [e.message];
    return { kind: 'failed', errorKind: 'validation', reasons: problems };
  }
  if (e instanceof AppError && e.status === 409) return { kind: 'conflict', errorKind: 'conflict', reasons: [e.message] };
  return { kind: 'failed', errorKind: 'write', reasons: [rootMessage(e)] };
}

/** The database's own words: the ORM wraps them in a message holding the whole statement and its parameters. */
function rootMessage(e: unknown): string {
  let inner = e;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

/** Queues a job for a source; 409 when one is already queued or running (a running job whose worker is gone is marked failed first). */
export async function queueJob(db: Db, sourceId: string, opts: { trigger: string; userId?: string | null; incremental?: boolean; notBefore?: Date; logger?: FastifyBaseLogger }): Promise<JobRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`harvest:${sourceId}`}))`);
    await failStaleJobs(tx, { sourceId, logger: opts.logger });
    const [open] = await tx
      .select({ id: harvestJobs.id, status: harvestJobs.status })
      .from(harvestJobs)
      .where(and(eq(harvestJobs.sourceId, sourceId), inArray(harvestJobs.status, ['queued', 'running'])));
    if (open) throw new AppError(409, 'conflict', `The source already has a ${open.status} job (${open.id}).`, { jobId: open.id });
    if (opts.notBefore) {
      // A schedule fires once per minute across all instances: a job since then means it fired.
      const [recent] = await tx.select({ id: harvestJobs.id }).from(harvestJobs).where(and(eq(harvestJobs.sourceId, sourceId), gte(harvestJobs.createdAt, opts.notBefore))).limit(1);
      if (recent) throw new AppError(409, 'conflict', `The source already had a job since ${opts.notBefore.toISOString()} (${recent.id}).`, { jobId: recent.id });
    }
    const [job] = await tx.insert(harvestJobs).values({ sourceId, trigger: opts.trigger, userId: opts.userId ?? null, incremental: opts.incremental ?? false }).returning();
    return job;
  });
}

export { COMMON_SETTINGS };
