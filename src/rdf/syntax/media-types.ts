/** The RDF serialisations the catalog reads and writes. */
export type RdfFormat = 'turtle' | 'ntriples' | 'rdfxml' | 'jsonld';

export interface FormatInfo {
  readonly format: RdfFormat;
  /** The registered media type we answer with. */
  readonly mediaType: string;
  /** File extensions without the dot; the first is the one to write. */
  readonly extensions: readonly string[];
  /** Other media types clients and harvesters send for the same syntax; matched only exactly, never by wildcard. */
  readonly aliases: readonly string[];
}

export const FORMATS: Readonly<Record<RdfFormat, FormatInfo>> = Object.freeze({
  turtle: { format: 'turtle', mediaType: 'text/turtle', extensions: ['ttl'], aliases: ['text/n3', 'application/x-turtle'] },
  ntriples: { format: 'ntriples', mediaType: 'application/n-triples', extensions: ['nt'], aliases: [] },
  rdfxml: { format: 'rdfxml', mediaType: 'application/rdf+xml', extensions: ['rdf', 'xml'], aliases: ['application/xml', 'text/xml'] },
  jsonld: { format: 'jsonld', mediaType: 'application/ld+json', extensions: ['jsonld'], aliases: ['application/json'] },
});

/** All formats, in the order we prefer them when a client accepts several equally. */
export const RDF_FORMATS: readonly RdfFormat[] = Object.freeze(['turtle', 'rdfxml', 'jsonld', 'ntriples'] as const);

/** `Content-Type` header value for a response in this format (all our output is UTF-8). */
export function contentTypeOf(format: RdfFormat): string {
  return `${FORMATS[format].mediaType}; charset=utf-8`;
}

/** The format of a `Content-Type` (parameters and case ignored, aliases accepted). */
export function formatFromMediaType(contentType: string): RdfFormat | undefined {
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  for (const info of Object.values(FORMATS)) if (info.mediaType === type || info.aliases.includes(type)) return info.format;
  return undefined;
}

/** The format for a file extension ("ttl", ".rdf") or a file name ("catalog.jsonld"). */
export function formatFromExtension(ext: string): RdfFormat | undefined {
  const e = ext.slice(ext.lastIndexOf('.') + 1).toLowerCase();
  for (const info of Object.values(FORMATS)) if (info.extensions.includes(e)) return info.format;
  return undefined;
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

/** Splits on `sep` outside double-quoted strings (a `profile="a,b"` parameter may contain commas). */
function splitUnquoted(s: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === sep) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  splitUnquoted(header, ',').forEach((item, index) => {
    const [range, ...params] = splitUnquoted(item, ';').map((p) => p.trim());
    const slash = range.indexOf('/');
    if (slash < 0) return; // malformed: ignored, as browsers and proxies do
    const type = range.slice(0, slash).toLowerCase();
    const subtype = range.slice(slash + 1).toLowerCase();
    if (!TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) return;
    let q = 1;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = p.slice(eq + 1).trim();
      if (!QVALUE.test(value)) return; // an unreadable weight: better to ignore the range than to guess it
      q = Number(value);
    }
    ranges.push({ type, subtype, q, index });
  });
  return ranges;
}

/** How well `range` matches: 2 exact, 1 `type/*`, 0 `*\/*`, -1 not at all. */
function specificity(range: MediaRange, info: FormatInfo): number {
  const full = `${range.type}/${range.subtype}`;
  if (full === info.mediaType || info.aliases.includes(full)) return 2;
  const [type] = info.mediaType.split('/');
  if (range.subtype === '*' && range.type === type) return 1;
  if (range.type === '*') return 0;
  return -1;
}

/**
 * Chooses the response format for an `Accept` header (RFC 9110 §12.5.1): each format gets the
 * weight of the most specific range that matches it; the highest weight wins, then the more
 * specific match, then the range the client listed first, then the order of `supported`.
 * A missing or empty header accepts anything. Returns undefined when nothing acceptable is
 * supported (answer 406).
 */
export function negotiate(acceptHeader: string | undefined, supported: readonly RdfFormat[] = RDF_FORMATS): RdfFormat | undefined {
  const ranges = acceptHeader === undefined || acceptHeader.trim() === '' ? parseAccept('*/*') : parseAccept(acceptHeader);
  let best: { format: RdfFormat; q: number; spec: number; index: number } | undefined;
  for (const format of supported) {
    const info = FORMATS[format];
    let match: MediaRange | undefined;
    let spec = -1;
    for (const range of ranges) {
      const s = specificity(range, info);
      if (s > spec || (s === spec && s >= 0 && match !== undefined && range.q > match.q)) {
        spec = s;
        match = range;
      }
    }
    if (!match || spec < 0 || match.q <= 0) continue;
    const candidate = { format, q: match.q, spec, index: match.index };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && (candidate.spec > best.spec || (candidate.spec === best.spec && candidate.index < best.index)))
    ) {
      best = candidate; // ties keep the earlier entry of `supported`
    }
  }
  return best?.format;
}
