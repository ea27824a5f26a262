import { badRequest } from '../../errors.js';
import type { Filter } from '../../catalog/query.js';
import type { Profile } from '../../domain/property.js';
import { parseFilters, parseQ, SolrSyntaxError } from '../../ckan/solr.js';

/** What a catalog request asks for, read from ckanext-dcat's query parameters. */
export interface CatalogParams {
  page: number;
  text?: string;
  filter?: Filter;
  profile: Profile;
  /** Keyset cursor of the page (from a hydra:next link). */
  cursor?: string;
  /** The parameters that page links carry on, as given (ckanext-dcat: q, fq, modified_since, profiles). */
  carried: [string, string][];
}

type Query = Record<string, string | string[] | undefined>;

const one = (query: Query, name: string): string | undefined => {
  const v = query[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw badRequest(`The parameter ${name} may be given once.`);
    return v[0];
  }
  return v;
};

const PROFILES: Record<string, Profile> = {
  'dcat-ap-de-2': 'dcat-ap-de-2',
  '2': 'dcat-ap-de-2',
  '2.0': 'dcat-ap-de-2',
  dcatap_de: 'dcat-ap-de-2',
  'dcat-ap-de-3': 'dcat-ap-de-3',
  '3': 'dcat-ap-de-3',
  '3.0': 'dcat-ap-de-3',
};

/** `profile` (also ckanext-dcat's `profiles`): DCAT-AP.de 2.0 or 3.0. */
export function readProfile(query: Query, fallback: Profile): Profile {
  const raw = one(query, 'profile') ?? one(query, 'profiles');
  if (raw === undefined || raw.trim() === '') return fallback;
  const p = PROFILES[raw.trim().toLowerCase()];
  if (!p) throw badRequest(`Unknown profile "${raw}"; use dcat-ap-de-2 (DCAT-AP.de 2.0) or dcat-ap-de-3 (DCAT-AP.de 3.0).`, { profiles: ['dcat-ap-de-2', 'dcat-ap-de-3'] });
  return p;
}

/** ISO 8601 date or date-time → UTC instant; ckanext-dcat's "dateutil parses it" made strict. */
function modifiedSince(raw: string): string {
  const s = raw.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  const instant = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`) : NaN;
  if (Number.isNaN(instant)) throw badRequest(`modified_since "${raw}" is not an ISO 8601 date or date-time (e.g. 2024-05-01 or 2024-05-01T10:00:00Z).`);
  return new Date(instant).toISOString();
}

function solr<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SolrSyntaxError) throw badRequest(`The search query is invalid: ${err.message}`, err.term ? { term: err.term } : undefined);
    throw err;
  }
}

/** Reads page, q, fq, modified_since, profile and cursor; anything malformed is a 400 naming it. */
export function readCatalogParams(query: Query, defaultProfile: Profile): CatalogParams {
  const pageRaw = one(query, 'page');
  let page = 1;
  if (pageRaw !== undefined) {
    if (!/^\d+$/.test(pageRaw.trim()) || Number(pageRaw) < 1 || !Number.isSafeInteger(Number(pageRaw))) throw badRequest('Page param must be a positive integer starting in 1.');
    page = Number(pageRaw);
  }
  const q = one(query, 'q');
  const fqRaw = query.fq;
  const fqs = Array.isArray(fqRaw) ? fqRaw : fqRaw === undefined ? [] : [fqRaw];
  const since = one(query, 'modified_since');
  const { text, filter: qFilter } = solr(() => parseQ(q));
  const fqFilter = solr(() => parseFilters(fqs));
  const filters = [qFilter, fqFilter].filter((f): f is Filter => !!f);
  if (since !== undefined && since.trim() !== '') {
    filters.push({ op: 'range', field: 'metadata_modified', from: modifiedSince(since), fromInclusive: true, toInclusive: true });
  }
  const carried: [string, string][] = [];
  if (q !== undefined) carried.push(['q', q]);
  for (const fq of fqs) carried.push(['fq', fq]);
  if (since !== undefined) carried.push(['modified_since', since]);
  for (const name of ['profile', 'profiles']) {
    const v = one(query, name);
    if (v !== undefined) carried.push([name, v]);
  }
  const cursor = one(query, 'cursor');
  return {
    page,
    text,
    filter: filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { op: 'and', filters },
    profile: readProfile(query, defaultProfile),
    ...(cursor ? { cursor } : {}),
    carried,
  };
}
