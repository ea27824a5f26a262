import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Config } from '../config/index.js';
import { HarvestFetchError } from './errors.js';
import { checkUrl, pinnedLookup, withoutCredentials, type CheckedUrl, type UrlPolicy } from './url-policy.js';

export { HarvestFetchError, type HarvestFetchErrorCode } from './errors.js';

export interface FetchOptions {
  policy: UrlPolicy;
  userAgent: string;
  /** Accept header; the source type knows what it wants. */
  accept?: string;
  /** Further request headers (dropped on a redirect to another origin if they carry credentials). */
  headers?: Readonly<Record<string, string>>;
  /** Budget for one attempt, redirects included, from connect to the last byte. */
  timeoutMs: number;
  /** Budget for establishing a connection (TCP, and TLS for https); default min(10 s, timeoutMs). */
  connectTimeoutMs?: number;
  /** Largest body accepted, on the wire and after decompression. */
  maxBytes: number;
  /** Redirect hops followed (default 5); each hop passes the URL policy again. */
  maxRedirects?: number;
  /** Further attempts after a 429, a 5xx, a network error or a timeout (default 3). */
  retries?: number;
  /** First backoff delay; doubled per attempt (default 1000 ms). */
  retryBaseMs?: number;
  /** Cap on any one wait, Retry-After included (default 60 s). */
  maxRetryDelayMs?: number;
  /** Statuses returned rather than thrown (default: 2xx). Redirects are always followed. */
  okStatus?: (status: number) => boolean;
  /** Cancels the whole fetch, waits included; rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told before each wait, e.g. for the job log. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
  error: HarvestFetchError;
}

export interface FetchResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** Decoded (gzip/deflate/br removed) body. */
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Headers that must not follow a redirect to another origin.
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-ckan-api-key']);

const isOk = (status: number) => status >= 200 && status < 300;
const retryableStatus = (status: number) => status === 429 || (status >= 500 && status !== 501 && status !== 505);

/**
 * GET with every guard a hostile source calls for: URL policy on every hop with the
 * connection pinned to the checked addresses, connect and total timeouts, a size cap on
 * the wire and on the decoded bytes (a gzip bomb stops at the cap), manual redirects,
 * retries with exponential backoff honouring Retry-After. Throws HarvestFetchError.
 */
export async function fetchBounded(url: string, opts: FetchOptions): Promise<FetchResult> {
  const retries = opts.retries ?? 3;
  const base = opts.retryBaseMs ?? 1000;
  const cap = opts.maxRetryDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      return await attemptOnce(url, opts);
    } catch (error) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (!(error instanceof HarvestFetchError)) throw error;
      const retryable = error.code === 'network' || error.code === 'timeout' || (error.code === 'http_status' && retryableStatus(error.status ?? 0));
      if (!retryable || attempt > retries) {
        if (attempt > 1 && retryable) error.message = `${error.message} (gave up after ${attempt} attempts)`;
        throw error;
      }
      retryAfterMs = error instanceof RetryAfterError ? error.retryAfterMs : undefined;
      const delayMs = Math.min(cap, retryAfterMs ?? base * 2 ** (attempt - 1));
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, opts.signal);
    }
  }
}

/** An http_status error that carries the server's Retry-After. */
class RetryAfterError extends HarvestFetchError {
  constructor(
    message: string,
    url: string,
    status: number,
    readonly retryAfterMs: number,
  ) {
    super('http_status', message, url, status);
  }
}

/** Retry-After as delta-seconds or HTTP-date (RFC 9110 §10.2.3), in ms from now; undefined if unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One attempt: the whole redirect chain under one total timeout. */
async function attemptOnce(startUrl: string, opts: FetchOptions): Promise<FetchResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  const onOuterAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const maxRedirects = opts.maxRedirects ?? 5;
  let headers = requestHeaders(opts);
  let current = startUrl;
  let origin: string | undefined;
  try {
    for (let hop = 0; ; hop++) {
      const checked = await checkUrl(current, opts.policy);
      if (origin !== undefined && checked.url.origin !== origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k)));
      }
      origin = checked.url.origin;
      const outcome = await requestHop(checked, headers, opts, controller.signal, () => timedOut);
      if ('redirect' in outcome) {
        if (hop >= maxRedirects) {
          throw new HarvestFetchError('too_many_redirects', `More than ${maxRedirects} redirects, starting at ${startUrl}.`, withoutCredentials(checked.url));
        }
        try {
          current = new URL(outcome.redirect, checked.url).href;
        } catch {
          throw new HarvestFetchError('network', `The redirect target "${outcome.redirect}" is not a URL.`, withoutCredentials(checked.url));
        }
        continue;
      }
      return outcome;
    }
  } catch (error) {
    if (timedOut && !(error instanceof HarvestFetchError && error.code !== 'network' && error.code !== 'timeout')) {
      throw new HarvestFetchError('timeout', `No complete answer from ${current} within ${opts.timeoutMs} ms.`, current, undefined, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function requestHeaders(opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['user-agent'] = opts.userAgent;
  headers['accept-encoding'] = 'gzip, deflate, br';
  if (opts.accept) headers.accept = opts.accept;
  return headers;
}

function requestHop(
  checked: CheckedUrl,
  headers: Record<string, string>,
  opts: FetchOptions,
  signal: AbortSignal,
  timedOut: () => boolean,
): Promise<FetchResult | { redirect: string }> {
  const url = checked.url;
  const shown = withoutCredentials(url);
  const connectTimeoutMs = opts.connectTimeoutMs ?? Math.min(10_000, opts.timeoutMs);
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      headers,
      // A fresh connection per request, resolved only to the addresses the policy checked.
      agent: false,
      lookup: pinnedLookup(checked.addresses),
      signal,
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(toFetchError(error, shown, timedOut()));
    };
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => {
        fail(new HarvestFetchError('timeout', `Could not connect to ${url.host} within ${connectTimeoutMs} ms.`, shown));
      }, connectTimeoutMs);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(t));
      socket.once('close', () => clearTimeout(t));
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location !== undefined) {
        settled = true;
        res.destroy();
        resolve({ redirect: res.headers.location });
        return;
      }
      if (!(opts.okStatus ?? isOk)(status)) {
        const message = `${shown} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}.`;
        const retryAfter = parseRetryAfter(header(res.headers['retry-after']));
        res.destroy();
        if (settled) return;
        settled = true;
        reject(retryAfter === undefined ? new HarvestFetchError('http_status', message, shown, status) : new RetryAfterError(message, shown, status, retryAfter));
        return;
      }
      readBody(res, opts.maxBytes, shown).then(
        (body) => {
          if (settled) return;
          settled = true;
          resolve({ status, headers: res.headers, body, url: shown });
        },
        fail,
      );
    });
    req.end();
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function toFetchError(error: unknown, url: string, timedOut: boolean): HarvestFetchError {
  if (error instanceof HarvestFetchError) return error;
  if (timedOut) return new HarvestFetchError('timeout', `No complete answer from ${url} in time.`, url, undefined, { cause: error });
  const e = error as NodeJS.ErrnoException;
  const detail = e.code ? `${e.code}: ${e.message}` : e.message;
  return new HarvestFetchError('network', `Request to ${url} failed (${detail}).`, url, undefined, { cause: error });
}

function tooLarge(url: string, maxBytes: number, what: string): HarvestFetchError {
  return new HarvestFetchError('too_large', `The response of ${url} is larger than ${maxBytes} bytes${what}.`, url);
}

/** Counts bytes through a stream and fails past the limit. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly limit: number,
    private readonly onExceed: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(this.onExceed());
    else callback(null, chunk);
  }
}

/** "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: decide on the first bytes. */
class AnyInflate extends Transform {
  private inner?: zlib.Inflate | zlib.InflateRaw;
  private pending?: TransformCallback;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      const zlibHeader = chunk.length >= 2 && (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
      this.inner = zlibHeader ? zlib.createInflate() : zlib.createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
      this.inner.on('end', () => this.pending?.());
    }
    this.inner.write(chunk, () => callback());
  }
  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback();
    this.pending = callback;
    this.inner.end();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

function decoders(encoding: string | undefined, url: string): Transform[] {
  const steps = (encoding ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity');
  // Codings are listed in the order applied, so they come off in reverse.
  return steps.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip();
    if (coding === 'deflate') return new AnyInflate();
    if (coding === 'br') return zlib.createBrotliDecompress();
    throw new HarvestFetchError('network', `${url} sent an unsupported Content-Encoding "${coding}".`, url);
  });
}

async function readBody(res: IncomingMessage, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(header(res.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(url, maxBytes, ` (Content-Length ${declared})`);
  }
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline([
      res,
      new ByteLimit(maxBytes, () => tooLarge(url, maxBytes, '')),
      ...decoders(header(res.headers['content-encoding']), url),
      new ByteLimit(maxBytes, () => tooLarge(url, maxBytes, ' once decompressed')),
      sink,
    ]);
  } catch (error) {
    res.destroy();
    if (error instanceof HarvestFetchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__ERROR_FORMAT')) {
      throw new HarvestFetchError('network', `The compressed body of ${url} is corrupt (${(error as Error).message}).`, url, undefined, { cause: error });
    }
    throw error;
  }
  // A connection cut mid-body can end the stream quietly; a short body is not a page.
  if (!res.complete) throw new HarvestFetchError('network', `The connection to ${url} closed before the response was complete.`, url);
  return Buffer.concat(chunks);
}

/** A fetch bound to the service's harvest limits, for sources: (url, per-request options). */
export type HarvestFetch = (url: string, options?: Pick<FetchOptions, 'accept' | 'headers' | 'okStatus' | 'signal' | 'onRetry'>) => Promise<FetchResult>;

/** Builds the fetch a harvest source uses from the configuration; `overrides` for tests and the CLI. */
export function createHarvestFetch(config: Pick<Config, 'harvest'>, overrides: Partial<FetchOptions> = {}): HarvestFetch {
  const base: FetchOptions = {
    policy: { allowPrivateNetworks: config.harvest.allowPrivateNetworks },
    userAgent: config.harvest.userAgent,
    timeoutMs: config.harvest.timeoutMs,
    maxBytes: config.harvest.maxBytes,
    ...overrides,
  };
  return (url, options = {}) => fetchBounded(url, { ...base, ...options });
}
