import { stableId } from '../../src/ckan/package.js';
import type { Config } from '../../src/config/index.js';
import type { Tx } from '../../src/db/client.js';
import { datasets, distributions, organizations, revisions } from '../../src/db/schema.js';
import type { Dataset } from '../../src/domain/model.js';
import { systemActor, type Actor } from '../../src/auth/actor.js';
import { distributionRows, newDatasetRow, revisionRow, type DatasetInput } from '../../src/catalog/datasets.js';
import { normalizeDataset, type OrgInfo } from '../../src/catalog/normalize.js';
import { validateDataset } from '../../src/catalog/validate.js';
import { Compile } from 'typebox/compile';
import { Dataset as DatasetSchema } from '../../src/domain/model.js';

/**
 * Bulk path into the catalog's tables: the same rows createDataset writes
 * (datasets, distributions, revision 1), built with the catalog's own
 * normalization, validation and column derivation, but many datasets per
 * multi-row INSERT and per transaction, without the per-dataset lookups
 * (name and URI checks) the interactive path makes.
 */

export type DatasetRow = typeof datasets.$inferInsert;
export type DistributionRow = typeof distributions.$inferInsert;
export type RevisionRow = typeof revisions.$inferInsert;

export interface Rows {
  dataset: DatasetRow;
  distributions: DistributionRow[];
  revision: RevisionRow;
}

/** A stable UUID (v5 layout) from a name, so repeated loads of one seed give the same ids. */
export const uuidFromName = (name: string): string => stableId('catalog-bench', name);

/**
 * 'full': validateDataset on every document, as createDataset does (it walks
 * the schema interpreted, ~0.2 ms a document). 'schema': the compiled schema
 * check, and validateDataset only for a document that fails it (to throw its
 * problems); mandatory-property and vocabulary checks are then skipped, which
 * is safe for the generator's documents (the tests run them in full).
 */
export type Validation = 'full' | 'schema';

let compiled: { Check(value: unknown): boolean } | undefined;
const schemaCheck = () => (compiled ??= Compile(DatasetSchema));

/**
 * The rows createDataset (src/catalog/datasets.ts) writes for one input.
 * Mirrors its body line by line, because that module exports deriveColumns
 * but not the whole row derivation; test/bench/load.test.ts compares the two
 * so a change there that is not made here fails.
 */
export function rowsForCreate(input: DatasetInput, org: OrgInfo, config: Config, actor: Actor, id: string, now: Date, validation: Validation = 'full'): Rows {
  if (typeof input.name !== 'string') throw new Error('the bulk loader needs a name in every document');
  const uri = typeof input['@id'] === 'string' ? input['@id'] : undefined;
  const doc = normalizeDataset(input, { config, org, id, now, uri });
  if (validation === 'full' || !schemaCheck().Check(doc)) validateDataset(doc);
  const priv = typeof input.private === 'boolean' ? input.private : false;
  const dataset = newDatasetRow(doc, { id, name: input.name, org, private: priv, now }, config);
  return { dataset, distributions: distributionRows(id, dataset.doc), revision: revisionRow(dataset, 'create', actor) };
}

export interface LoadOptions {
  config: Config;
  /** Recorded in the revisions; default the CLI's system actor. */
  actor?: Actor;
  /** Datasets per multi-row INSERT and per transaction. */
  batchSize?: number;
  /** Clock for metadata_created/modified (one value per batch). */
  now?: () => Date;
  onBatch?: (loaded: number) => void;
  /** Batches in flight at once (PostgreSQL: separate connections); 1 on PGlite. */
  concurrency?: number;
  /** Default 'schema' (see Validation). */
  validation?: Validation;
}

export interface LoadResult {
  datasets: number;
  distributions: number;
  ms: number;
}

/** Organizations by name, in the shape normalization needs. */
export async function organizationsByName(db: Tx): Promise<Map<string, OrgInfo>> {
  const rows = await db.select().from(organizations);
  return new Map(rows.map((o) => [o.name, o]));
}

// PostgreSQL allows 65535 bind parameters per statement; distributions have 6 columns.
const MAX_DIST_ROWS = 10_000;

async function writeBatch(db: Tx, batch: Rows[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(datasets).values(batch.map((r) => r.dataset));
    const dists = batch.flatMap((r) => r.distributions);
    for (let i = 0; i < dists.length; i += MAX_DIST_ROWS) await tx.insert(distributions).values(dists.slice(i, i + MAX_DIST_ROWS));
    await tx.insert(revisions).values(batch.map((r) => r.revision));
  });
}

/**
 * Writes every document; each batch is one transaction, so a failure leaves
 * whole batches only. Up to `concurrency` batches are in flight, so the next
 * batch is built in JS while PostgreSQL writes the last one.
 */
export async function bulkLoad(db: Tx, docs: Iterable<DatasetInput>, opts: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const actor = opts.actor ?? systemActor('cli');
  const size = Math.max(1, opts.batchSize ?? 500);
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const clock = opts.now ?? (() => new Date());
  const orgs = await organizationsByName(db);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let batch: Rows[] = [];
  let now = clock();
  let count = 0;
  let distCount = 0;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    now = clock();
    const p: Promise<void> = writeBatch(db, rows).then(
      () => {
        count += rows.length;
        opts.onBatch?.(count);
      },
      (err: unknown) => {
        failure ??= err;
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  for (const input of docs) {
    const orgName = input.organization;
    const org = typeof orgName === 'string' ? orgs.get(orgName) : undefined;
    if (!org) throw new Error(`unknown organization ${JSON.stringify(orgName)} in dataset ${JSON.stringify(input.name)}`);
    const rows = rowsForCreate(input, org, opts.config, actor, uuidFromName(input.name as string), now, opts.validation ?? 'schema');
    distCount += rows.distributions.length;
    batch.push(rows);
    if (batch.length >= size) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { datasets: count, distributions: distCount, ms: performance.now() - started };
}
