import { and, asc, eq, not } from 'drizzle-orm';
import { loadVersions, searchDatasets } from '../../../catalog/search.js';
import type { FacetCount, FacetField, Filter, SearchQuery, SearchResult, SortKey } from '../../../catalog/query.js';
import { datasets } from '../../../db/schema.js';
import { licenses, themes } from '../../../domain/vocab/index.js';
import { CkanError, validationError } from '../../../ckan/errors.js';
import { bool, jsonList, natural, str, strings, type Data } from '../../../ckan/params.js';
import { parseFilters, parseQ, SolrSyntaxError } from '../../../ckan/solr.js';
import { ckanFormatOf, ckanLicenseIdOf, type Dict } from '../../../ckan/package.js';
import { memo } from '../../../ckan/memo.js';
import type { Organization } from '../../../catalog/organizations.js';
import type { ActionContext, Actions } from '../action.js';

const MAX_ROWS = 1000;
const DEFAULT_SORT = 'score desc, metadata_modified desc';

/** package_search's parameters (default_package_search_schema); Solr knobs are accepted and ignored. */
const KNOWN = new Set([
  'q', 'fq', 'fq_list', 'rows', 'start', 'sort', 'facet', 'facet.field', 'facet.limit', 'facet.mincount', 'include_private', 'include_drafts',
  'include_deleted', 'fl', 'use_default_schema', 'qf', 'wt', 'bf', 'boost', 'tie', 'defType', 'mm', 'df', 'q.op', 'callback', '_',
]);

const SORT_FIELDS: Record<string, SortKey['field'] | null> = {
  score: 'score',
  rank: 'score',
  metadata_modified: 'metadata_modified',
  metadata_created: 'metadata_created',
  name: 'name',
  id: 'id',
  title_string: 'title',
  // Popularity is not tracked: accepted, no effect.
  views_recent: null,
  views_total: null,
};

const FACETS: Record<string, FacetField> = {
  organization: 'organization',
  owner_org: 'organization',
  groups: 'groups',
  tags: 'tags',
  res_format: 'res_format',
  license_id: 'license_id',
  politicalGeocodingURI: 'political_geocoding',
};

export function parseSort(raw: string | undefined): { keys: SortKey[]; echo: string } {
  const s = raw?.trim();
  if (!s || s === 'rank') return { keys: parseSort(DEFAULT_SORT).keys, echo: DEFAULT_SORT };
  const keys: SortKey[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(asc|desc)$/i.exec(part);
    if (!m) throw new CkanError('Search Query Error', `Search Query is invalid: ('Invalid "sort" parameter',)`);
    if (!(m[1] in SORT_FIELDS)) throw new CkanError('Search Error', `Search error: ('Can not sort on field "${m[1]}"',)`);
    const field = SORT_FIELDS[m[1]];
    if (field) keys.push({ field, direction: m[2].toLowerCase() as 'asc' | 'desc' });
  }
  return { keys, echo: s };
}

function solr<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SolrSyntaxError) throw new CkanError('Search Error', `Search error: ${err.message}`);
    throw err;
  }
}

// Facet values and display names from the vocabularies: the same few names on every search, looked up once.
const licenseIdOf = memo(ckanLicenseIdOf, 1000);
const formatOf = memo(ckanFormatOf, 1000);
const themeTitle = { de: memo((name: string) => themes.resolve(name)?.label.de ?? name, 1000), en: memo((name: string) => themes.resolve(name)?.label.en ?? name, 1000) };
const licenseTitle = memo((name: string) => licenses.resolve(name)?.label.de ?? name, 1000);

type Orgs = Map<string, Organization>;
interface FacetItem {
  name: string;
  display_name: string;
  count: number;
}

/** A facet's values as package dicts carry them, so a client can filter by them (res_format:"GeoJSON"). */
function facetValues(field: string, counts: FacetCount[], orgs: Orgs | undefined): FacetCount[] {
  if (field === 'license_id') return counts.map(({ name, count }) => ({ name: licenseIdOf(name), count }));
  if (field === 'res_format') return counts.map(({ name, count }) => ({ name: formatOf(name), count }));
  if (field === 'owner_org') return counts.map(({ name, count }) => ({ name: orgs?.get(name)?.id ?? name, count }));
  return counts;
}

function displayNames(field: string, counts: FacetCount[], orgs: Orgs | undefined, lang: 'de' | 'en'): FacetItem[] {
  const org = field === 'organization' || field === 'owner_org';
  return counts.map(({ name, count }) => {
    let display = name;
    if (org) display = orgs?.get(name)?.title || name;
    else if (field === 'groups') display = themeTitle[lang](name);
    else if (field === 'license_id') display = licenseTitle(name);
    return { name, display_name: display, count };
  });
}

// CKAN sorts the top items by display name, descending.
const byDisplayNameDesc = (a: FacetItem, b: FacetItem) => b.display_name.localeCompare(a.display_name);

export interface SearchOptions {
  /** current_package_list_with_resources: private datasets only for sysadmins. */
  privateForSysadminsOnly?: boolean;
}

/**
 * package_search. `asJson`: the results as the kept JSON of each dict (for an
 * answer of its own; see ../../answer-cache.ts), else as dicts to build on.
 */
export async function packageSearch(ctx: ActionContext, data: Data, asJson = false): Promise<Dict> {
  const unknown = Object.keys(data).filter((k) => !KNOWN.has(k) && !k.startsWith('ext_'));
  if (unknown.length) throw new CkanError('Search Query Error', `Search Query is invalid: ("Invalid search parameters: [${unknown.map((k) => `'${k}'`).join(', ')}]",)`);
  const q = str(data, 'q');
  if (q && /\{!/.test(q)) throw new CkanError('Search Error', "Search error: Local parameters are not supported in param 'q'.");
  const fqs = [str(data, 'fq'), ...strings(data, 'fq_list')];
  if (fqs.some((f) => f && /\{!/.test(f))) throw new CkanError('Search Error', "Search error: Local parameters are not supported in param 'fq'.");
  const { text, filter: qFilter } = solr(() => parseQ(q));
  const fqFilter = solr(() => parseFilters(fqs));
  const filters = [qFilter, fqFilter].filter((f): f is Filter => !!f);
  const rows = natural(data, 'rows', 10, MAX_ROWS);
  const start = natural(data, 'start', 0);
  const sort = parseSort(str(data, 'sort'));
  const facetOn = bool(data, 'facet', true);
  const facetFields = facetOn ? (jsonList(data, 'facet.field') ?? []) : [];
  const facetLimitRaw = data['facet.limit'];
  const facetLimit = facetLimitRaw !== undefined && /^-\d+$/.test(String(facetLimitRaw).trim()) ? -1 : natural(data, 'facet.limit', 50);
  const mincount = natural(data, 'facet.mincount', 1);
  const fl = typeof data.fl === 'string' ? data.fl.split(/[\s,]+/).filter(Boolean) : Array.isArray(data.fl) ? data.fl.map(String) : undefined;

  const query: SearchQuery = {
    text,
    filter: filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { op: 'and', filters },
    sort: sort.keys,
    limit: rows,
    offset: start,
    facets: facetFields.length ? { fields: [...new Set(facetFields.map((f) => FACETS[f]).filter((f): f is FacetField => !!f))], limit: facetLimit, mincount } : undefined,
    includePrivate: bool(data, 'include_private', false),
    includeDrafts: bool(data, 'include_drafts', false),
    includeDeleted: bool(data, 'include_deleted', false),
  };
  // fl picks keys of the dicts: those are made, not kept.
  const result: SearchResult<unknown> =
    asJson && !fl
      ? await searchDatasets(ctx.db, ctx.actor, query, loadVersions).then(async (r) => ({ ...r, results: await ctx.packagesJsonOf(r.results) }))
      : await searchDatasets(ctx.db, ctx.actor, query).then(async (r) => {
          const dicts = await ctx.packagesOf(r.results);
          return { ...r, results: fl ? dicts.map((d) => Object.fromEntries(fl.map((k) => [k, d[k]]))) : dicts };
        });
  const orgs = facetFields.some((f) => f === 'organization' || f === 'owner_org') ? await ctx.organizations() : undefined;
  const lang = ctx.config.catalog.language === 'en' ? 'en' : 'de';
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: FacetItem[] }> = {};
  for (const f of facetFields) {
    const counts = facetValues(f, (FACETS[f] && result.facets?.[FACETS[f]]) || [], orgs);
    // fromEntries, not assignment: a tag named __proto__ is a key like any other.
    facets[f] = Object.fromEntries(counts.map((c) => [c.name, c.count]));
    searchFacets[f] = { title: f, items: displayNames(f, counts, orgs, lang).sort(byDisplayNameDesc) };
  }
  return { count: result.count, facets, search_facets: searchFacets, results: result.results, sort: sort.echo };
}

export const searchActions: Actions = {
  package_search: {
    sideEffectFree: true,
    help: 'Search datasets: q, fq, fq_list (Solr syntax), rows (≤ 1000), start, sort, facet.field, facet.limit, facet.mincount, include_private, include_drafts.',
    run: (ctx, data) => packageSearch(ctx, data, true),
  },
  package_list: {
    sideEffectFree: true,
    help: 'Names of all public active datasets, sorted by name (limit, offset).',
    async run(ctx, data) {
      const limit = data.limit === undefined ? undefined : natural(data, 'limit', 0);
      const offset = natural(data, 'offset', 0);
      const base = ctx.db.select({ name: datasets.name }).from(datasets).where(and(eq(datasets.state, 'active'), not(datasets.private))).orderBy(asc(datasets.name)).offset(offset);
      const rows = limit === undefined ? await base : await base.limit(limit);
      return rows.map((r) => r.name);
    },
  },
  current_package_list_with_resources: {
    sideEffectFree: true,
    help: 'Datasets with their resources, most recently modified first (limit ≤ 1000, default 10; offset or page).',
    async run(ctx, data) {
      const limit = natural(data, 'limit', 10, MAX_ROWS);
      const page = data.page === undefined ? undefined : natural(data, 'page', 1);
      if (page === 0) throw validationError({ page: ['Must be a positive integer'] });
      const offset = page !== undefined ? (page - 1) * limit : natural(data, 'offset', 0);
      const res = await packageSearch(ctx, { rows: limit, start: offset, sort: 'metadata_modified desc', include_private: ctx.actor.sysadmin }, true);
      return res.results;
    },
  },
};
