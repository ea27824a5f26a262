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
