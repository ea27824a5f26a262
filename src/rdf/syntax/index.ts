/** RDF syntax layer: media types and negotiation, streaming writers and safe parsers. */
export { RdfSyntaxError } from './errors.js';
export { contentTypeOf, formatFromExtension, formatFromMediaType, FORMATS, negotiate, RDF_FORMATS, type FormatInfo, type RdfFormat } from './media-types.js';
export { PREFIXES } from './prefixes.js';
export { createJsonLdNodeWriter, createWriter, serialize, writeJsonLdNodes, writeQuads, type QuadWriter, type WriteOptions, type WriterOptions } from './writer.js';
export type { JsonLdContextValue, JsonLdNode } from './jsonld-writer.js';
export type { UnwritablePolicy } from './rdfxml-writer.js';
export { parseRdf, parseRdfStream, type ParseOptions } from './parser.js';
export { DEFAULT_JSONLD_MAX_BYTES, DEFAULT_JSONLD_MAX_DEPTH, type BundledContexts } from './jsonld-parser.js';
export type { RdfInput } from './input.js';
