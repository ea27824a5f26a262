import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { packageToDataset, type Dict } from '../../ckan/package.js';
import type { DatasetInput } from '../../catalog/datasets.js';
import { HarvestFetchError, HarvestSourceError } from '../errors.js';
import type { FetchResult } from '../http.js';
import type { HarvestContext, HarvestPage, HarvestRecord, HarvestSource } from '../source.js';

/** Settings of a "ckan" harvest source; the URL is the portal's base (…/ or …/api/3/action/package_search). */
export const CkanSourceSettings = Type.Object(
  {
    fq: Type.Optional(Type.String({ maxLength: 2000, description: 'Solr filter ANDed to every package_search, e.g. "organization:stadt-unna"' })),
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Page size (default 100; CKAN caps at 1000)' })),
    sort: Type.Optional(Type.Union([Type.Literal('metadata_modified asc'), Type.Literal('id asc')], { description: 'Stable order to page in (default "metadata_modified asc")' })),
    apiKey: Type.Optional(Type.String({ maxLength: 512, description: 'Sent as Authorization header; never to another origin' })),
  },
  { additionalProperties: false },
);
export type CkanSourceSettings = Static<typeof CkanSourceSettings>;

export type CkanRaw = Dict;

/** The package_search URL of a portal base URL (an explicit action URL is kept). */
export function packageSearchUrl(base: string): URL {
  const url = new URL(base);
  if (!/\/api\/(3\/)?action\/package_search\/?$/.test(url.pathname)) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/3/action/package_search`;
  }
  return url;
}

/** Solr date as CKAN's harvester sends it (UTC, microseconds, Z). */
const solrDate = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * A CKAN portal read through package_search, `rows` at a time with `start` (ckanext-harvest's
 * way), in a stable sort so a page boundary does not move while paging. Ends at the first
 * empty page (never earlier: a server may cap rows below what was asked); a page repeating the previous body means the server ignores `start`.
 */
export function createCkanSource(url: string, settings: CkanSourceSettings = {}): HarvestSource {
  return { type: 'ckan', filtersModifiedSince: true, pages: (ctx) => ckanPages(url, settings, ctx) };
}

async function* ckanPages(base: string, settings: CkanSourceSettings, ctx: HarvestContext): AsyncGenerator<HarvestPage<CkanRaw>> {
  let searchUrl: URL;
  try {
    searchUrl = packageSearchUrl(base);
  } catch {
    throw new HarvestSourceError('config', `The source URL "${base}" is not a valid URL.`);
  }
  const rows = settings.rows ?? 100;
  const fq = [settings.fq?.trim(), ctx.modifiedSince ? `metadata_modified:[${solrDate(ctx.modifiedSince)} TO *]` : undefined].filter((s): s is string => !!s);
  const headers: Record<string, string> = settings.apiKey ? { authorization: settings.apiKey } : {};
  const seenIds = new Set<string>();
  const listed = new Set<string>();
  let previousDigest: string | undefined;
  for (let number = 1; ; number++) {
    ctx.signal?.throwIfAborted();
    const u = new URL(searchUrl);
    u.searchParams.set('rows', String(rows));
    u.searchParams.set('start', String((number - 1) * rows));
    u.searchParams.set('sort', settings.sort ?? 'metadata_modified asc');
    if (fq.length) u.searchParams.set('fq', fq.join(' '));
    const pageUrl = u.href;
    if (number > ctx.maxPages) throw new HarvestSourceError('too_many_pages', `The source has more than ${ctx.maxPages} pages (next: ${pageUrl}); the run is incomplete.`, pageUrl, number);
    let res: FetchResult;
    try {
      res = await ctx.fetch(pageUrl, { accept: 'application/json', headers, signal: ctx.signal });
    } catch (error) {
      if (!(error instanceof HarvestFetchError)) throw error;
      throw new HarvestSourceError('fetch', `Page ${number} could not be fetched: ${error.message}`, pageUrl, number, { cause: error });
    }
    const digest = createHash('sha256').update(res.body).digest('hex');
    if (digest === previousDigest) throw new HarvestSourceError('unstable_listing', `Page ${number} repeats page ${number - 1}: the server seems to ignore "start"; the run is incomplete.`, pageUrl, number);
    previousDigest = digest;
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch (error) {
      throw new HarvestSourceError('parse', `Page ${number} (${pageUrl}) is not JSON: ${(error as Error).message}`, pageUrl, number, { cause: error });
    }
    const envelope = body as { success?: unknown; result?: { count?: unknown; results?: unknown }; error?: { message?: unknown } };
    if (envelope?.success !== true || !envelope.result || !Array.isArray(envelope.result.results)) {
      const why = typeof envelope?.error?.message === 'string' ? `: ${envelope.error.message}` : '';
      throw new HarvestSourceError('bad_response', `Page ${number} (${pageUrl}) is not a successful package_search answer${why}.`, pageUrl, number);
    }
    const results = envelope.result.results as unknown[];
    const records: HarvestRecord<CkanRaw>[] = [];
    for (const item of results) {
      if (!item || typeof item !== 'object') continue;
      const pkg = item as Dict;
      const id = typeof pkg.id === 'string' && pkg.id ? pkg.id : typeof pkg.name === 'string' ? pkg.name : undefined;
      // Harvest sources of the remote portal are packages too; they are not datasets.
      if (id) listed.add(id);
      if (!id || pkg.type === 'harvest' || seenIds.has(id)) continue;
      seenIds.add(id);
      const extra = (key: string) => {
        const hit = (Array.isArray(pkg.extras) ? pkg.extras : []).find((e) => (e as { key?: unknown })?.key === key) as { value?: unknown } | undefined;
        return typeof hit?.value === 'string' && hit.value.trim() !== '' ? hit.value.trim() : undefined;
      };
      records.push({ sourceId: id, uri: extra('uri'), identifier: extra('identifier'), modified: typeof pkg.metadata_modified === 'string' ? pkg.metadata_modified : undefined, raw: pkg });
    }
    const total = typeof envelope.result.count === 'number' ? envelope.result.count : undefined;
    if (results.length === 0) {
      // Fewer distinct datasets than announced: something slipped between pages, so the listing cannot vouch for absences.
      if (total !== undefined && total > listed.size) {
        throw new HarvestSourceError('unstable_listing', `The source announced ${total} datasets but listed ${listed.size} while paging; the run is incomplete.`, pageUrl, number);
      }
      return;
    }
    yield { number, url: pageUrl, records, total, bytes: res.body.length };
  }
}

/**
 * A package dict as a model document, through the same mapping package_create uses. The
 * remote organization, name and visibility are not ours: the runner sets the organization.
 */
export function mapCkanRecord(record: HarvestRecord<CkanRaw>, lang: string, base: string): { doc: DatasetInput; problems: string[] } {
  const { doc } = packageToDataset(record.raw, lang);
  delete doc.organization;
  delete doc.private;
  // ckanext-dcat's URI rule: the uri extra, else {portal}/dataset/{id}.
  if (typeof doc['@id'] !== 'string') doc['@id'] = `${new URL(base).origin}${new URL(base).pathname.replace(/\/api\/.*$/, '').replace(/\/+$/, '')}/dataset/${record.sourceId}`;
  return { doc, problems: [] };
}
