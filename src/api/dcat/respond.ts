import { Readable } from 'node:stream';
import type { Quad } from '@rdfjs/types';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { buildContext } from '../../rdf/context.js';
import { contentTypeOf, createWriter, FORMATS, negotiate, RDF_FORMATS, type RdfFormat } from '../../rdf/syntax/index.js';

/** The format of a request: fixed by the URL's extension, else negotiated from Accept; 406 when nothing fits. */
export function formatOf(request: FastifyRequest, fixed: RdfFormat | undefined): RdfFormat {
  if (fixed) return fixed;
  const format = negotiate(request.headers.accept, RDF_FORMATS);
  if (format) return format;
  const available = RDF_FORMATS.map((f) => FORMATS[f].mediaType);
  throw new AppError(406, 'not_acceptable', `This resource is available as ${available.join(', ')} (also by the extensions .ttl, .rdf, .jsonld, .nt).`, { available });
}

const JSONLD_CONTEXT = [buildContext(), { hydra: 'http://www.w3.org/ns/hydra/core#' }];

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
  /** The document's quads, one by one or in arrays (a dataset's at once: fewer stream steps); pulled only when a body is sent. */
  quads: () => Iterable<Quad | readonly Quad[]>;
}

/**
 * Sends an RDF document streamed through the syntax writer, with ETag,
 * Last-Modified, 304 and HEAD. Everything that decides whether the document
 * can be produced (the database reads) has happened before this is called;
 * should writing still fail half-way, the source error destroys the writer,
 * and Fastify then destroys the connection once headers are out, so a
 * client sees a broken transfer, never a complete-looking short document.
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
  const writer = createWriter(r.format, r.format === 'jsonld' ? { context: JSONLD_CONTEXT, compact: true } : {});
  const source = Readable.from(r.quads(), { objectMode: true });
  source.once('error', (err) => writer.destroy(err));
  const chunks = source.pipe(writer)[Symbol.asyncIterator]();
  // The first chunk (16 kB, or the whole of a small document) is made before the status is
  // decided: a failure this early is an ordinary error answer.
  const first = await chunks.next();
  headers();
  reply.type(contentTypeOf(r.format));
  const body = Readable.from(
    (async function* () {
      if (!first.done) yield first.value as Buffer;
      try {
        for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield c.value as Buffer;
      } catch (err) {
        request.log.error({ err }, 'RDF document failed while streaming; connection aborted');
        throw err;
      }
    })(),
    { objectMode: false },
  );
  return reply.send(body);
}
