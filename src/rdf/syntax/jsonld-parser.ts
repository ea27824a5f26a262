import type * as RDF from '@rdfjs/types';
import jsonld, { type NodeObject } from 'jsonld';
import { DataFactory, type Quad } from 'n3';
import { RdfSyntaxError } from './errors.js';
import { readText, type RdfInput } from './input.js';

const { quad, namedNode, blankNode, literal, defaultGraph } = DataFactory;

/** Contexts we ship, by the URL documents refer to them with. Nothing else is ever loaded. */
export type BundledContexts = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** JSON-LD must be held in memory whole, so it gets a limit even when the caller sets none. */
export const DEFAULT_JSONLD_MAX_BYTES = 32 * 1024 * 1024;
/** jsonld.js expands recursively; deeper documents are refused before it sees them. */
export const DEFAULT_JSONLD_MAX_DEPTH = 64;

export interface JsonLdParseOptions {
  baseIRI?: string;
  maxBytes?: number;
  maxDepth?: number;
  contexts?: BundledContexts;
}

/** Term shapes of jsonld.toRDF's output (plain objects, not RDF/JS instances). */
interface JTerm {
  termType: string;
  value: string;
  datatype?: { value: string };
  language?: string;
}
interface JQuad {
  subject: JTerm;
  predicate: JTerm;
  object: JTerm;
  graph: JTerm;
}

/** A document loader that serves bundled contexts and refuses every other URL, without any I/O. */
function bundledLoader(contexts: BundledContexts | undefined) {
  return async (url: string) => {
    const document = contexts?.get(url);
    if (!document) throw new RdfSyntaxError('jsonld', `remote context ${url} is not bundled; remote documents are never fetched`);
    // A copy, so nothing jsonld.js does can reach the shared bundled object.
    return { contextUrl: undefined, documentUrl: url, document: structuredClone(document) as NodeObject };
  };
}

/** Depth of nested arrays/objects, iteratively (a recursive walk would be the overflow we guard against). */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** jsonld.js wraps loader errors (jsonld.InvalidUrl → details.cause); find ours again. */
function unwrap(error: unknown): RdfSyntaxError {
  for (let e: unknown = error, i = 0; e && i < 10; i++) {
    if (e instanceof RdfSyntaxError) return e;
    e = (e as { details?: { cause?: unknown } }).details?.cause ?? (e as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RdfSyntaxError('jsonld', message, undefined, { cause: error });
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function term(t: JTerm): RDF.Term {
  switch (t.termType) {
    case 'NamedNode':
      return namedNode(t.value);
    case 'BlankNode':
      return blankNode(t.value.startsWith('_:') ? t.value.slice(2) : t.value);
    case 'Literal':
      return t.language ? literal(t.value, t.language) : literal(t.value, namedNode(t.datatype?.value ?? 'http://www.w3.org/2001/XMLSchema#string'));
    default:
      return defaultGraph();
  }
}

/** Parses a JSON-LD document with jsonld.toRDF; only bundled contexts, size and depth limited. */
export async function parseJsonLd(input: RdfInput, options: JsonLdParseOptions = {}): Promise<Quad[]> {
  const text = await readText(input, 'jsonld', options.maxBytes ?? DEFAULT_JSONLD_MAX_BYTES);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    throw new RdfSyntaxError('jsonld', `invalid JSON: ${(error as Error).message}`, position ? lineAt(text, Number(position[1])) : undefined, { cause: error });
  }
  // A bare string would be taken by jsonld.js as the URL of the document to load.
  if (typeof document !== 'object' || document === null) throw new RdfSyntaxError('jsonld', 'a JSON-LD document must be an object or an array');
  const maxDepth = options.maxDepth ?? DEFAULT_JSONLD_MAX_DEPTH;
  if (depthExceeds(document, maxDepth)) throw new RdfSyntaxError('jsonld', `document nested deeper than ${maxDepth} levels`);

  let dataset: JQuad[];
  try {
    dataset = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
      base: options.baseIRI,
      documentLoader: bundledLoader(options.contexts),
    })) as JQuad[];
  } catch (error) {
    throw unwrap(error);
  }
  return dataset.map((q) => quad(term(q.subject) as Quad['subject'], term(q.predicate) as Quad['predicate'], term(q.object) as Quad['object'], term(q.graph) as Quad['graph']));
}
