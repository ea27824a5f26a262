import type * as RDF from '@rdfjs/types';
import { ChunkedWriter } from './chunked-writer.js';
import { RdfSyntaxError } from './errors.js';
import { RDF_NS, XSD_NS } from './prefixes.js';
import { ActiveContext, compactBatch } from './jsonld-compact.js';
import { blankLabel, safeIri, subjectKey } from './terms.js';

/** A JSON-LD `@context` value: an object, a URL, or an array of them. */
export type JsonLdContextValue = string | Readonly<Record<string, unknown>> | ReadonlyArray<string | Readonly<Record<string, unknown>>>;

/** A JSON-LD node object as the layer above builds it. */
export type JsonLdNode = Readonly<Record<string, unknown>>;

type JsonLdValue = { '@id': string } | { '@value': string | number | boolean; '@type'?: string; '@language'?: string; '@direction'?: string };

const RDF_TYPE = `${RDF_NS}type`;
const XSD_STRING = `${XSD_NS}string`;
const XSD_INTEGER = `${XSD_NS}integer`;
const XSD_BOOLEAN = `${XSD_NS}boolean`;
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]{0,15})$/;

const openings = new WeakMap<object, string>();

/** The document around the nodes: `{"@context": …, "@graph": [` node `,` node … `]}`. */
class GraphFraming {
  private first = true;

  open(context: JsonLdContextValue | undefined): string {
    if (context === undefined) return '{\n  "@graph": [';
    // The catalog's context is one constant written at the top of every page: its text once.
    let text = typeof context === 'object' ? openings.get(context) : undefined;
    if (text === undefined) {
      text = `{\n  "@context": ${JSON.stringify(context)},\n  "@graph": [`;
      if (typeof context === 'object') openings.set(context, text);
    }
    return text;
  }

  node(node: JsonLdNode): string {
    return this.serialized(JSON.stringify(node));
  }

  /** A node already turned into JSON text. */
  serialized(json: string): string {
    const text = `${this.first ? '\n    ' : ',\n    '}${json}`;
    this.first = false;
    return text;
  }

  close(): string {
    return this.first ? ']\n}\n' : '\n  ]\n}\n';
  }
}

/**
 * Node objects (already built by the layer above) to one JSON-LD document; each node is
 * turned into text as soon as it arrives, so memory does not grow with the graph.
 */
export class JsonLdNodeWriter extends ChunkedWriter<JsonLdNode> {
  private readonly framing = new GraphFraming();
  protected override readonly batches = false;

  constructor(context?: JsonLdContextValue) {
    super();
    this.out(this.framing.open(context));
  }

  protected writeItem(node: JsonLdNode): void {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new TypeError('a JSON-LD node must be an object');
    this.out(this.framing.node(node));
  }

  protected finish(): void {
    this.out(this.framing.close());
  }
}

/** The expanded-form value of an object term. Integers and booleans become JSON natives only where that round-trips exactly. */
function valueOf(term: RDF.Quad_Object): JsonLdValue {
  if (term.termType === 'NamedNode') return { '@id': safeIri(term.value) };
  if (term.termType === 'BlankNode') return { '@id': `_:${blankLabel(term.value)}` };
  if (term.termType !== 'Literal') throw new RdfSyntaxError('jsonld', `cannot write a ${term.termType} object`);
  if (term.language) {
    const direction = (term as RDF.Literal & { direction?: string }).direction;
    return direction ? { '@value': term.value, '@language': term.language, '@direction': direction } : { '@value': term.value, '@language': term.language };
  }
  const dt = term.datatype.value;
  if (dt === XSD_STRING) return { '@value': term.value };
  // A JSON number would come back as xsd:integer only if it is a safe integer in canonical form;
  // decimals and doubles stay strings, as a native number would turn into xsd:double.
  if (dt === XSD_INTEGER && CANONICAL_INTEGER.test(term.value) && Number.isSafeInteger(Number(term.value))) return { '@value': Number(term.value) };
  if (dt === XSD_BOOLEAN && (term.value === 'true' || term.value === 'false')) return { '@value': term.value === 'true' };
  return { '@value': term.value, '@type': safeIri(dt) };
}

const json = JSON.stringify;

/** JSON.stringify(valueOf(term)), without the object in between: the export writes one per quad. */
function valueText(term: RDF.Quad_Object): string {
  if (term.termType === 'NamedNode') return `{"@id":${json(safeIri(term.value))}}`;
  if (term.termType === 'BlankNode') return `{"@id":${json(`_:${blankLabel(term.value)}`)}}`;
  if (term.termType !== 'Literal') return json(valueOf(term)); // throws the error valueOf names
  const value = term.value;
  const language = term.language;
  if (language) {
    const direction = (term as RDF.Literal & { direction?: string }).direction;
    return `{"@value":${json(value)},"@language":${json(language)}${direction ? `,"@direction":${json(direction)}` : ''}}`;
  }
  const dt = term.datatype.value;
  if (dt === XSD_STRING) return `{"@value":${json(value)}}`;
  if (dt === XSD_INTEGER || dt === XSD_BOOLEAN) return json(valueOf(term));
  return `{"@value":${json(value)},"@type":${json(safeIri(dt))}}`;
}

/**
 * Quads to expanded JSON-LD: consecutive quads of one subject become one node object
 * (only that node is held in memory). A subject that recurs later gets a second node
 * object with the same @id, which JSON-LD merges. Graph names are ignored.
 */
export class JsonLdQuadWriter extends ChunkedWriter<RDF.Quad> {
  private readonly framing = new GraphFraming();
  private subject: string | undefined;
  private id = '';
  private types: string[] = [];
  /** Predicate → the JSON texts of its values. */
  private properties = new Map<string, string[]>();

  constructor(context?: JsonLdContextValue) {
    super();
    this.out(this.framing.open(context));
  }

  protected writeItem(q: RDF.Quad): void {
    if (q.subject.termType !== 'NamedNode' && q.subject.termType !== 'BlankNode') throw new RdfSyntaxError('jsonld', `cannot write a ${q.subject.termType} subject`);
    if (q.predicate.termType !== 'NamedNode') throw new RdfSyntaxError('jsonld', `cannot write a ${q.predicate.termType} predicate`);
    const key = subjectKey(q.subject);
    if (key !== this.subject) {
      this.flushNode();
      this.subject = key;
      this.id = q.subject.termType === 'BlankNode' ? `_:${blankLabel(q.subject.value)}` : safeIri(q.subject.value);
    }
    if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
      this.types.push(safeIri(q.object.value));
      return;
    }
    const value = valueText(q.object);
    const predicate = safeIri(q.predicate.value);
    const values = this.properties.get(predicate);
    if (values) values.push(value);
    else this.properties.set(predicate, [value]);
  }

  private flushNode(): void {
    if (this.subject === undefined) return;
    // The text JSON.stringify gives for {"@id", "@type", ...properties}, without building that object.
    let text = `{"@id":${json(this.id)}`;
    if (this.types.length) text += `,"@type":${json(this.types)}`;
    for (const [predicate, values] of this.properties) text += `,${json(predicate)}:[${values.join(',')}]`;
    this.out(this.framing.serialized(`${text}}`));
    this.types = [];
    this.properties = new Map();
  }

  protected finish(): void {
    this.flushNode();
    this.out(this.framing.close());
  }
}

/**
 * Quads to JSON-LD compacted to the terms of the context (see jsonld-compact.ts): what a
 * developer reads in REST documents ("title": {"de": …}, "distribution": [{…}]), and
 * what any processor expands to the same quads. An array written at once (one
 * dataset) is one unit: its nodes referenced once are nested, blank ones without @id,
 * so a batch's blank nodes must not occur outside it. Single quads are grouped by
 * consecutive subject and never nested. Memory: one batch (or one subject's run).
 */
// A context's term tables and the choices learnt from them are the same for every page written
// with it (the catalog's context is one constant): made once, not per writer.
const activeContexts = new WeakMap<object, ActiveContext>();
function activeContextOf(context: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]): ActiveContext {
  let c = activeContexts.get(context);
  if (!c) {
    c = ActiveContext.of(context);
    activeContexts.set(context, c);
  }
  return c;
}

export class JsonLdCompactWriter extends ChunkedWriter<RDF.Quad> {
  private readonly framing = new GraphFraming();
  private readonly ctx: ActiveContext;
  private run: RDF.Quad[] = [];
  private runSubject: string | undefined;

  constructor(context: JsonLdContextValue) {
    super();
    if (typeof context === 'string' || (Array.isArray(context) && context.some((c) => typeof c === 'string'))) {
      throw new TypeError('the compacting JSON-LD writer needs the context inline, not by URL');
    }
    this.ctx = activeContextOf(context as Readonly<Record<string, unknown>>);
    this.out(this.framing.open(context));
  }

  private outNodes(nodes: string[]): void {
    for (const node of nodes) this.out(this.framing.serialized(node));
  }

  private flushRun(): void {
    if (!this.run.length) return;
    this.outNodes(compactBatch(this.run, this.ctx, false));
    this.run = [];
    this.runSubject = undefined;
  }

  protected writeItem(q: RDF.Quad): void {
    const key = subjectKey(q.subject);
    if (key !== this.runSubject) this.flushRun();
    this.runSubject = key;
    this.run.push(q);
  }

  protected override writeBatch(quads: readonly RDF.Quad[]): void {
    this.flushRun();
    this.outNodes(compactBatch(quads, this.ctx, true));
  }

  protected finish(): void {
    this.flushRun();
    this.out(this.framing.close());
  }
}
