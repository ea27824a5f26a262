import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns, getTableName, inArray, or, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Config } from '../config/index.js';
import { executePrepared, type Tx } from '../db/client.js';
import { auditLog, datasets, distributions, harvestRecords, organizations, revisions } from '../db/schema.js';
import { Dataset as DatasetSchema, type Dataset } from '../domain/model.js';
import type { Actor } from '../auth/actor.js';
import { canEditOrg, canRead, isAuthenticated, orgsWith } from '../auth/permissions.js';
import { AppError, conflict, forbidden, invalid, notFound, unauthorized } from '../errors.js';
import { codeOfIri } from './vocab.js';
import { mergePatch, normalizeDataset, pickText, slugify, type OrgInfo } from './normalize.js';
import { validateDataset } from './validate.js';

/** The dataset document as every face reads it: compact JSON-LD with record metadata. */
export type DatasetDocument = Omit<Dataset, '@type' | '@id'> & { '@context': string; '@id': string; '@type': 'Dataset' };

/** A dataset as the catalog hands it out: the document, its ETag and the record fields faces need. */
export interface StoredDataset {
  id: string;
  name: string;
  uri: string;
  organizationId: string;
  /** Organization name. */
  organization: string;
  private: boolean;
  state: 'active' | 'draft' | 'deleted';
  revision: number;
  metadataCreated: string;
  metadataModified: string;
  doc: DatasetDocument;
  /** Quoted strong ETag, changes with every revision. */
  etag: string;
}

export type RevisionAction = 'create' | 'update' | 'patch' | 'withdraw' | 'restore';

export interface WriteOptions {
  /** ETag the client last saw (If-Match); a different current ETag fails with 412. */
  ifMatch?: string;
  /** Organization id or name, when the input does not name one. */
  organization?: string;
  /** URI the dataset keeps (harvest, import). */
  uri?: string;
  /** dct:identifier to set when the input has none. */
  identifier?: string;
  /** Fixed id (imports); else a new UUID. */
  id?: string;
  /** Provenance of a harvested write; recorded in the revision. */
  harvest?: { sourceId?: string; jobId?: string };
  /** Checks the document a write is about to build from (a face's request schema on a merged PATCH); throws to refuse. */
  checkInput?: (input: DatasetInput) => void;
}

export interface RevisionInfo {
  revision: number;
  action: RevisionAction;
  face: string;
  userId: string | null;
  userName: string | null;
  tokenLabel: string | null;
  harvestJobId: string | null;
  createdAt: string;
}

export type DatasetInput = Record<string, unknown>;

type Row = typeof datasets.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

export const contextUrl = (config: Config) => `${config.publicUrl}/context.jsonld`;

export function etagOf(row: Pick<Row, 'id' | 'revision'>): string {
  return `"${row.id}.${row.revision}"`;
}

/** If-Match: `*`, one ETag or a list, weak or strong. */
export function matchesEtag(ifMatch: string, etag: string): boolean {
  return ifMatch
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''))
    .some((s) => s === '*' || s === etag);
}

// jsonb keeps keys in its own order; documents go out in the model's order, keys the model does not know last.
const JSON_LD_KEYS = new Set(['@context', '@id', '@type']);
const KEY_ORDER = Object.keys(DatasetSchema.properties).filter((k) => !JSON_LD_KEYS.has(k));
const MODEL_KEYS = new Set(Object.keys(DatasetSchema.properties));

/** The columns a StoredDataset is made of. */
export type StoredColumns = Pick<Row, 'id' | 'name' | 'uri' | 'organizationId' | 'private' | 'state' | 'revision' | 'metadataCreated' | 'metadataModified' | 'doc'>;

export function toStored(row: StoredColumns, orgName: string): StoredDataset {
  const stored = row.doc as unknown as Record<string, unknown>;
  const metadataCreated = row.metadataCreated.toISOString();
  const metadataModified = row.metadataModified.toISOString();
  // One object built in its final key order (a list page makes twenty of these).
  const doc: Record<string, unknown> = { '@context': stored['@context'], '@id': row.uri, '@type': 'Dataset' };
  for (const k of KEY_ORDER) if (stored[k] !== undefined) doc[k] = stored[k];
  // defineProperty: a key such as "__proto__" stays data.
  for (const k in stored) if (!MODEL_KEYS.has(k) && !JSON_LD_KEYS.has(k)) Object.defineProperty(doc, k, { value: stored[k], enumerable: true, writable: true, configurable: true });
  // The record's own values; keys the document has keep their place.
  doc.id = row.id;
  doc.name = row.name;
  doc.organization = orgName;
  doc.private = row.private;
  doc.state = row.state;
  doc.revision = row.revision;
  doc.metadataCreated = metadataCreated;
  doc.metadataModified = metadataModified;
  return {
    id: row.id,
    name: row.name,
    uri: row.uri,
    organizationId: row.organizationId,
    organization: orgName,
    private: row.private,
    state: row.state,
    revision: row.revision,
    metadataCreated,
    metadataModified,
    doc: doc as DatasetDocument,
    etag: etagOf(row),
  };
}

function refCondition(ref: string) {
  return isUuid(ref) ? or(eq(datasets.id, ref), eq(datasets.name, ref)) : or(eq(datasets.name, ref), eq(datasets.uri, ref));
}

async function loadRow(db: Tx, ref: string, lock: boolean): Promise<{ row: Row; orgName: string } | undefined> {
  const q = db.select({ row: datasets, orgName: organizations.name }).from(datasets).innerJoin(organizations, eq(organizations.id, datasets.organizationId)).where(refCondition(ref)).limit(1);
  const [hit] = lock ? await q.for('update', { of: datasets }) : await q;
  return hit;
}

async function findOrg(db: Tx, ref: string): Promise<OrgInfo | undefined> {
  const [org] = await db
    .select()
    .from(organizations)
    .where(isUuid(ref) ? or(eq(organizations.id, ref), eq(organizations.name, ref)) : eq(organizations.name, ref));
  return org;
}

/*
 * Every create needs its organization, and organizations change rarely: outside a
 * transaction they come from a short-lived cache per database, cleared by this
 * process's organization writes; another instance's change shows within ORG_TTL_MS
 * (the publisher a dataset gets is fixed at its write anyway).
 */
const ORG_TTL_MS = 5000;
const orgCache = new WeakMap<object, Map<string, { org: OrgInfo; at: number; epoch: number }>>();
let orgEpoch = 0;

/** Called by every organization write. */
export function organizationsChanged(): void {
  orgEpoch++;
}

/** Whether a cached organization read at (`at`, `epoch`) may still be used. */
export const organizationsFresh = (at: number, epoch: number) => epoch === orgEpoch && Date.now() - at < ORG_TTL_MS;
export const organizationsEpoch = () => orgEpoch;

async function cachedOrg(db: Tx, ref: string): Promise<OrgInfo | undefined> {
  if ('rollback' in db) return findOrg(db, ref); // a transaction reads its own snapshot
  let byRef = orgCache.get(db);
  if (!byRef) orgCache.set(db, (byRef = new Map()));
  const hit = byRef.get(ref);
  if (hit && organizationsFresh(hit.at, hit.epoch)) return hit.org;
  const epoch = orgEpoch;
  const org = await findOrg(db, ref);
  if (org) byRef.set(ref, { org, at: Date.now(), epoch });
  return org;
}

/** The target organization of a new dataset: the one named, else the only one the actor edits. */
async function targetOrg(db: Tx, actor: Actor, ref: unknown): Promise<OrgInfo> {
  if (typeof ref === 'string' && ref !== '') {
    const org = await cachedOrg(db, ref);
    if (!org) throw invalid(`Organization "${ref}" does not exist.`, [{ path: '/organization', message: `unknown organization "${ref}"`, key: 'dataset.organization.unknown', messageDe: `unbekannte Organisation "${ref}"` }]);
    return org;
  }
  const editable = orgsWith(actor, 'editor');
  if (editable.length === 1 && !actor.sysadmin) return (await findOrg(db, editable[0])) as OrgInfo;
  throw invalid('The dataset needs an organization.', [{ path: '/organization', message: 'is mandatory', key: 'dataset.organization.required', messageDe: 'ist Pflicht' }]);
}

function requireWriter(actor: Actor): void {
  if (!isAuthenticated(actor)) throw unauthorized();
}

function requireEditor(actor: Actor, orgId: string, orgName: string): void {
  if (!canEditOrg(actor, orgId)) throw forbidden(`Editing datasets of organization "${orgName}" needs the editor role there.`);
}

/** A readable row or 404; with lock, the row is locked for the transaction. */
async function visibleRow(db: Tx, actor: Actor, ref: string, lock: boolean, includeDeleted = true): Promise<{ row: Row; orgName: string }> {
  const hit = await loadRow(db, ref, lock);
  if (!hit || !canRead(actor, hit.row) || (!includeDeleted && hit.row.state === 'deleted')) throw notFound('Dataset', ref);
  return hit;
}

function checkIfMatch(row: Row, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && !matchesEtag(ifMatch, etagOf(row))) {
    throw new AppError(412, 'precondition_failed', `The dataset has changed since you read it (current ETag ${etagOf(row)}); read it again and retry.`, { etag: etagOf(row) });
  }
}

/** The indexed columns derived from a document. */
export function deriveColumns(doc: Dataset, lang: string) {
  const keywords = new Set<string>();
  if (doc.keyword) for (const list of Array.isArray(doc.keyword) ? [doc.keyword] : Object.values(doc.keyword)) for (const k of list) if (k.trim()) keywords.add(k.trim());
  const licenses = new Set<string>();
  const formats = new Set<string>();
  for (const d of doc.distribution ?? []) {
    if (d.license) licenses.add(d.license);
    if (d.format) formats.add(codeOfIri(d.format));
  }
  return {
    title: pickText(doc.title, lang),
    description: pickText(doc.description, lang),
    keywordText: [...keywords].join(' '),
    keywords: [...keywords],
    themes: [...new Set((doc.theme ?? []).map(codeOfIri))],
    licenses: [...licenses],
    formats: [...formats],
    geocoding: [...new Set(doc.politicalGeocodingURI ?? [])],
    issued: doc.issued ?? null,
    modified: doc.modified ?? null,
    identifier: doc.identifier ?? null,
  };
}

async function nameTaken(db: Tx, name: string, exceptId?: string): Promise<boolean> {
  const [hit] = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, name));
  return hit !== undefined && hit.id !== exceptId;
}

/** Which of these names datasets hold: an index look-up, not a pattern scan. */
async function takenNames(db: Tx, names: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(names)];
  if (!list.length) return new Set();
  const rows = await db.select({ name: datasets.name }).from(datasets).where(inArray(datasets.name, list));
  return new Set(rows.map((r) => r.name));
}

/**
 * Names for new datasets, one per entry: `wanted` when it is free, else the first free
 * of base, base-2, base-3, …; the names are also distinct from each other. Index
 * look-ups only: one query, and one more per round of 20 numbered candidates for all
 * entries whose base is taken.
 */
export async function freeNames(db: Tx, entries: { wanted?: string; base: string }[]): Promise<string[]> {
  const taken = await takenNames(db, entries.flatMap((e) => (e.wanted ? [e.wanted, e.base] : [e.base])));
  const names: (string | undefined)[] = entries.map(() => undefined);
  // Entries whose base is taken, with the next suffix to try.
  let open = new Map<number, number>();
  entries.forEach((e, i) => {
    const first = e.wanted && !taken.has(e.wanted) ? e.wanted : !taken.has(e.base) ? e.base : undefined;
    if (first) {
      names[i] = first;
      taken.add(first);
    } else open.set(i, 2);
  });
  while (open.size) {
    const candidates = [...open].flatMap(([i, from]) => Array.from({ length: 20 }, (_, k) => `${entries[i].base}-${from + k}`));
    for (const name of await takenNames(db, candidates)) taken.add(name);
    const next = new Map<number, number>();
    for (const [i, from] of open) {
      let k = from;
      while (k < from + 20 && taken.has(`${entries[i].base}-${k}`)) k++;
      if (k < from + 20) {
        names[i] = `${entries[i].base}-${k}`;
        taken.add(names[i] as string);
      } else next.set(i, from + 20);
    }
    open = next;
  }
  return names as string[];
}

/** The constraint of a violation with this SQLSTATE anywhere in the error's cause chain. */
function violation(err: unknown, code: string): string | undefined {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === code) return e.constraint ?? '';
  }
  return undefined;
}

const uniqueViolation = (err: unknown) => violation(err, '23505');

/** The lookup rows of a document's distributions (CKAN resources). */
export function distributionRows(datasetId: string, doc: Dataset) {
  return (doc.distribution ?? []).map((d, position) => ({
    id: d.id as string,
    datasetId,
    position,
    uri: d['@id'] ?? null,
    format: d.format ? codeOfIri(d.format) : null,
    license: d.license ?? null,
  }));
}

/** The revision a write leaves: the whole document, who, through which face. */
export function revisionRow(row: Pick<Row, 'id' | 'revision' | 'doc'>, action: RevisionAction, actor: Actor, harvestJobId: string | null = null) {
  return {
    datasetId: row.id,
    revision: row.revision,
    action,
    face: actor.face,
    userId: actor.userId,
    userName: actor.userName,
    tokenLabel: actor.tokenLabel,
    harvestJobId,
    doc: row.doc,
  };
}

/** The row of a new dataset, from its normalized document (also the bulk loader's path). */
export function newDatasetRow(doc: Dataset, meta: { id: string; name: string; org: OrgInfo; private: boolean; now: Date }, config: Config) {
  const stored = { ...doc, '@context': contextUrl(config), name: meta.name, organization: meta.org.name, private: meta.private, state: 'active', revision: 1 } as Dataset;
  return {
    id: meta.id,
    name: meta.name,
    uri: doc['@id'] as string,
    organizationId: meta.org.id,
    private: meta.private,
    state: 'active' as const,
    revision: 1,
    metadataCreated: meta.now,
    metadataModified: meta.now,
    doc: stored,
    ...deriveColumns(doc, config.catalog.language),
  };
}

async function writeChildren(db: Tx, row: Pick<Row, 'id' | 'revision' | 'doc'>, action: RevisionAction, actor: Actor, opts: WriteOptions): Promise<void> {
  await db.delete(distributions).where(eq(distributions.datasetId, row.id));
  const dists = distributionRows(row.id, row.doc);
  if (dists.length) await db.insert(distributions).values(dists);
  await db.insert(revisions).values(revisionRow(row, action, actor, opts.harvest?.jobId ?? null));
}

function conflictOf(constraint: string, row: { id: string; name: string; uri: string }): AppError {
  if (constraint.includes('uri')) return conflict(`A dataset with URI ${row.uri} already exists.`);
  if (constraint.includes('name')) return conflict(`The name "${row.name}" is already taken.`, [{ path: '/name', message: 'is already taken' }]);
  return conflict(`A dataset with id ${row.id} already exists.`);
}

async function insertOrConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const c = uniqueViolation(err);
    if (c === undefined) throw err;
    if (c.includes('uri')) throw conflict('Another dataset already has this URI.');
    throw conflict('Another dataset already has this name.', [{ path: '/name', message: 'is already taken' }]);
  }
}

/** A new dataset's rows before they are written (revision 1). */
export type NewDatasetRow = ReturnType<typeof newDatasetRow>;

/** The document of a new dataset, normalized and validated (422 when invalid); no database access. */
export function newDatasetDocument(config: Config, input: DatasetInput, meta: { org: OrgInfo; id?: string; uri?: string; identifier?: string; now: Date }): Dataset {
  const uri = meta.uri ?? (typeof input['@id'] === 'string' ? input['@id'] : undefined);
  const doc = normalizeDataset(input, { config, org: meta.org, id: meta.id ?? randomUUID(), now: meta.now, uri });
  if (meta.identifier && !doc.identifier) doc.identifier = meta.identifier;
  validateDataset(doc);
  return doc;
}

/**
 * INSERT … SELECT from one jsonb parameter ($n) holding all rows: PostgreSQL converts the
 * JSON values to the column types (arrays, timestamps, jsonb), so a batch costs one
 * JSON.stringify instead of the ORM's encoding of every value of every row.
 */
function insertFromJson(table: PgTable, keys: string[], param: number): string {
  const columns = getTableColumns(table);
  const names = keys.map((k) => `"${columns[k].name}"`).join(', ');
  const name = `"${getTableName(table)}"`;
  return `INSERT INTO ${name} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${name}, $${param}::jsonb)`;
}

/** The rows as the JSON array insertFromJson reads: the keys' values under their column names. */
function rowsJson(table: PgTable, keys: string[], rows: object[]): string {
  const columns = getTableColumns(table);
  return JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k) => [columns[k].name, (r as Record<string, unknown>)[k]]))));
}

function columnKeys(table: PgTable, row: object): string[] {
  const columns = getTableColumns(table);
  return Object.keys(row).filter((k) => k in columns);
}

/** The statement of insertNewDatasets per shape of its rows (a handful): its text is built once, and prepared once per connection. */
const insertStatements = new Map<string, string>();

function insertStatement(keys: { datasets: string[]; distributions?: string[]; harvested?: string[] }): string {
  const shape = JSON.stringify(keys);
  let text = insertStatements.get(shape);
  if (text) return text;
  let param = 1;
  const ctes = [`d AS (${insertFromJson(datasets, keys.datasets, param++)} RETURNING id, doc)`];
  if (keys.distributions) ctes.push(`x AS (${insertFromJson(distributions, keys.distributions, param++)})`);
  if (keys.harvested) {
    ctes.push(`h AS (${insertFromJson(harvestRecords, keys.harvested, param++)} ON CONFLICT (source_id, source_record_id) DO UPDATE SET
      dataset_id = excluded.dataset_id, content_hash = excluded.content_hash, source_modified = excluded.source_modified,
      last_job_id = excluded.last_job_id, harvested_at = excluded.harvested_at)`);
  }
  const p = (i: number) => `$${param + i}`;
  text = `WITH ${ctes.join(', ')}
    INSERT INTO revisions (dataset_id, revision, action, face, user_id, user_name, token_label, harvest_job_id, doc)
    SELECT d.id, 1, 'create', ${p(0)}, ${p(1)}::uuid, ${p(2)}, ${p(3)}, ${p(4)}::uuid, d.doc FROM d`;
  insertStatements.set(shape, text);
  return text;
}

/**
 * Writes new datasets with their distributions and first revisions in one statement
 * (data-modifying CTEs; the revisions take their documents from the inserted rows, so
 * each document travels once). One statement is atomic on its own: a single create
 * needs no BEGIN/COMMIT round trips. A taken name, URI or id fails it whole with 409.
 * A harvest passes its bookkeeping rows along (upserted by source and record id), so a
 * page of new records is one statement and needs no transaction either.
 */
export async function insertNewDatasets(
  db: Tx,
  rows: NewDatasetRow[],
  actor: Actor,
  harvestJobId: string | null = null,
  harvested: (typeof harvestRecords.$inferInsert)[] = [],
): Promise<void> {
  if (!rows.length) return;
  const dists = rows.flatMap((r) => distributionRows(r.id, r.doc));
  const keys = {
    datasets: columnKeys(datasets, rows[0]),
    ...(dists.length ? { distributions: columnKeys(distributions, dists[0]) } : {}),
    ...(harvested.length ? { harvested: columnKeys(harvestRecords, harvested[0]) } : {}),
  };
  const params: unknown[] = [rowsJson(datasets, keys.datasets, rows)];
  if (keys.distributions) params.push(rowsJson(distributions, keys.distributions, dists));
  if (keys.harvested) params.push(rowsJson(harvestRecords, keys.harvested, harvested));
  params.push(actor.face, actor.userId, actor.userName, actor.tokenLabel, harvestJobId);
  try {
    await executePrepared(db, insertStatement(keys), params);
  } catch (err) {
    // The organization went away after it was looked up (another instance deleted it).
    if (violation(err, '23503')?.includes('organization')) throw invalid('The organization does not exist (any more).', [{ path: '/organization', message: 'unknown organization', key: 'dataset.organization.unknown', messageDe: 'unbekannte Organisation' }]);
    const c = uniqueViolation(err);
    if (c === undefined) throw err;
    // PostgreSQL names the key in the detail: "Key (name)=(…) already exists."
    const detail = String((err as { detail?: string }).detail ?? (err as { cause?: { detail?: string } }).cause?.detail ?? '');
    const hit = rows.find((r) => detail.includes(`=(${r.name})`) || detail.includes(`=(${r.uri})`) || detail.includes(`=(${r.id})`)) ?? rows[0];
    throw conflictOf(c, hit);
  }
}

/** Creates a dataset: editor rights in its organization; 422 on an invalid document, 409 on a taken name or URI. */
export async function createDataset(db: Tx, config: Config, actor: Actor, input: DatasetInput, opts: WriteOptions = {}): Promise<StoredDataset> {
  requireWriter(actor);
  const org = await targetOrg(db, actor, input.organization ?? opts.organization);
  requireEditor(actor, org.id, org.name);
  const now = new Date();
  const doc = newDatasetDocument(config, input, { org, id: opts.id, uri: opts.uri, identifier: opts.identifier, now });
  const name = typeof input.name === 'string' ? input.name : (await freeNames(db, [{ base: slugify(pickText(doc.title, config.catalog.language)) }]))[0];
  const values = newDatasetRow(doc, { id: doc.id as string, name, org, private: input.private === true, now }, config);
  await insertNewDatasets(db, [values], actor, opts.harvest?.jobId ?? null);
  return toStored(values, org.name);
}

/** Reads one dataset by id, name or URI; 404 when it does not exist for the actor. */
export async function getDataset(db: Tx, actor: Actor, ref: string, opts: { includeDeleted?: boolean } = {}): Promise<StoredDataset> {
  const { row, orgName } = await visibleRow(db, actor, ref, false, opts.includeDeleted ?? false);
  return toStored(row, orgName);
}

/**
 * The common path of every write to an existing dataset: lock, check read,
 * edit and If-Match, build the new document, check a move, validate, write
 * row, distributions and revision.
 */
async function writeExisting(
  tx: Tx,
  config: Config,
  actor: Actor,
  ref: string,
  action: RevisionAction,
  opts: WriteOptions,
  build: (current: StoredDataset) => Promise<DatasetInput> | DatasetInput,
  extra: { state?: Row['state']; distributionIds?: Iterable<string> } = {},
): Promise<StoredDataset> {
  requireWriter(actor);
  const { row, orgName } = await visibleRow(tx, actor, ref, true);
  requireEditor(actor, row.organizationId, orgName);
  checkIfMatch(row, opts.ifMatch);
  const current = toStored(row, orgName);
  const input = await build(current);
  opts.checkInput?.(input);
  let org: OrgInfo = (await findOrg(tx, row.organizationId)) as OrgInfo;
  const orgRef = input.organization ?? opts.organization;
  if (typeof orgRef === 'string' && orgRef !== org.name && orgRef !== org.id) {
    org = await targetOrg(tx, actor, orgRef);
    if (!canEditOrg(actor, org.id)) throw forbidden(`Moving the dataset to organization "${org.name}" needs the editor role there too.`);
  }
  const lang = config.catalog.language;
  const now = new Date();
  const existing = new Set(((row.doc.distribution ?? []) as { id?: string }[]).map((d) => d.id).filter((x): x is string => !!x));
  for (const x of extra.distributionIds ?? []) existing.add(x);
  const doc = normalizeDataset(input, { config, org, id: row.id, now, previous: row.doc, uri: opts.uri ?? row.uri, existingDistributionIds: existing });
  if (opts.identifier && !doc.identifier) doc.identifier = opts.identifier;
  validateDataset(doc);
  const name = typeof input.name === 'string' ? input.name : row.name;
  if (name !== row.name && (await nameTaken(tx, name, row.id))) throw conflict(`The name "${name}" is already taken.`, [{ path: '/name', message: 'is already taken' }]);
  const priv = typeof input.private === 'boolean' ? input.private : row.private;
  const state = extra.state ?? row.state;
  const revision = row.revision + 1;
  const stored = { ...doc, '@context': contextUrl(config), name, organization: org.name, private: priv, state, revision } as Dataset;
  const [updated] = await insertOrConflict(() =>
    tx
      .update(datasets)
      .set({ name, uri: doc['@id'] as string, organizationId: org.id, private: priv, state, revision, metadataModified: now, doc: stored, ...deriveColumns(doc, lang) })
      .where(eq(datasets.id, row.id))
      .returning(),
  );
  await writeChildren(tx, updated, action, actor, opts);
  return toStored(updated, org.name);
}

/** The client's view of the current document: what PATCH merges into. */
function editable(current: StoredDataset): DatasetInput {
  const { '@context': _c, revision: _r, state: _s, metadataCreated: _mc, metadataModified: _mm, ...doc } = current.doc;
  return doc;
}

/** PUT: replaces the document (server-managed fields are kept or set). */
export async function updateDataset(db: Tx, config: Config, actor: Actor, ref: string, input: DatasetInput, opts: WriteOptions = {}): Promise<StoredDataset> {
  return db.transaction((tx) => writeExisting(tx, config, actor, ref, 'update', opts, () => input));
}

/** PATCH: JSON merge patch (RFC 7386) on the document; `modified` is set to now unless the patch sets it. */
export async function patchDataset(db: Tx, config: Config, actor: Actor, ref: string, patch: DatasetInput, opts: WriteOptions = {}): Promise<StoredDataset> {
  return db.transaction((tx) =>
    writeExisting(tx, config, actor, ref, 'patch', opts, (current) => {
      const merged = mergePatch(editable(current), patch) as DatasetInput;
      if (!('modified' in patch)) delete merged.modified;
      return merged;
    }),
  );
}

/** Any change to the document in one locked transaction (distribution routes use it). */
export async function modifyDataset(
  db: Tx,
  config: Config,
  actor: Actor,
  ref: string,
  change: (doc: DatasetInput) => DatasetInput,
  opts: WriteOptions = {},
): Promise<StoredDataset> {
  return db.transaction((tx) =>
    writeExisting(tx, config, actor, ref, 'update', opts, (current) => {
      const doc = change(structuredClone(editable(current)));
      delete doc.modified;
      return doc;
    }),
  );
}

/** DELETE: withdraws (state deleted, hidden from lists); a withdrawn dataset stays as it is. */
export async function withdrawDataset(db: Tx, actor: Actor, ref: string, opts: WriteOptions = {}): Promise<StoredDataset> {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const { row, orgName } = await visibleRow(tx, actor, ref, true);
    requireEditor(actor, row.organizationId, orgName);
    checkIfMatch(row, opts.ifMatch);
    if (row.state === 'deleted') return toStored(row, orgName);
    const revision = row.revision + 1;
    const doc = { ...row.doc, state: 'deleted', revision } as Dataset;
    const [updated] = await tx.update(datasets).set({ state: 'deleted', revision, doc, metadataModified: new Date() }).where(eq(datasets.id, row.id)).returning();
    await writeChildren(tx, updated, 'withdraw', actor, opts);
    return toStored(updated, orgName);
  });
}

/** Removes a dataset and its history for good (sysadmins only); the act is written to the audit log. */
export async function purgeDataset(db: Tx, actor: Actor, ref: string, opts: { ifMatch?: string; reason?: string } = {}): Promise<void> {
  requireWriter(actor);
  await db.transaction(async (tx) => {
    const { row, orgName } = await visibleRow(tx, actor, ref, true);
    if (!actor.sysadmin) throw forbidden('Only sysadmins can purge datasets.');
    checkIfMatch(row, opts.ifMatch);
    await tx.delete(revisions).where(eq(revisions.datasetId, row.id));
    await tx.delete(datasets).where(eq(datasets.id, row.id));
    await tx.insert(auditLog).values({
      userId: actor.userId,
      userName: actor.userName,
      action: 'dataset.purge',
      targetType: 'dataset',
      targetId: row.id,
      details: { name: row.name, uri: row.uri, organization: orgName, revision: row.revision, state: row.state, face: actor.face, tokenLabel: actor.tokenLabel, ...(opts.reason ? { reason: opts.reason } : {}) },
    });
  });
}

function revisionInfo(r: typeof revisions.$inferSelect): RevisionInfo {
  return {
    revision: r.revision,
    action: r.action,
    face: r.face,
    userId: r.userId,
    userName: r.userName,
    tokenLabel: r.tokenLabel,
    harvestJobId: r.harvestJobId,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The history, newest first; readable by whoever can read the dataset (withdrawn: editors). */
export async function listRevisions(db: Tx, actor: Actor, ref: string): Promise<RevisionInfo[]> {
  const { row } = await visibleRow(db, actor, ref, false);
  const rows = await db.select().from(revisions).where(eq(revisions.datasetId, row.id)).orderBy(desc(revisions.revision));
  return rows.map(revisionInfo);
}

export async function getRevision(db: Tx, actor: Actor, ref: string, n: number): Promise<RevisionInfo & { doc: Dataset }> {
  const { row } = await visibleRow(db, actor, ref, false);
  const [rev] = await db.select().from(revisions).where(and(eq(revisions.datasetId, row.id), eq(revisions.revision, n)));
  if (!rev) throw notFound('Revision', `${ref}/${n}`);
  return { ...revisionInfo(rev), doc: rev.doc };
}

/** Makes revision n's document current again (a new revision, state active). */
export async function restoreRevision(db: Tx, config: Config, actor: Actor, ref: string, n: number, opts: WriteOptions = {}): Promise<StoredDataset> {
  return db.transaction(async (tx) => {
    let revDoc: Dataset | undefined;
    return writeExisting(
      tx,
      config,
      actor,
      ref,
      'restore',
      opts,
      async (current) => {
        const [rev] = await tx.select().from(revisions).where(and(eq(revisions.datasetId, current.id), eq(revisions.revision, n)));
        if (!rev) throw notFound('Revision', `${ref}/${n}`);
        revDoc = rev.doc;
        const { '@context': _c, revision: _r, state: _s, metadataCreated: _mc, metadataModified: _mm, ...doc } = rev.doc as unknown as DatasetDocument;
        return doc as DatasetInput;
      },
      {
        state: 'active',
        // Read after build() ran: the revision's distributions keep their ids.
        get distributionIds() {
          return ((revDoc?.distribution ?? []) as { id?: string }[]).map((d) => d.id).filter((x): x is string => !!x);
        },
      },
    );
  });
}

/** Datasets of an organization, for admin views and checks (no visibility filter: callers check). */
export async function countByOrganization(db: Tx, orgId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(datasets).where(eq(datasets.organizationId, orgId));
  return r.n;
}
