import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/client.js';
import { datasets, organizations } from '../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { orgsWith } from '../auth/permissions.js';
import { badRequest } from '../errors.js';
import type { FacetField, Filter, FilterField, SearchQuery, SearchResult, SortKey } from './query.js';
import { toStored, type StoredDataset } from './datasets.js';
import { codeOfIri, resolveVocab } from './vocab.js';
import { facetFields, liveSummary, matchColumns, rankedSummary, readSummary, tableCovers, tableSummary, type Summary, type SummaryRow } from './facet-counts.js';
import { codedFacet, codedSummary } from './search-keys.js';

/**
 * SearchQuery → SQL over the derived, indexed columns of `datasets` (alias d):
 * array fields use the GIN operators @> and &&, text uses the generated
 * German tsvector; nothing scans the jsonb document.
 */

type Scalar = 'id' | 'name' | 'uri' | 'identifier' | 'state' | 'title';
const SCALAR: Record<Scalar, SQL> = {
  id: sql`d.id::text`,
  name: sql`d.name`,
  uri: sql`d.uri`,
  identifier: sql`d.identifier`,
  state: sql`d.state`,
  title: sql`d.title`,
};
type ArrayField = 'keyword' | 'theme' | 'license' | 'format' | 'geocoding';
const ARRAY: Record<ArrayField, SQL> = {
  keyword: sql`d.keywords`,
  theme: sql`d.themes`,
  license: sql`d.licenses`,
  format: sql`d.formats`,
  geocoding: sql`d.geocoding`,
};
const DATES = { metadata_modified: sql`d.metadata_modified`, metadata_created: sql`d.metadata_created` } as const;

const isArrayField = (f: FilterField): f is ArrayField => f in ARRAY;
const isDateField = (f: FilterField): f is keyof typeof DATES => f in DATES;

/** The stored form of a filter value: theme and format codes, licence IRIs. */
function canonical(field: FilterField, v: string): string {
  switch (field) {
    case 'theme':
    case 'format':
      return (v.includes(':') ? codeOfIri(v) : v).toUpperCase();
    case 'license':
      return v.includes(':') ? v : (resolveVocab('license', v) ?? v);
    default:
      return v;
  }
}

function likePattern(v: string): string {
  return v.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%').replace(/\?/g, '_');
}

/** ISO date or date-time, or NOW; anything else is the client's error. */
function dateValue(v: string): string {
  if (v.toUpperCase() === 'NOW') return new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v))) throw badRequest(`"${v}" is not a date or date-time.`);
  return v;
}

function boolValue(v: string): boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest(`"${v}" is not true or false.`);
}

const joinAnd = (parts: SQL[]) => (parts.length ? sql.join(parts.map((p) => sql`(${p})`), sql` AND `) : sql`TRUE`);
const joinOr = (parts: SQL[]) => (parts.length ? sql.join(parts.map((p) => sql`(${p})`), sql` OR `) : sql`FALSE`);

function eqFilter(field: FilterField, raw: string): SQL {
  const v = canonical(field, raw);
  if (isArrayField(field)) return sql`${ARRAY[field]} @> ARRAY[${v}]::text[]`;
  if (isDateField(field)) return sql`${DATES[field]} = ${dateValue(v)}::timestamptz`;
  switch (field) {
    case 'text':
      return sql`d.search @@ websearch_to_tsquery('german', ${v})`;
    case 'title':
      return sql`to_tsvector('german', d.title) @@ websearch_to_tsquery('german', ${v})`;
    case 'organization':
      return sql`d.organization_id IN (SELECT o2.id FROM organizations o2 WHERE o2.name = ${v} OR o2.id::text = ${v})`;
    case 'private':
      return sql`d.private = ${boolValue(v)}`;
    default:
      return sql`${SCALAR[field as Scalar]} = ${v}`;
  }
}

function wildcardFilter(field: FilterField, raw: string): SQL {
  if (/^\*+$/.test(raw)) return existsFilter(field);
  const p = likePattern(field === 'theme' || field === 'format' ? raw.toUpperCase() : raw);
  if (isArrayField(field)) return sql`EXISTS (SELECT 1 FROM unnest(${ARRAY[field]}) x WHERE x LIKE ${p})`;
  if (isDateField(field)) return sql`${DATES[field]}::text LIKE ${p}`;
  switch (field) {
    case 'text': {
      // word* is a prefix query on the stemmed vector; anything else matches title and description.
      const m = /^([\p{L}\p{N}]+)\*$/u.exec(raw);
      if (m) return sql`d.search @@ to_tsquery('german', ${m[1] + ':*'})`;
      return sql`(d.title ILIKE ${p} OR d.description ILIKE ${p})`;
    }
    case 'title':
      return sql`d.title ILIKE ${p}`;
    case 'organization':
      return sql`d.organization_id IN (SELECT o2.id FROM organizations o2 WHERE o2.name LIKE ${p})`;
    case 'private':
      return sql`d.private::text LIKE ${p}`;
    default:
      return sql`${SCALAR[field as Scalar]} LIKE ${p}`;
  }
}

function rangeFilter(f: Extract<Filter, { op: 'range' }>): SQL {
  const parts: SQL[] = [];
  const bound = (v: string | undefined, incl: boolean, lower: boolean) => {
    if (v === undefined || v === '*') return;
    const op = sql.raw(lower ? (incl ? '>=' : '>') : incl ? '<=' : '<');
    if (isDateField(f.field)) parts.push(sql`${DATES[f.field]} ${op} ${dateValue(v)}::timestamptz`);
    else if (isArrayField(f.field)) parts.push(sql`EXISTS (SELECT 1 FROM unnest(${ARRAY[f.field]}) x WHERE x ${op} ${canonical(f.field, v)})`);
    else if (f.field === 'organization') parts.push(sql`d.organization_id IN (SELECT o2.id FROM organizations o2 WHERE o2.name ${op} ${v})`);
    else if (f.field in SCALAR) parts.push(sql`${SCALAR[f.field as Scalar]} ${op} ${v}`);
    else throw badRequest(`A range on ${f.field} is not supported.`);
  };
  bound(f.from, f.fromInclusive, true);
  bound(f.to, f.toInclusive, false);
  return joinAnd(parts);
}

function existsFilter(field: FilterField): SQL {
  if (isArrayField(field)) return sql`cardinality(${ARRAY[field]}) > 0`;
  if (field === 'identifier') return sql`coalesce(d.identifier, '') <> ''`;
  return sql`TRUE`;
}

export function compileFilter(f: Filter): SQL {
  switch (f.op) {
    case 'eq':
      return eqFilter(f.field, f.value);
    case 'wildcard':
      return wildcardFilter(f.field, f.value);
    case 'range':
      return rangeFilter(f);
    case 'exists':
      return existsFilter(f.field);
    case 'and':
      return joinAnd(f.filters.map(compileFilter));
    case 'or':
      return joinOr(f.filters.map(compileFilter));
    case 'not':
      return sql`NOT (${compileFilter(f.filter)})`;
    case 'all':
      return sql`TRUE`;
  }
}

const uuidList = (ids: string[]) => (ids.length ? sql`d.organization_id IN (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})` : sql`FALSE`);

/**
 * Anonymous: active public datasets. includePrivate: also private ones of
 * organizations where the actor has a role. Drafts and withdrawn ones only
 * with the flag and only in organizations the actor edits. Sysadmins: all.
 */
function visibility(actor: Actor, q: SearchQuery): SQL {
  const extra = [q.includeDrafts ? 'draft' : undefined, q.includeDeleted ? 'deleted' : undefined].filter((s): s is string => !!s);
  const states = extra.length
    ? actor.sysadmin
      ? sql`d.state IN (${sql.join(['active', ...extra].map((s) => sql`${s}`), sql`, `)})`
      : sql`(d.state = 'active' OR (d.state IN (${sql.join(extra.map((s) => sql`${s}`), sql`, `)}) AND ${uuidList(orgsWith(actor, 'editor'))}))`
    : sql`d.state = 'active'`;
  const priv = !q.includePrivate ? sql`NOT d.private` : actor.sysadmin ? sql`TRUE` : sql`(NOT d.private OR ${uuidList(orgsWith(actor, 'member'))})`;
  return sql`${states} AND ${priv}`;
}

function whereOf(actor: Actor, q: SearchQuery): SQL {
  const parts = [visibility(actor, q)];
  if (q.text?.trim()) parts.push(sql`d.search @@ websearch_to_tsquery('german', ${q.text.trim()})`);
  if (q.filter) parts.push(compileFilter(q.filter));
  return joinAnd(parts);
}

interface SortSpec {
  expr: SQL;
  /** How a cursor value is cast back for comparison. */
  cast: string;
  field: string;
  asc: boolean;
}

function sortSpecs(q: SearchQuery): SortSpec[] {
  const text = q.text?.trim();
  const keys: SortKey[] = q.sort?.length ? q.sort : text ? [{ field: 'score', direction: 'desc' }] : [{ field: 'metadata_modified', direction: 'desc' }];
  const specs: SortSpec[] = [];
  for (const k of keys) {
    const asc = k.direction === 'asc';
    switch (k.field) {
      case 'score':
        if (text) specs.push({ field: 'score', expr: sql`ts_rank(d.search, websearch_to_tsquery('german', ${text}))`, cast: 'real', asc });
        break;
      case 'metadata_modified':
      case 'metadata_created':
        specs.push({ field: k.field, expr: DATES[k.field], cast: 'timestamptz', asc });
        break;
      case 'title':
        specs.push({ field: 'title', expr: sql`d.title`, cast: 'text', asc });
        break;
      case 'name':
        specs.push({ field: 'name', expr: sql`d.name`, cast: 'text', asc });
        break;
      case 'id':
        specs.push({ field: 'id', expr: sql`d.id`, cast: 'uuid', asc });
        break;
    }
    if (k.field === 'id' || k.field === 'name') break; // unique: later keys never decide
  }
  if (!specs.some((s) => s.field === 'id' || s.field === 'name')) specs.push({ field: 'id', expr: sql`d.id`, cast: 'uuid', asc: true });
  return specs;
}

const signature = (specs: SortSpec[]) => specs.map((s) => `${s.field}:${s.asc ? 'a' : 'd'}`).join(',');

function encodeCursor(specs: SortSpec[], values: string[]): string {
  return Buffer.from(JSON.stringify({ s: signature(specs), v: values })).toString('base64url');
}

function decodeCursor(specs: SortSpec[], cursor: string): string[] {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown };
    if (c.s === signature(specs) && Array.isArray(c.v) && c.v.length === specs.length && c.v.every((x) => typeof x === 'string')) return c.v as string[];
  } catch {
    // fall through
  }
  throw badRequest('The cursor is invalid or belongs to a query with another sort order.');
}

/** (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, each key in its own direction. */
function afterCursor(specs: SortSpec[], values: string[]): SQL {
  const ors: SQL[] = [];
  specs.forEach((s, i) => {
    const ands: SQL[] = [];
    for (let j = 0; j < i; j++) ands.push(sql`${specs[j].expr} = ${values[j]}::${sql.raw(specs[j].cast)}`);
    ands.push(sql`${s.expr} ${sql.raw(s.asc ? '>' : '<')} ${values[i]}::${sql.raw(s.cast)}`);
    ors.push(joinAnd(ands));
  });
  return joinOr(ors);
}

/**
 * Loads the rows of a page's ids, in the order given; a face that needs less than the
 * whole document passes its own. With `columns` (over alias d) and `fromRows`, a search
 * without free text selects them in the page statement itself: one round trip less.
 */
export interface RowLoader<T> {
  (db: Tx, ids: string[]): Promise<T[]>;
  columns?: SQL;
  fromRows?: (rows: Record<string, unknown>[]) => T[];
}

async function loadStored(db: Tx, ids: string[]): Promise<StoredDataset[]> {
  if (!ids.length) return [];
  const rows = await db.select({ row: datasets, orgName: organizations.name }).from(datasets).innerJoin(organizations, eq(organizations.id, datasets.organizationId)).where(inArray(datasets.id, ids));
  const byId = new Map(rows.map((r) => [r.row.id, toStored(r.row, r.orgName)]));
  return ids.map((id) => byId.get(id)).filter((x): x is StoredDataset => !!x);
}

interface StoredRow {
  id: string;
  name: string;
  uri: string;
  organization_id: string;
  org_name: string;
  private: boolean;
  state: StoredDataset['state'];
  revision: number;
  metadata_created: Date | string;
  metadata_modified: Date | string;
  doc: StoredDataset['doc'];
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

// The page statement reads these for its own rows, after ordering and limiting: no second round trip.
loadStored.columns = sql`d.name, d.uri, d.organization_id::text AS organization_id, (SELECT o.name FROM organizations o WHERE o.id = d.organization_id) AS org_name, d.private, d.state, d.revision, d.metadata_created, d.metadata_modified, d.doc`;
loadStored.fromRows = (rows: Record<string, unknown>[]): StoredDataset[] =>
  (rows as unknown as StoredRow[]).map((r) =>
    toStored(
      { id: r.id, name: r.name, uri: r.uri, organizationId: r.organization_id, private: r.private, state: r.state, revision: Number(r.revision), metadataCreated: asDate(r.metadata_created), metadataModified: asDate(r.metadata_modified), doc: r.doc },
      r.org_name,
    ),
  );

/** A page row as what names the version of its answers: id, organization, and the row's version. */
export interface DatasetVersion {
  id: string;
  organizationId: string;
  /**
   * The revision and the transaction that wrote the row (xmin): any write makes a new
   * pair, also one that keeps the revision (a deleted dataset giving up its name).
   */
  version: string;
}

const VERSION = sql`d.revision::text || '.' || d.xmin::text`;
const VERSION_COLUMNS = sql`d.organization_id::text AS organization_id, ${VERSION} AS version`;
const toVersions = (rows: Record<string, unknown>[]): DatasetVersion[] =>
  rows.map((r) => ({ id: String(r.id), organizationId: String(r.organization_id), version: String(r.version) }));

/** Versions, not documents: for faces that keep their answers per version (../api/answer-cache.ts). */
export async function loadVersions(db: Tx, ids: string[]): Promise<DatasetVersion[]> {
  if (!ids.length) return [];
  const res = await db.execute(sql`SELECT d.id::text AS id, ${VERSION_COLUMNS} FROM datasets d WHERE d.id IN (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`);
  const byId = new Map(toVersions(rowsOf(res)).map((v) => [v.id, v]));
  return ids.map((id) => byId.get(id)).filter((x): x is DatasetVersion => !!x);
}
loadVersions.columns = VERSION_COLUMNS;
loadVersions.fromRows = toVersions;

/** The stored datasets of `ids` with their versions, in the order given; ids gone since are left out. */
export async function loadVersioned(db: Tx, ids: readonly string[]): Promise<{ stored: StoredDataset; version: string }[]> {
  if (!ids.length) return [];
  const res = await db.execute(
    sql`SELECT d.id::text AS id, ${loadStored.columns}, ${VERSION} AS version FROM datasets d WHERE d.id IN (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`,
  );
  const rows = rowsOf<Record<string, unknown>>(res);
  const stored = loadStored.fromRows(rows);
  const byId = new Map(stored.map((s, i) => [s.id, { stored: s, version: String(rows[i].version) }]));
  return ids.map((id) => byId.get(id)).filter((x): x is { stored: StoredDataset; version: string } => !!x);
}

/** Number of datasets the actor sees that match. */
export async function countDatasets(db: Tx, actor: Actor, query: Omit<SearchQuery, 'limit'> & { limit?: number }): Promise<number> {
  const res = await db.execute(sql`SELECT count(*)::int AS n FROM datasets d WHERE ${whereOf(actor, { limit: 0, ...query })}`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

/** Conditions of filters that are conjunctions of key columns of facet_counts. */
const KEY_FIELDS = new Set<FilterField>(['organization', 'state', 'private']);
/** Filter dimensions of facet_counts: one value of one of them per search. */
const DIM_FIELDS = new Set<FilterField>(['theme', 'format', 'license']);

/**
 * The rows of facet_counts (alias d) that hold a search's total and facets,
 * or undefined when the table cannot answer it: free text, more than one
 * theme/format/licence value, or any other filter than organization, state
 * and private go through the matches.
 */
function countTableCondition(actor: Actor, q: SearchQuery, fields: FacetField[]): SQL | undefined {
  if (q.text?.trim()) return undefined;
  const keys: SQL[] = [];
  let dim: { field: FilterField; value: string } | undefined;
  const walk = (f: Filter): boolean => {
    if (f.op === 'all') return true;
    if (f.op === 'and') return f.filters.every(walk);
    if (f.op !== 'eq') return false;
    if (KEY_FIELDS.has(f.field)) {
      keys.push(eqFilter(f.field, f.value));
      return true;
    }
    if (!DIM_FIELDS.has(f.field)) return false;
    const value = canonical(f.field, f.value);
    if (dim && (dim.field !== f.field || dim.value !== value)) return false;
    dim = { field: f.field, value };
    return true;
  };
  if (q.filter && !walk(q.filter)) return undefined;
  if (!tableCovers(fields, dim !== undefined)) return undefined;
  return joinAnd([sql`d.filter_field = ${dim?.field ?? ''}`, sql`d.filter_value = ${dim?.value ?? ''}`, visibility(actor, q), ...keys]);
}

const withCtes = (ctes: SQL[]) => (ctes.length ? sql`WITH ${sql.join(ctes, sql`, `)} ` : sql``);

/** Total and facets of a search without free text: from facet_counts when it covers the search, else one grouping-sets pass. */
async function summaryOf(db: Tx, actor: Actor, query: SearchQuery, where: SQL, fields: FacetField[]): Promise<Summary> {
  const cond = countTableCondition(actor, query, fields);
  const s = cond ? tableSummary(fields, cond) : liveSummary(fields);
  const ctes = cond ? s.ctes : [sql`m AS (SELECT ${matchColumns(fields)} FROM datasets d WHERE ${where})`, ...s.ctes];
  const res = await db.execute(sql`${withCtes(ctes)}${rankedSummary(s.union, query.facets)}`);
  return readSummary(rowsOf<SummaryRow>(res), fields, query.facets);
}

/**
 * dataset_search (migrations 0005, 0006) holds, per dataset, visibility, the search vector,
 * metadata_modified and the coded keys of four facets: a free-text search reads its matches
 * there instead of the wide datasets heap when all it needs is in it.
 */
const KEYED_FILTERS = new Set<FilterField>(['organization', 'state', 'private']);
const DATASETS = sql`datasets`;
const SEARCH_TABLE = sql`dataset_search`;

function filterKeyed(f: Filter): boolean {
  switch (f.op) {
    case 'and':
    case 'or':
      return f.filters.every(filterKeyed);
    case 'not':
      return filterKeyed(f.filter);
    case 'all':
      return true;
    case 'exists':
      return false;
    default:
      return KEYED_FILTERS.has(f.field);
  }
}

function keyedCovers(q: SearchQuery, specs: SortSpec[], fields: FacetField[]): boolean {
  return !!q.text?.trim() && fields.every(codedFacet) && specs.every((s) => s.field === 'score' || s.field === 'id' || s.field === 'metadata_modified') && (!q.filter || filterKeyed(q.filter));
}

/**
 * The ids and sort keys (as text) of a page, `inline` columns (over alias d of datasets) beside them.
 * The keys are computed once per match in a subquery that orders and limits, and the inline
 * columns joined for the page's rows alone: carried through the sort, a document was copied
 * for every match; in one select list ts_rank ran twice per match (sort key and text).
 */
function pageSql(from: SQL, specs: SortSpec[], where: SQL, limit: number, offset: number, inline: SQL | undefined): SQL {
  const dir = (s: SortSpec) => sql.raw(s.asc ? 'ASC' : 'DESC');
  const k = (i: number) => sql.raw(`k${i}`);
  const inner = sql.join(specs.map((s, i) => sql`${s.expr} AS ${k(i)}`), sql`, `);
  const innerOrder = sql.join(specs.map((s, i) => sql`${k(i)} ${dir(s)}`), sql`, `);
  const keys = sql.join(specs.map((_, i) => sql`t.${k(i)}::text AS ${k(i)}`), sql`, `);
  const order = sql.join(specs.map((s, i) => sql`t.${k(i)} ${dir(s)}`), sql`, `);
  const page = sql`(SELECT d.id, ${inner} FROM ${from} d WHERE ${where} ORDER BY ${innerOrder} LIMIT ${limit} OFFSET ${offset}) t`;
  return inline ? sql`SELECT t.id::text AS id, ${keys}, ${inline} FROM ${page} JOIN datasets d ON d.id = t.id ORDER BY ${order}` : sql`SELECT t.id::text AS id, ${keys} FROM ${page} ORDER BY ${order}`;
}

/**
 * One page of results, the total count, facets, and the cursor of the next page.
 * `load` reads the page's rows (default: the whole StoredDataset every face shows).
 */
export async function searchDatasets(db: Tx, actor: Actor, query: SearchQuery): Promise<SearchResult<StoredDataset>>;
export async function searchDatasets<T>(db: Tx, actor: Actor, query: SearchQuery, load: RowLoader<T>): Promise<SearchResult<T>>;
export async function searchDatasets<T>(db: Tx, actor: Actor, query: SearchQuery, load?: RowLoader<T>): Promise<SearchResult<T | StoredDataset>> {
  const where = whereOf(actor, query);
  const specs = sortSpecs(query);
  const limit = Math.max(0, Math.floor(query.limit));
  const cursor = query.cursor ? decodeCursor(specs, query.cursor) : undefined;
  const offset = cursor ? 0 : Math.max(0, Math.floor(query.offset ?? 0));
  const fields = facetFields(query.facets);

  const loader: RowLoader<T | StoredDataset> = load ?? loadStored;
  const inline = loader.columns && loader.fromRows ? { columns: loader.columns, fromRows: loader.fromRows } : undefined;
  // Total and facets, and the page, as two statements run together: with free text each reads
  // the matches once (on two connections, so on two cores); one statement carrying the matches
  // through a CTE to both was slower, as its ranking, sort and grouping ran one after another.
  const pageWhere = cursor ? joinAnd([where, afterCursor(specs, cursor)]) : where;
  const keyed = keyedCovers(query, specs, fields);
  const known: Summary | undefined = query.knownCount !== undefined && !query.facets ? { count: query.knownCount } : undefined;
  const [summary, rows] = await Promise.all([
    known ?? (keyed ? codedSummary(db, where, fields, query.facets) : summaryOf(db, actor, query, where, fields)),
    limit > 0
      ? db.execute(pageSql(keyed ? SEARCH_TABLE : DATASETS, specs, pageWhere, limit + 1, offset, inline?.columns)).then((r) => rowsOf<Record<string, string>>(r))
      : Promise.resolve([]),
  ]);
  const page = { rows, summary };
  const more = page.rows.length > limit;
  const pageRows = page.rows.slice(0, limit);
  const results = inline ? inline.fromRows(pageRows) : await loader(db, pageRows.map((r) => r.id));
  const last = pageRows[pageRows.length - 1];
  return {
    count: page.summary.count,
    results,
    ...(page.summary.facets ? { facets: page.summary.facets } : {}),
    ...(more && last ? { nextCursor: encodeCursor(specs, specs.map((_, i) => last[`k${i}`])) } : {}),
  };
}
