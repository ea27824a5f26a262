import type * as RDF from '@rdfjs/types';

// Characters IRIREF (Turtle, N-Triples) forbids; harvested IRIs do contain them
// ("tel:+49 40 …"), and an IRI written verbatim would make the whole document unparseable.
const IRI_UNSAFE = /[\u0000-\u0020<>"{}|^`\\]/;
const IRI_UNSAFE_ALL = /[\u0000-\u0020<>"{}|^`\\]/g;

/** The IRI with the characters no RDF syntax can carry percent-encoded (all are ASCII). */
export function safeIri(iri: string): string {
  if (!IRI_UNSAFE.test(iri)) return iri;
  return iri.replace(IRI_UNSAFE_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const PLAIN_LABEL = /^(?!x_)[A-Za-z][A-Za-z0-9_]*$/;
const LABEL_CHAR = /[A-Za-z0-9]/;

/**
 * A blank node label that is valid in Turtle, N-Triples, JSON-LD and as an RDF/XML
 * `rdf:nodeID` (an NCName). Injective: plain labels are kept, every other label is
 * escaped behind an `x_` prefix that plain labels never start with.
 */
export function blankLabel(value: string): string {
  if (PLAIN_LABEL.test(value)) return value;
  let out = 'x_';
  for (const ch of value) out += LABEL_CHAR.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  return out;
}

/** A string that is equal for equal subjects; cheap enough to compare on every quad. */
export function subjectKey(term: RDF.Term): string {
  return term.termType === 'BlankNode' ? `B${term.value}` : `N${term.value}`;
}

const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/** A literal's parts, read once. */
export interface LiteralParts {
  value: string;
  /** '' when none. */
  language: string;
  direction: string;
  datatype: string;
}

/**
 * value, language, direction and datatype of a literal in one go. N3.js literals keep
 * only their id ("text"@de, "5"^^http://…) and re-parse it on every getter (the value
 * getter copies the text, the datatype getter makes a new term), which writers would
 * otherwise pay several times per literal; the id is parsed here once.
 */
export function literalParts(term: RDF.Literal): LiteralParts {
  const id = (term as RDF.Literal & { id?: unknown }).id;
  if (typeof id === 'string' && id.charCodeAt(0) === 34) {
    const end = id.lastIndexOf('"');
    const value = id.substring(1, end);
    if (end === id.length - 1) return { value, language: '', direction: '', datatype: XSD_STRING };
    if (id.charCodeAt(end + 1) === 94) return { value, language: '', direction: '', datatype: id.substring(end + 3) };
    const tag = id.substring(end + 2);
    const dash = tag.indexOf('--');
    return dash < 0 ? { value, language: tag.toLowerCase(), direction: '', datatype: RDF_LANGSTRING } : { value, language: tag.substring(0, dash).toLowerCase(), direction: tag.substring(dash + 2).toLowerCase(), datatype: RDF_LANGSTRING };
  }
  const language = term.language;
  const direction = language ? ((term as RDF.Literal & { direction?: string }).direction ?? '') : '';
  return { value: term.value, language, direction, datatype: language ? RDF_LANGSTRING : term.datatype.value };
}

// ---------------------------------------------------------------------------------------------
// Plain RDF/JS terms for what we generate (the mapping): N3.js literals keep only an id string
// and re-derive value, language and datatype on every read, and making the id copies the
// whole text; these hold their parts as fields. Spec-conformant, so every consumer (N3.js's
// Store and Writer, SHACL, our writers) takes them.

class PlainNamedNode implements RDF.NamedNode {
  readonly termType = 'NamedNode';
  constructor(readonly value: string) {}
  equals(other: RDF.Term | null | undefined): boolean {
    return !!other && other.termType === 'NamedNode' && other.value === this.value;
  }
}

class PlainBlankNode implements RDF.BlankNode {
  readonly termType = 'BlankNode';
  constructor(readonly value: string) {}
  equals(other: RDF.Term | null | undefined): boolean {
    return !!other && other.termType === 'BlankNode' && other.value === this.value;
  }
}

class PlainLiteral implements RDF.Literal {
  readonly termType = 'Literal';
  constructor(
    readonly value: string,
    readonly language: string,
    readonly datatype: RDF.NamedNode,
  ) {}
  equals(other: RDF.Term | null | undefined): boolean {
    return !!other && other.termType === 'Literal' && other.value === this.value && other.language === this.language && (other.direction ?? '') === '' && other.datatype.equals(this.datatype);
  }
}

class PlainDefaultGraph implements RDF.DefaultGraph {
  readonly termType = 'DefaultGraph';
  readonly value = '';
  equals(other: RDF.Term | null | undefined): boolean {
    return !!other && other.termType === 'DefaultGraph';
  }
}

class PlainQuad implements RDF.Quad {
  readonly termType = 'Quad';
  readonly value = '';
  constructor(
    readonly subject: RDF.Quad_Subject,
    readonly predicate: RDF.Quad_Predicate,
    readonly object: RDF.Quad_Object,
    readonly graph: RDF.Quad_Graph,
  ) {}
  equals(other: RDF.Term | null | undefined): boolean {
    return !!other && other.termType === 'Quad' && this.subject.equals(other.subject) && this.predicate.equals(other.predicate) && this.object.equals(other.object) && this.graph.equals(other.graph);
  }
}

const DEFAULT_GRAPH = new PlainDefaultGraph();
const LANG_STRING_TERM = new PlainNamedNode(RDF_LANGSTRING);
const XSD_STRING_TERM = new PlainNamedNode(XSD_STRING);
let blankCounter = 0;
let blankPrefix = 'm_';

/** The label prefix of fresh blank nodes: a worker thread takes its own, so its labels never meet the main thread's in one document. */
export function useBlankPrefix(prefix: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]*_$/.test(prefix)) throw new TypeError(`blank node prefix ${prefix} is not a plain label`);
  blankPrefix = prefix;
}

/** A minimal RDF/JS DataFactory of plain terms (language tags lower-cased, as N3.js does). */
export const plainTerms = {
  namedNode: (iri: string): RDF.NamedNode => new PlainNamedNode(iri),
  /** Without a label: a fresh one, unique in the thread ("m_1", "m_2", …: valid in every syntax as they are). */
  blankNode: (label?: string): RDF.BlankNode => new PlainBlankNode(label ?? `${blankPrefix}${++blankCounter}`),
  literal: (value: string, languageOrDatatype?: string | RDF.NamedNode): RDF.Literal => {
    if (typeof languageOrDatatype === 'string') return new PlainLiteral(value, languageOrDatatype.toLowerCase(), LANG_STRING_TERM);
    return new PlainLiteral(value, '', languageOrDatatype ?? XSD_STRING_TERM);
  },
  defaultGraph: (): RDF.DefaultGraph => DEFAULT_GRAPH,
  quad: (subject: RDF.Quad_Subject, predicate: RDF.Quad_Predicate, object: RDF.Quad_Object, graph: RDF.Quad_Graph = DEFAULT_GRAPH): RDF.Quad => new PlainQuad(subject, predicate, object, graph),
};
