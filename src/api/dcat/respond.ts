import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { contentTypeOf, FORMATS, negotiate, RDF_FORMATS, type RdfFormat } from '../../rdf/syntax/index.js';

/** The format of a request: fixed by the URL's extension, else negotiated from Accept; 406 when nothing fits. */
export function formatOf(request: FastifyRequest, fixed: RdfFormat | undefined): RdfFormat {
  if (fixed) return fixed;
  const format = negotiate(request.headers.accept, RDF_FORMATS);
  if (format) return format;
  const available = RDF_FORMATS.map((f) => FORMATS[f].mediaType);
  throw new AppError(406, 'not_acceptable', `This resource is available as ${available.join(', ')} (also by the extensions .ttl, .rdf, .jsonld, .nt).`, { available });
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2). */
function notModified(request: FastifyRequest, etag: string, lastModified: Date | undefined): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
  const ims = request.headers['if-modified-since'];
  if (ims === undefined || !lastModified) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

export interface RdfResponse {
  format: RdfFormat;
  etag: string;
  lastModified?: Date;
  /** True when the format came from Accept (the answer varies by it). */
  negotiated: boolean;
  /** Writes the document; called only when a body is sent. */
  body: () => Promise<Buffer>;
}

/**
 * Sends an RDF document with ETag, Last-Modified, 304 and HEAD. The
 * document is one page of the catalog or one dataset (bounded by the page
 * size), so it is written completely before the status is decided: a
 * failure while writing is an ordinary error answer, never a 200 with a
 * short or broken body (a harvester that got a short catalog would delete
 * the missing datasets on its side), and the answer has a Content-Length.
 */
export async function sendRdf(request: FastifyRequest, reply: FastifyReply, r: RdfResponse) {
  const headers = () => {
    reply.header('etag', r.etag);
    if (r.lastModified) reply.header('last-modified', r.lastModified.toUTCString());
    if (r.negotiated) reply.header('vary', 'accept');
    reply.header('cache-control', 'no-cache');
  };
  if (notModified(request, r.etag, r.lastModified)) {
    headers();
    return reply.status(304).send();
  }
  if (request.method === 'HEAD') {
    headers();
    return reply.type(contentTypeOf(r.format)).send();
  }
  const body = await r.body();
  headers();
  return reply.type(contentTypeOf(r.format)).send(body);
}
