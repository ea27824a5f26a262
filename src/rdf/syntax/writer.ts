import type * as RDF from '@rdfjs/types';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChunkedWriter } from './chunked-writer.js';
import { JsonLdCompactWriter, JsonLdNodeWriter, JsonLdQuadWriter, type JsonLdContextValue, type JsonLdNode } from './jsonld-writer.js';
import type { RdfFormat } from './media-types.js';
import { NTriplesWriter } from './ntriples-writer.js';
import { PREFIXES } from './prefixes.js';
import { RdfXmlWriter, type UnwritablePolicy } from './rdfxml-writer.js';
import { TurtleWriter } from './turtle-writer.js';

export interface WriterOptions {
  /** Prefix → namespace for Turtle and RDF/XML; defaults to PREFIXES. */
  prefixes?: Readonly<Record<string, string>>;
  /** JSON-LD only: written as the document's "@context" (the body is expanded, full IRIs, unless `compact`). */
  context?: JsonLdContextValue;
  /**
   * JSON-LD only: the body uses the inline `context`'s terms, nodes of an array written at
   * once nested (its blank nodes must not occur outside it); see JsonLdCompactWriter.
   */
  compact?: boolean;
  /** RDF/XML only: a quad with no RDF/XML form (predicate ending in "/") errors the stream (default) or is skipped. */
  unwritable?: UnwritablePolicy;
}

/**
 * A writer is a Node Transform: its writable side takes RDF/JS quads (object mode; an
 * array of quads counts as that many quads in order), its readable side gives UTF-8
 * bytes of one document. Write any number of quads, page after page, then end() it;
 * the header is written up front and the closing syntax on end. Memory is bounded by
 * one output chunk plus the current subject (JSON-LD: the current node). Backpressure
 * is Node's: pipe or pipeline it, or honour write()'s return value.
 * Graph names are ignored: all four formats are triple formats. A bounded document
 * can also be made in one go with `render`, without the stream.
 */
export type QuadWriter = ChunkedWriter<RDF.Quad>;

export function createWriter(format: RdfFormat, options: WriterOptions = {}): QuadWriter {
  const prefixes = options.prefixes ?? PREFIXES;
  switch (format) {
    case 'turtle':
      return new TurtleWriter(prefixes);
    case 'ntriples':
      return new NTriplesWriter();
    case 'rdfxml':
      return new RdfXmlWriter(prefixes, options.unwritable);
    case 'jsonld':
      if (options.compact) {
        if (options.context === undefined) throw new TypeError('compact JSON-LD needs a context');
        return new JsonLdCompactWriter(options.context);
      }
      return new JsonLdQuadWriter(options.context);
  }
}

type Source<T> = Iterable<T> | AsyncIterable<T>;

export interface WriteOptions extends WriterOptions {
  /** End `out` when the document is complete (default true; false to append more after it). */
  end?: boolean;
}

/** Streams `quads` (e.g. an async generator reading page after page) as one document into `out`. */
export async function writeQuads(format: RdfFormat, quads: Source<RDF.Quad>, out: NodeJS.WritableStream, options: WriteOptions = {}): Promise<void> {
  await pipeline(Readable.from(quads), createWriter(format, options), out, { end: options.end ?? true });
}

/** Writer for node objects the layer above has built itself; same framing as the JSON-LD quad writer. */
export function createJsonLdNodeWriter(context?: JsonLdContextValue): Transform {
  return new JsonLdNodeWriter(context);
}

/** Streams JSON-LD node objects as one `{"@context", "@graph": [...]}` document into `out`. */
export async function writeJsonLdNodes(nodes: Source<JsonLdNode>, out: NodeJS.WritableStream, options: { context?: JsonLdContextValue; end?: boolean } = {}): Promise<void> {
  await pipeline(Readable.from(nodes), new JsonLdNodeWriter(options.context), out, { end: options.end ?? true });
}

/** The whole document as a string: for small graphs and tests; use writeQuads for responses. */
export async function serialize(format: RdfFormat, quads: Source<RDF.Quad>, options: WriterOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  const writer = createWriter(format, options);
  await pipeline(Readable.from(quads), writer, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString('utf8');
}
