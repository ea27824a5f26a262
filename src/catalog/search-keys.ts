import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/client.js';
import type { FacetField } from './query.js';
import { organizationsByRef } from './organizations.js';
import type { FacetResult, Facets, Summary } from './facet-counts.js';
import { ckanLicense } from './vocab.js';

/**
 * The facet codes of dataset_search (migration 0006): each match carries its
 * keys ('o:<organization id>', 't:<theme>', 'f:<format>', 'l:<licence IRI>') as
 * codes of the search_keys dictionary, packed into one bytea (LEB128, one byte
 * for a code below 128). A free-text search asks for the count and the
 * concatenated codes of its matches and counts them here.
 */

/** Facet fields the codes hold, by key prefix. */
const PREFIX: Partial<Record<FacetField, string>> = { organization: 'o:', groups: 't:', res_format: 'f:', license_id: 'l:' };

export const codedFacet = (f: FacetField): boolean => f in PREFIX;

// Codes are never reused, so what a process has read stays true: one dictionary per database.
const dictionaries = new WeakMap<object, Map<number, string>>();

async function keysOf(db: Tx, codes: Iterable<number>): Promise<Map<number, string>> {
  // A transaction may see codes its own writes added; it reads them for itself.
  const shared = !('rollback' in db);
  let dict = shared ? dictionaries.get(db) : undefined;
  if (!dict) {
    dict = new Map();
    if (shared) dictionaries.set(db, dict);
  }
  const missing = [...codes].filter((c) => !dict.has(c));
  if (missing.length) {
    const res = await db.execute(sql`SELECT code, key FROM search_keys WHERE code = ANY(${`{${missing.join(',')}}`}::int[])`);
    for (const r of rowsOf<{ code: number; key: string }>(res)) dict.set(Number(r.code), r.key);
  }
  return dict;
}

/** Count per code in the packed codes of all matches. */
export function countCodes(packed: Uint8Array): Map<number, number> {
  const counts = new Map<number, number>();
  let code = 0;
  let shift = 0;
  for (let i = 0; i < packed.length; i++) {
    const b = packed[i];
    code |= (b & 127) << shift;
    if (b & 128) {
      shift += 7;
      continue;
    }
    counts.set(code, (counts.get(code) ?? 0) + 1);
    code = 0;
    shift = 0;
  }
  return counts;
}

/** The statement's bytea: a Buffer from node-postgres, a Uint8Array from PGlite, or null without matches. */
function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string' && v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  return new Uint8Array(0);
}

/**
 * Total and facets of the matches `where` selects in dataset_search (alias d), with the
 * semantics of rankedSummary: per facet the values with at least mincount matches, most
 * first, ties by value, at most limit (< 0: all).
 */
export async function codedSummary(db: Tx, where: ReturnType<typeof sql>, fields: FacetField[], facets: Facets | undefined): Promise<Summary> {
  const codes = fields.length ? sql`string_agg(d.facet_codes, ''::bytea)` : sql`NULL::bytea`;
  const res = await db.execute(sql`SELECT count(*)::int AS n, ${codes} AS codes FROM dataset_search d WHERE ${where}`);
  const row = rowsOf<{ n: number | string; codes: unknown }>(res)[0];
  const count = Number(row?.n ?? 0);
  if (!facets) return { count };
  const out: FacetResult = {};
  for (const f of fields) out[f] = [];
  if (!fields.length || !count) return { count, facets: out };

  const counts = countCodes(bytesOf(row.codes));
  const dict = await keysOf(db, counts.keys());
  const byPrefix = new Map<string, FacetField>();
  for (const f of fields) byPrefix.set(PREFIX[f]!, f);
  const values = new Map<FacetField, Map<string, number>>();
  const orgIds: string[] = [];
  for (const [code, n] of counts) {
    const key = dict.get(code);
    const field = key && byPrefix.get(key.slice(0, 2));
    if (!key || !field) continue;
    const raw = key.slice(2);
    if (field === 'organization') orgIds.push(raw);
    let m = values.get(field);
    if (!m) values.set(field, (m = new Map()));
    m.set(raw, (m.get(raw) ?? 0) + n);
  }
  const orgs = orgIds.length ? await organizationsByRef(db, orgIds) : undefined;
  const min = Math.max(1, facets.mincount ?? 1);
  for (const [field, m] of values) {
    const merged = new Map<string, number>();
    for (const [raw, n] of m) {
      const v = field === 'organization' ? orgs?.get(raw)?.name : field === 'groups' ? raw.toLowerCase() : raw;
      if (v !== undefined) merged.set(v, (merged.get(v) ?? 0) + n);
    }
    // The database's order (C collation): count descending, then value by code point.
    const ranked = [...merged].filter(([, n]) => n >= min).sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : va > vb ? 1 : 0));
    const kept = facets.limit >= 0 ? ranked.slice(0, facets.limit) : ranked;
    out[field] = kept.map(([v, n]) => ({ name: field === 'license_id' ? ckanLicense(v) : v, count: n }));
  }
  return { count, facets: out };
}
