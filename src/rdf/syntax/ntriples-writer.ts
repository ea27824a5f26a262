import type * as RDF from '@rdfjs/types';
import { ChunkedWriter } from './chunked-writer.js';
import { RdfSyntaxError } from './errors.js';
import { XSD_NS } from './prefixes.js';
import { blankLabel, literalParts, safeIri } from './terms.js';

const XSD_STRING = `${XSD_NS}string`;

// What canonical N-Triples escapes (as N3.js does): controls, `"`, `\`, DEL, U+FFFE/U+FFFF.
const ESCAPE = /[^ !#-[\]-~\u0080-\uFFFD]/;
const ESCAPE_ALL = /[^ !#-[\]-~\u0080-\uFFFD]/g;
const ECHAR: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f' };
const replace = (c: string) => ECHAR[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const escape = (s: string) => (ESCAPE.test(s) ? s.replace(ESCAPE_ALL, replace) : s);

function node(t: RDF.NamedNode | RDF.BlankNode): string {
  return t.termType === 'BlankNode' ? `_:${blankLabel(t.value)}` : `<${escape(safeIri(t.value))}>`;
}

/**
 * Canonical N-Triples, one line per quad, written directly: the format has no state
 * beyond the line, so a writer of our own (reading each literal once) costs a
 * fraction of a general Turtle/TriG writer in line mode. Output is what N3.js writes.
 */
export class NTriplesWriter extends ChunkedWriter<RDF.Quad> {
  // A subject's quads come together and predicates are few: their text is kept, not recomputed.
  private lastSubject: RDF.Term | undefined;
  private lastSubjectText = '';
  private readonly predicates = new Map<string, string>();

  protected writeItem(q: RDF.Quad): void {
    const s = q.subject;
    const o = q.object;
    if (s.termType !== 'NamedNode' && s.termType !== 'BlankNode') throw new RdfSyntaxError('ntriples', `cannot write a ${s.termType} subject`);
    if (q.predicate.termType !== 'NamedNode') throw new RdfSyntaxError('ntriples', `cannot write a ${q.predicate.termType} predicate`);
    let object: string;
    if (o.termType === 'Literal') {
      const l = literalParts(o);
      object = `"${escape(l.value)}"`;
      if (l.language) object += `@${l.language}${l.direction ? `--${l.direction}` : ''}`;
      else if (l.datatype !== XSD_STRING) object += `^^<${escape(safeIri(l.datatype))}>`;
    } else if (o.termType === 'NamedNode' || o.termType === 'BlankNode') object = node(o);
    else throw new RdfSyntaxError('ntriples', `cannot write a ${o.termType} object`);
    if (s !== this.lastSubject) {
      this.lastSubject = s;
      this.lastSubjectText = node(s);
    }
    let p = this.predicates.get(q.predicate.value);
    if (p === undefined) {
      p = node(q.predicate);
      if (this.predicates.size >= 1000) this.predicates.clear();
      this.predicates.set(q.predicate.value, p);
    }
    this.out(`${this.lastSubjectText} ${p} ${object} .\n`);
  }

  protected finish(): void {}
}
