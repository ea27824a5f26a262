/** Why an outbound harvest request failed. */
export type HarvestFetchErrorCode = 'timeout' | 'too_large' | 'blocked_url' | 'http_status' | 'network' | 'too_many_redirects';

/** The one error fetchBounded and checkUrl throw; `message` is a sentence fit for a job log. */
export class HarvestFetchError extends Error {
  override readonly name = 'HarvestFetchError';

  constructor(
    readonly code: HarvestFetchErrorCode,
    message: string,
    readonly url: string,
    /** The HTTP status, for code "http_status". */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a source could not list all of its records; any of them makes the run incomplete. */
export type HarvestSourceErrorCode =
  /** A page could not be fetched (cause: HarvestFetchError). */
  | 'fetch'
  /** A page was fetched but is not a readable document (cause: RdfSyntaxError, JSON error, …). */
  | 'parse'
  /** The source answered with an error (e.g. CKAN's `success: false`) or a shape we cannot page through. */
  | 'bad_response'
  /** The source has more pages than the limit allows. */
  | 'too_many_pages'
  /** The listing kept changing under us, so a page may have been skipped. */
  | 'unstable_listing'
  /** The source's configuration is unusable. */
  | 'config';

/** Thrown from a source's page iterator: the pages before it were delivered, the listing is incomplete. */
export class HarvestSourceError extends Error {
  override readonly name = 'HarvestSourceError';

  constructor(
    readonly code: HarvestSourceErrorCode,
    message: string,
    /** The page that failed (URL as requested), when there is one. */
    readonly pageUrl?: string,
    /** 1-based number of the page that failed. */
    readonly pageNumber?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
