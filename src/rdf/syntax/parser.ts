import { Readable, pipeline, type Duplex } from 'node:stream';
import { StreamParser, type Quad } from 'n3';
import { toSyntaxError } from './errors.js';
import { textChunks, type RdfInput } from './input.js';
import { parseJsonLd, type BundledContexts } from './jsonld-parser.js';
import type { RdfFormat } from './media-types.js';
import { SafeRdfXmlParser } from './rdfxml-parser.js';

export interface ParseOptions {
  /** Base for relative IRIs. */
  baseIRI?: string;
  /** Refuse documents larger than this (bytes). Unlimited for the streaming formats unless set; JSON-LD defaults to 32 MiB. */
  maxBytes?: number;
  /** JSON-LD: contexts by URL; any other remote context is refused, never fetched. */
  contexts?: BundledContexts;
  /** JSON-LD: maximum nesting of arrays and objects (default 64). */
  maxDepth?: number;
}

/** Builds the library parser: a Transform from text to quads (N3.js and rdfxml-streaming-parser are readable-stream based). */
function streamParser(format: 'turtle' | 'ntriples' | 'rdfxml', baseIRI: string | undefined): Duplex {
  if (format === 'rdfxml') return new SafeRdfXmlParser(baseIRI) as unknown as Duplex;
  return new StreamParser({ format: format === 'turtle' ? 'text/turtle' : 'application/n-triples', baseIRI });
}

/**
 * Parses a document into quads (n3 DataFactory terms) as they are read; a document read
 * from a stream is never held whole (except JSON-LD, which must be). Every failure,
 * including the size limit, surfaces as RdfSyntaxError from the iteration.
 */
export async function* parseRdfStream(input: RdfInput, format: RdfFormat, options: ParseOptions = {}): AsyncGenerator<Quad> {
  if (format === 'jsonld') {
    yield* await parseJsonLd(input, options);
    return;
  }
  const source = Readable.from(textChunks(input, format, options.maxBytes));
  const parser = streamParser(format, options.baseIRI);
  // Errors of either side end up destroying `parser`, which rejects the iteration below.
  pipeline(source, parser, () => {});
  try {
    for await (const quad of parser) yield quad as Quad;
  } catch (error) {
    throw toSyntaxError(error, format);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** Parses a whole document into an array of quads. */
export async function parseRdf(input: RdfInput, format: RdfFormat, options: ParseOptions = {}): Promise<Quad[]> {
  if (format === 'jsonld') return parseJsonLd(input, options);
  const quads: Quad[] = [];
  for await (const quad of parseRdfStream(input, format, options)) quads.push(quad);
  return quads;
}
