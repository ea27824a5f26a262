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
