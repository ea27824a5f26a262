import type { HarvestFetch } from './http.js';

/**
 * The harvester interface. A source type (ckan, dcat; later csw, ods) only knows how to
 * list its records page by page; mapping, validation, diffing and persistence belong to
 * the runner. Adding a type means one module implementing HarvestSource plus an entry in
 * the registry (sources/index.ts), nothing in the runner.
 */
export interface HarvestSource {
  /** The source type, e.g. "ckan", "dcat". */
  readonly type: string;
  /**
   * Whether the source filters by ctx.modifiedSince. When it does and a run passes
   * modifiedSince, the run lists only changed records: the runner must not withdraw
   * anything after such a run, however complete it was.
   */
  readonly filtersModifiedSince: boolean;
  /**
   * The records, one page at a time. Ends normally only when every page was read; any
   * failure (fetch, parse, page limit, unstable listing) is thrown as HarvestSourceError
   * after the pages before it were yielded, so the runner knows the run is incomplete.
   */
  pages(ctx: HarvestContext): AsyncIterable<HarvestPage>;
}

export interface HarvestContext {
  /** Bounded, policy-checked GET (createHarvestFetch(config)). */
  fetch: HarvestFetch;
  /** Most pages to read; a source with more fails the run with "too_many_pages". */
  maxPages: number;
  /** Incremental run: records modified at or after this instant (ignored by sources that cannot filter). */
  modifiedSince?: Date;
  /** Stops the run; the iterator rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Notes worth a line in the job log (retries, a page repeated, a changing count). */
  log?: (message: string, details?: Record<string, unknown>) => void;
  /**
   * Asked with a page's URL and body digest before it is parsed: when the runner knows
   * the page as unchanged (same body, same settings, every record harvested and
   * current) it answers where the page pointed next, and the source yields the page as
   * `reused` without parsing it. Sources that cannot tell may ignore it.
   */
  reusablePage?: (url: string, digest: string) => { next?: string; total?: number } | undefined;
}

/** One record as the source lists it; `raw` is what the type's mapper turns into a dataset. */
export interface HarvestRecord<Raw = unknown> {
  /** The source's own, stable id for the record (CKAN package id, dataset IRI, …). */
  sourceId: string;
  /** The dataset's IRI, when the source states one. */
  uri?: string;
  /** dct:identifier, when the source states one. */
  identifier?: string;
  /** Last modification as the source states it (ISO 8601 where the source uses it). */
  modified?: string;
  raw: Raw;
}

export interface HarvestPage<Raw = unknown> {
  /** 1-based. */
  number: number;
  /** The URL requested for this page. */
  url: string;
  records: HarvestRecord<Raw>[];
  /** Total number of records the source announces (CKAN count, hydra:totalItems), if any. */
  total?: number;
  /** Size of the page as read: bytes of the body, and quads for RDF sources. */
  bytes: number;
  quads?: number;
  /** SHA-256 of the body, and the next page's URL, for sources that offer page reuse. */
  digest?: string;
  next?: string;
  /** The runner's reusablePage said yes: `records` is empty, the runner knows them. */
  reused?: boolean;
}
