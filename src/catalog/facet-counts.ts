import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/client.js';
import type { FacetCount, FacetField, SearchQuery } from './query.js';
import { ckanLicense } from './vocab.js';

/**
 * The total and the facet counts of a search, as SQL that yields rows
 * (f, v, n): f '#' is the number of matches, every other f a facet value.
 * Two sources with one result: the facet_counts table (with the changes
 * writes append in their transaction, see migrations 0002 and 0008) for
 * searches it covers, and a pass over the matches for all others.
 */

export type Facets = NonNullable<SearchQuery['facets']>;
export type FacetResult = Partial<Record<FacetField, FacetCount[]>>;
export interface Summary {
  count: number;
  facets?: FacetResult;
}

interface ArrayFacet {
  /** Column of datasets (and of the CTE m of the matches). */
  column: string;
  /** `field` in facet_counts. */
  key: string;
  /** CKAN group names are the lower-case theme codes. */
  lower?: boolean;
}

const ARRAY_FACETS: Record<Exclude<FacetField, 'organization'>, ArrayFacet> = {
  groups: { column: 'themes', key: 'theme', lower: true },
  res_format: { column: 'formats', key: 'format' },
  license_id: { column: 'licenses', key: 'license' },
  political_geocoding: { column: 'geocoding', key: 'geocoding' },
  tags: { column: 'keywords', key: 'keyword' },
};

const KNOWN = new Set<string>(['organization', ...Object.keys(ARRAY_FACETS)]);

/** The requested facet fields, each once, unknown ones dropped. */
export function facetFields(facets: Facets | undefined): FacetField[] {
  return facets ? [...new Set(facets.fields)].filter((f) => KNOWN.has(f)) : [];
}

/** Columns the CTE m of the matches must carry for these facets. */
export function matchColumns(fields: FacetField[]): SQL {
  const cols = fields.map((f) => (f === 'organization' ? 'organization_id' : ARRAY_FACETS[f].column));
  return sql.raw(cols.length ? cols.map((c) => `d.${c}`).join(', ') : 'd.id AS _');
}

/** A statement's CTEs and the union of its (f, v, n) selects. */
export interface SummarySql {
  ctes: SQL[];
  union: SQL;
}

/**
 * Over the CTE m of the matches: one grouping-sets pass yields the total and
 * the counts per distinct organization, theme list, format list, … (a few
 * hundred groups, not one row per array element); only those groups are
 * unnested. Keyword lists are nearly all distinct, so tags unnest m itself.
 */
export function liveSummary(fields: FacetField[]): SummarySql {
  const grouped = fields.filter((f) => f !== 'tags');
  const cols = grouped.map((f) => (f === 'organization' ? 'organization_id' : ARRAY_FACETS[f].column));
  const parts: SQL[] = [];
  const ctes: SQL[] = [];
  if (!cols.length) parts.push(sql`SELECT '#' AS f, '' AS v, count(*) AS n FROM m`);
  else {
    const list = sql.raw(cols.join(', '));
    const sets = sql.raw(['()', ...cols.map((c) => `(${c})`)].join(', '));
    ctes.push(sql`g AS (SELECT GROUPING(${list}) AS gid, ${list}, count(*) AS n FROM m GROUP BY GROUPING SETS (${sets}))`);
    // GROUPING(): one bit per column, first column highest, 1 = not grouped in this row.
    const all = (1 << cols.length) - 1;
    const only = (i: number) => sql.raw(String(all ^ (1 << (cols.length - 1 - i))));
    parts.push(sql`SELECT '#' AS f, '' AS v, n FROM g WHERE gid = ${sql.raw(String(all))}`);
    grouped.forEach((f, i) => {
      if (f === 'organization') {
        parts.push(sql`SELECT 'organization' AS f, o.name AS v, sum(g.n) AS n FROM g JOIN organizations o ON o.id = g.organization_id WHERE g.gid = ${only(i)} GROUP BY o.name`);
      } else {
        const a = ARRAY_FACETS[f];
        const v = a.lower ? sql`lower(x)` : sql`x`;
        parts.push(sql`SELECT ${f} AS f, ${v} AS v, sum(g.n) AS n FROM g, unnest(g.${sql.raw(a.column)}) x WHERE g.gid = ${only(i)} GROUP BY 2`);
      }
    });
  }
  if (fields.includes('tags')) parts.push(sql`SELECT 'tags' AS f, x AS v, count(*) AS n FROM m, unnest(m.keywords) x GROUP BY x`);
  return { ctes, union: sql.join(parts.map((p) => sql`(${p})`), sql` UNION ALL `) };
}

/** Can facet_counts answer these facets? Keywords are counted only for the unfiltered catalog. */
export function tableCovers(fields: FacetField[], filtered: boolean): boolean {
  return !(filtered && fields.includes('tags'));
}

/**
 * The changes writes appended and no fold has taken yet (migration 0008), as
 * rows of facet_counts: each dataset row's keys, expanded as the fold does.
 */
const PENDING = sql.raw(`(SELECT k.filter_field, k.filter_value, k.field, k.value, r.organization_id, r.private, r.state, r.n
  FROM facet_count_changes r, facet_count_keys(r.themes, r.formats, r.licenses, r.geocoding, r.keywords) k)`);

/**
 * From facet_counts and the changes not yet folded into it (alias d, rows
 * selected by `cond`: filter dimension, visibility, organization/state/private
 * conditions on their key columns): sums over a few hundred rows instead of a
 * pass over the matches.
 */
export function tableSummary(fields: FacetField[], cond: SQL): SummarySql {
  const keys = ['#', ...fields.flatMap((f) => (f === 'organization' ? [] : [ARRAY_FACETS[f].key]))];
  const fieldIn = sql`d.field IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`;
  const ctes = [
    sql`c AS (SELECT d.field, d.value, d.organization_id, d.n FROM facet_counts d WHERE ${cond} AND ${fieldIn}
      UNION ALL SELECT d.field, d.value, d.organization_id, d.n FROM ${PENDING} d WHERE ${cond} AND ${fieldIn})`,
  ];
  const parts: SQL[] = [sql`SELECT '#' AS f, '' AS v, coalesce(sum(c.n), 0) AS n FROM c WHERE c.field = '#'`];
  for (const f of fields) {
    if (f === 'organization') {
      parts.push(sql`SELECT 'organization' AS f, o.name AS v, sum(c.n) AS n FROM c JOIN organizations o ON o.id = c.organization_id WHERE c.field = '#' GROUP BY o.name`);
    } else {
      const a = ARRAY_FACETS[f];
      parts.push(sql`SELECT ${f} AS f, ${a.lower ? sql`lower(c.value)` : sql`c.value`} AS v, sum(c.n) AS n FROM c WHERE c.field = ${a.key} GROUP BY 2`);
    }
  }
  return { ctes, union: sql.join(parts.map((p) => sql`(${p})`), sql` UNION ALL `) };
}

/** The total, and per facet the values with at least mincount matches, most first, at most limit (< 0: all). */
export function rankedSummary(union: SQL, facets: Facets | undefined): SQL {
  const min = Math.max(1, facets?.mincount ?? 1);
  const limit = facets && facets.limit >= 0 ? sql`z.rn <= ${facets.limit}` : sql`TRUE`;
  return sql`SELECT z.f, z.v, z.n::int AS n, z.rn::int AS rn FROM (
      SELECT u.f, u.v, u.n, row_number() OVER (PARTITION BY u.f ORDER BY u.n DESC, u.v) AS rn FROM (${union}) u WHERE u.f = '#' OR u.n >= ${min}
    ) z WHERE z.f = '#' OR ${limit}`;
}

export interface SummaryRow {
  f: string;
  v: string;
  n: number | string;
  /** Rank within its facet (count, then value in the database's collation). */
  rn: number | string;
}

export function readSummary(rows: SummaryRow[], fields: FacetField[], facets: Facets | undefined): Summary {
  let count = 0;
  const out: FacetResult = {};
  for (const f of fields) out[f] = [];
  const sorted = rows.filter((r) => r.f !== '#' && KNOWN.has(r.f)).sort((a, b) => Number(a.rn) - Number(b.rn));
  for (const r of rows) if (r.f === '#') count = Number(r.n);
  for (const r of sorted) (out[r.f as FacetField] ??= []).push({ name: r.f === 'license_id' ? ckanLicense(r.v) : r.v, count: Number(r.n) });
  return facets ? { count, facets: out } : { count };
}

/**
 * Moves the facet count changes writes have appended into facet_counts
 * (migration 0008); returns the number of changes it took. Safe to run
 * anywhere at any time: concurrent folds take disjoint changes.
 */
export async function foldFacetCounts(db: Tx): Promise<number> {
  const res = await db.execute(sql`SELECT fold_facet_count_changes() AS n`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

/**
 * Vacuums facet_count_changes. Every fold deletes what writes appended, so the
 * table is mostly dead rows until a vacuum; where autovacuum is off or behind,
 * each fold and each facet read scanned them (a fold over 2.4M dead rows took
 * 60–370 ms instead of under 1 ms). A vacuum of the nearly empty table takes a
 * millisecond or two; SKIP_LOCKED leaves it to one already at work (autovacuum,
 * another instance). Not in a transaction: VACUUM cannot run in one.
 */
export async function vacuumFacetCountChanges(db: Tx): Promise<void> {
  await db.execute(sql`VACUUM (SKIP_LOCKED) facet_count_changes`);
}
