import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { datasets, organizations } from '../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { orgsWith } from '../auth/permissions.js';
import { badRequest } from '../errors.js';
import type { FacetCount, FacetField, Filter, FilterField, SearchQuery, SearchResult, SortKey } from './query.js';
import { toStored, type StoredDataset } from './datasets.js';
import { ckanLicense, codeOfIri, resolveVocab } from './vocab.js';

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

function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

const FACET_SQL: Record<FacetField, SQL> = {
  organization: sql`SELECT 'organization' AS f, o.name AS v, count(*) AS n FROM m JOIN organizations o ON o.id = m.organization_id GROUP BY o.name`,
  groups: sql`SELECT 'groups' AS f, lower(x) AS v, count(*) AS n FROM m, unnest(m.themes) x GROUP BY 2`,
  tags: sql`SELECT 'tags' AS f, x AS v, count(*) AS n FROM m, unnest(m.keywords) x GROUP BY x`,
  res_format: sql`SELECT 'res_format' AS f, x AS v, count(*) AS n FROM m, unnest(m.formats) x GROUP BY x`,
  license_id: sql`SELECT 'license_id' AS f, x AS v, count(*) AS n FROM m, unnest(m.licenses) x GROUP BY x`,
  political_geocoding: sql`SELECT 'political_geocoding' AS f, x AS v, count(*) AS n FROM m, unnest(m.geocoding) x GROUP BY x`,
};

/** All requested facets in one statement; limit < 0 means all values. */
async function facetCounts(db: Tx, where: SQL, facets: NonNullable<SearchQuery['facets']>): Promise<Partial<Record<FacetField, FacetCount[]>>> {
  const fields = [...new Set(facets.fields)].filter((f) => f in FACET_SQL);
  const out: Partial<Record<FacetField, FacetCount[]>> = {};
  for (const f of fields) out[f] = [];
  if (!fields.length) return out;
  const union = sql.join(fields.map((f) => sql`(${FACET_SQL[f]})`), sql` UNION ALL `);
  const limit = facets.limit < 0 ? sql`TRUE` : sql`rn <= ${facets.limit}`;
  const res = await db.execute(sql`
    WITH m AS (SELECT d.organization_id, d.themes, d.keywords, d.formats, d.licenses, d.geocoding FROM datasets d WHERE ${where})
    SELECT f, v, n::int AS n FROM (
      SELECT f, v, n, row_number() OVER (PARTITION BY f ORDER BY n DESC, v) AS rn FROM (${union}) u WHERE n >= ${Math.max(1, facets.mincount)}
    ) z WHERE ${limit} ORDER BY f, n DESC, v`);
  for (const r of rowsOf<{ f: FacetField; v: string; n: number }>(res)) {
    out[r.f]?.push({ name: r.f === 'license_id' ? ckanLicense(r.v) : r.v, count: Number(r.n) });
  }
  return out;
}

async function loadStored(db: Tx, ids: string[]): Promise<StoredDataset[]> {
  if (!ids.length) return [];
  const rows = await db.select({ row: datasets, orgName: organizations.name }).from(datasets).innerJoin(organizations, eq(organizations.id, datasets.organizationId)).where(inArray(datasets.id, ids));
  const byId = new Map(rows.map((r) => [r.row.id, toStored(r.row, r.orgName)]));
  return ids.map((id) => byId.get(id)).filter((x): x is StoredDataset => !!x);
}

/** Number of datasets the actor sees that match. */
export async function countDatasets(db: Tx, actor: Actor, query: Omit<SearchQuery, 'limit'> & { limit?: number }): Promise<number> {
  const res = await db.execute(sql`SELECT count(*)::int AS n FROM datasets d WHERE ${whereOf(actor, { limit: 0, ...query })}`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

/** One page of results, the total count, facets, and the cursor of the next page. */
export async function searchDatasets(db: Tx, actor: Actor, query: SearchQuery): Promise<SearchResult<StoredDataset>> {
  const where = whereOf(actor, query);
  const specs = sortSpecs(query);
  const limit = Math.max(0, Math.floor(query.limit));
  const pageWhere = query.cursor ? joinAnd([where, afterCursor(specs, decodeCursor(specs, query.cursor))]) : where;
  const offset = query.cursor ? 0 : Math.max(0, Math.floor(query.offset ?? 0));
  const order = sql.join(specs.map((s) => sql`${s.expr} ${sql.raw(s.asc ? 'ASC' : 'DESC')}`), sql`, `);
  const keys = sql.join(specs.map((s, i) => sql`(${s.expr})::text AS ${sql.raw(`k${i}`)}`), sql`, `);

  const [count, page, facets] = await Promise.all([
    countDatasets(db, actor, query),
    limit > 0
      ? db.execute(sql`SELECT d.id::text AS id, ${keys} FROM datasets d WHERE ${pageWhere} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`)
      : Promise.resolve([]),
    query.facets ? facetCounts(db, where, query.facets) : Promise.resolve(undefined),
  ]);
  const rows = rowsOf<Record<string, string>>(page);
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const results = await loadStored(db, pageRows.map((r) => r.id));
  const last = pageRows[pageRows.length - 1];
  return {
    count,
    results,
    ...(facets ? { facets } : {}),
    ...(more && last ? { nextCursor: encodeCursor(specs, specs.map((_, i) => last[`k${i}`])) } : {}),
  };
}
