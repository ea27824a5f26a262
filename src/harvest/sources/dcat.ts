import { createHash } from 'node:crypto';
import type * as RDF from '@rdfjs/types';
import { Parser as N3Parser } from 'n3';
import { Type, type Static } from 'typebox';
import { FORMATS, formatFromExtension, formatFromMediaType, parseRdf, type RdfFormat } from '../../rdf/syntax/index.js';
import { toSyntaxError } from '../../rdf/syntax/errors.js';
import { HarvestFetchError, HarvestSourceError } from '../errors.js';
import type { FetchResult } from '../http.js';
import type { HarvestContext, HarvestPage, HarvestRecord, HarvestSource } from '../source.js';

/** Settings of a "dcat" harvest source (the URL itself is a column of the source). */
export const DcatSourceSettings = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('turtle'), Type.Literal('rdfxml'), Type.Literal('jsonld'), Type.Literal('ntriples')], { description: 'RDF syntax of the endpoint; detected from Content-Type (then the URL, then the body) when absent.' })),
    modifiedSinceParam: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'Query parameter the endpoint filters by modification date with (ckanext-dcat: "modified_since"); no incremental runs without it.' })),
  },
  { additionalProperties: false },
);
export type DcatSourceSettings = Static<typeof DcatSourceSettings>;

/** A dataset of a page: its IRI or blank node, and the quads describing it and what it points to. */
export type DcatRaw = RDF.Quad[];

/** The parser the source uses; injectable so paging can be tested apart from the syntax layer. */
export type ParseFn = (body: Buffer, format: RdfFormat, options: { baseIRI: string }) => Promise<RDF.Quad[]>;

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const DATASET = `${DCAT}Dataset`;
const SERIES = `${DCAT}DatasetSeries`;
const IN_SERIES = `${DCAT}inSeries`;
const PAGING_TYPES = new Set([`${HYDRA}PagedCollection`, `${HYDRA}PartialCollectionView`]);
// A dataset's description never extends into these; they are described once for the whole page.
// A series the dataset names with dcat:inSeries is the exception: its description is added (datasetRecords).
const BOUNDARY_TYPES = new Set([DATASET, `${DCAT}Catalog`, `${DCAT}CatalogRecord`, SERIES, `${HYDRA}Collection`, ...PAGING_TYPES]);
// dataset → distribution → checksum → … ; deeper chains are not dataset metadata.
const MAX_DEPTH = 4;

const ANY_RDF_ACCEPT = 'text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, application/xml;q=0.3, */*;q=0.1';

/**
 * Turtle and N-Triples pages are parsed in one call of N3.js's parser: the body is in
 * memory already (http.ts bounds it), and streaming it quad by quad through an async
 * iterator cost a third of the parse. RDF/XML and JSON-LD take the syntax layer's path.
 */
const defaultParse: ParseFn = async (body, format, options) => {
  if (format !== 'turtle' && format !== 'ntriples') return parseRdf(body, format, options);
  const text = body.toString('utf8');
  try {
    return new N3Parser({ format: format === 'turtle' ? 'text/turtle' : 'application/n-triples', baseIRI: options.baseIRI }).parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw toSyntaxError(error, format);
  }
};

/**
 * A DCAT endpoint read page by page: hydra paging (hydra:next, else the older hydra:nextPage
 * that ckanext-dcat writes, on a hydra:PagedCollection or hydra:PartialCollectionView; IRI or
 * literal). Stops when there is no next page, when a page repeats an earlier one (servers
 * that ignore ?page=) or its URL was visited; more than ctx.maxPages pages fail the run.
 */
export function createDcatSource(url: string, settings: DcatSourceSettings = {}, parse: ParseFn = defaultParse): HarvestSource {
  return {
    type: 'dcat',
    filtersModifiedSince: settings.modifiedSinceParam !== undefined,
    pages: (ctx) => dcatPages(url, settings, parse, ctx),
  };
}

async function* dcatPages(startUrl: string, settings: DcatSourceSettings, parse: ParseFn, ctx: HarvestContext): AsyncGenerator<HarvestPage<DcatRaw>> {
  let next: string | undefined = firstPageUrl(startUrl, settings, ctx);
  const visited = new Set<string>();
  const seenBodies = new Set<string>();
  const accept = settings.format ? `${FORMATS[settings.format].mediaType}, */*;q=0.1` : ANY_RDF_ACCEPT;
  for (let number = 1; next !== undefined; number++) {
    ctx.signal?.throwIfAborted();
    const pageUrl: string = next;
    if (number > ctx.maxPages) {
      throw new HarvestSourceError('too_many_pages', `The source has more than ${ctx.maxPages} pages (next: ${pageUrl}); the run is incomplete.`, pageUrl, number);
    }
    visited.add(pageUrl);
    let res: FetchResult;
    try {
      res = await ctx.fetch(pageUrl, { accept, signal: ctx.signal });
    } catch (error) {
      if (!(error instanceof HarvestFetchError)) throw error;
      throw new HarvestSourceError('fetch', `Page ${number} could not be fetched: ${error.message}`, pageUrl, number, { cause: error });
    }
    const digest = createHash('sha256').update(res.body).digest('hex');
    if (seenBodies.has(digest)) {
      ctx.log?.(`Page ${number} repeats an earlier page; the server seems to ignore paging, stopping here.`, { url: pageUrl });
      return;
    }
    seenBodies.add(digest);
    const known = ctx.reusablePage?.(pageUrl, digest);
    if (known) {
      yield { number, url: pageUrl, records: [], total: known.total, bytes: res.body.length, digest, next: known.next, reused: true };
      next = known.next;
      if (next !== undefined && visited.has(next)) {
        ctx.log?.(`Page ${number} points to an already visited page as next; stopping here.`, { url: pageUrl, next });
        return;
      }
      continue;
    }
    const format = detectFormat(settings, res, pageUrl);
    let quads: RDF.Quad[];
    try {
      quads = await parse(res.body, format, { baseIRI: res.url });
    } catch (error) {
      throw new HarvestSourceError('parse', `Page ${number} (${pageUrl}) is not readable ${FORMATS[format].mediaType}: ${(error as Error).message}`, pageUrl, number, { cause: error });
    }
    const paging = readPaging(quads, res.url);
    yield { number, url: pageUrl, records: datasetRecords(quads), total: paging.total, bytes: res.body.length, quads: quads.length, digest, next: paging.next };
    next = paging.next;
    if (next !== undefined && visited.has(next)) {
      ctx.log?.(`Page ${number} points to an already visited page as next; stopping here.`, { url: pageUrl, next });
      return;
    }
  }
}

function firstPageUrl(url: string, settings: DcatSourceSettings, ctx: HarvestContext): string {
  if (!ctx.modifiedSince || !settings.modifiedSinceParam) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // fetch reports the bad URL
  }
  u.searchParams.set(settings.modifiedSinceParam, ctx.modifiedSince.toISOString());
  return u.href;
}

function detectFormat(settings: DcatSourceSettings, res: FetchResult, url: string): RdfFormat {
  if (settings.format) return settings.format;
  const type = res.headers['content-type'];
  const byType = type ? formatFromMediaType(type) : undefined;
  if (byType) return byType;
  const byExt = formatFromExtension(new URL(url).pathname);
  if (byExt && new URL(url).pathname.includes('.')) return byExt;
  // text/plain or octet-stream: the first significant character tells the families apart.
  const head = res.body.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<?xml') || /^<[A-Za-z!]/.test(head)) return 'rdfxml';
  if (head.startsWith('{') || head.startsWith('[')) return 'jsonld';
  return 'turtle';
}

const key = (t: RDF.Term) => (t.termType === 'BlankNode' ? `B${t.value}` : `N${t.value}`);

/** hydra:next (else hydra:nextPage) and hydra:totalItems of the page's paging node. */
function readPaging(quads: RDF.Quad[], base: string): { next?: string; total?: number } {
  const pagingNodes = new Set<string>();
  for (const q of quads) if (q.predicate.value === RDF_TYPE && PAGING_TYPES.has(q.object.value)) pagingNodes.add(key(q.subject));
  const found = { next: [] as string[], nextPage: [] as string[], untyped: [] as string[], total: undefined as number | undefined };
  for (const q of quads) {
    const p = q.predicate.value;
    if (!p.startsWith(HYDRA)) continue;
    const typed = pagingNodes.has(key(q.subject));
    if (p === `${HYDRA}next` || p === `${HYDRA}nextPage`) {
      if (q.object.termType !== 'NamedNode' && q.object.termType !== 'Literal') continue;
      const value = q.object.value.trim();
      if (value === '') continue;
      if (!typed) found.untyped.push(value);
      else if (p === `${HYDRA}next`) found.next.push(value);
      else found.nextPage.push(value);
    } else if (p === `${HYDRA}totalItems` && typed && q.object.termType === 'Literal') {
      const n = Number(q.object.value);
      if (Number.isSafeInteger(n) && n >= 0) found.total = n;
    }
  }
  // Untyped paging nodes exist in the wild; they count only when no typed node says anything.
  const raw = found.next[0] ?? found.nextPage[0] ?? found.untyped[0];
  let next: string | undefined;
  if (raw !== undefined) {
    try {
      next = new URL(raw, base).href;
    } catch {
      next = undefined;
    }
    if (next === undefined) throw new HarvestSourceError('bad_response', `The next page "${raw}" of ${base} is not a URL.`, base);
  }
  return { next, total: found.total };
}

/**
 * The page's quads grouped per dcat:Dataset: each dataset with the nodes it reaches
 * (distributions, agents, …), and the description of each series it names with
 * dcat:inSeries when the page describes that series as a dcat:DatasetSeries node.
 */
export function datasetRecords(quads: readonly RDF.Quad[]): HarvestRecord<DcatRaw>[] {
  const bySubject = new Map<string, RDF.Quad[]>();
  const boundary = new Set<string>();
  const seriesNodes = new Set<string>();
  const datasets: RDF.Quad['subject'][] = [];
  for (const q of quads) {
    const k = key(q.subject);
    let list = bySubject.get(k);
    if (!list) bySubject.set(k, (list = []));
    list.push(q);
    if (q.predicate.value === RDF_TYPE && BOUNDARY_TYPES.has(q.object.value)) {
      if (q.object.value === DATASET && !boundary.has(k)) datasets.push(q.subject);
      else if (q.object.value === SERIES) seriesNodes.add(k);
      boundary.add(k);
    }
  }
  // A series is described once per page and shared by its datasets: walked on first use only.
  const seriesReach = new Map<string, string[]>();
  const records: HarvestRecord<DcatRaw>[] = [];
  for (const subject of datasets) {
    const own = bySubject.get(key(subject)) ?? [];
    const nodes = reach(subject, bySubject, boundary);
    if (seriesNodes.size > 0) {
      let included: Set<string> | undefined;
      for (const q of own) {
        if (q.predicate.value !== IN_SERIES || (q.object.termType !== 'NamedNode' && q.object.termType !== 'BlankNode')) continue;
        const k = key(q.object);
        if (!seriesNodes.has(k)) continue;
        let described = seriesReach.get(k);
        if (!described) seriesReach.set(k, (described = reach(q.object, bySubject, boundary)));
        // A node the dataset reaches itself (a publisher both name) is in the record once.
        included ??= new Set(nodes);
        for (const n of described) {
          if (included.has(n)) continue;
          included.add(n);
          nodes.push(n);
        }
      }
    }
    const collected: RDF.Quad[] = [];
    for (const n of nodes) for (const q of bySubject.get(n) ?? []) collected.push(q);
    const identifier = literalOf(own, `${DCT}identifier`);
    const uri = subject.termType === 'NamedNode' ? subject.value : undefined;
    records.push({
      sourceId: uri ?? identifier ?? blankDatasetId(own),
      uri,
      identifier,
      modified: literalOf(own, `${DCT}modified`),
      raw: collected,
    });
  }
  return records;
}

/**
 * The nodes a description spans, as keys: `start` first, then breadth first what it
 * points to, up to MAX_DEPTH levels; boundary nodes other than `start` are not entered.
 */
function reach(start: RDF.Term, bySubject: ReadonlyMap<string, readonly RDF.Quad[]>, boundary: ReadonlySet<string>): string[] {
  const first = key(start);
  const nodes = [first];
  const visited = new Set(nodes);
  let frontier = [first];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const node of frontier) {
      for (const q of bySubject.get(node) ?? []) {
        const o = q.object;
        if (q.predicate.value === RDF_TYPE || (o.termType !== 'NamedNode' && o.termType !== 'BlankNode')) continue;
        const k = key(o);
        if (visited.has(k) || boundary.has(k) || !bySubject.has(k)) continue;
        visited.add(k);
        following.push(k);
      }
    }
    for (const k of following) nodes.push(k);
    frontier = following;
  }
  return nodes;
}

function literalOf(quads: readonly RDF.Quad[], predicate: string): string | undefined {
  for (const q of quads) if (q.predicate.value === predicate && q.object.termType === 'Literal' && q.object.value.trim() !== '') return q.object.value.trim();
  return undefined;
}

/**
 * A blank-node dataset without dct:identifier has no name of its own; a digest of its own
 * statements (blank nodes left out) stays the same while it is unchanged. A changed one
 * gets a new id: the runner sees it as new, and the old one as gone.
 */
function blankDatasetId(own: readonly RDF.Quad[]): string {
  const lines = own
    .map((q) => `${q.predicate.value} ${q.object.termType === 'BlankNode' ? '_' : `${q.object.termType}:${q.object.value}${q.object.termType === 'Literal' ? `@${q.object.language}^${q.object.datatype.value}` : ''}`}`)
    .sort();
  return `urn:sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}
