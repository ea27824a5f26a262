import type * as RDF from '@rdfjs/types';
import { ChunkedWriter } from './chunked-writer.js';
import { RdfSyntaxError } from './errors.js';
import { RDF_NS, XSD_NS } from './prefixes.js';
import { blankLabel, literalParts, safeIri } from './terms.js';

const RDF_TYPE = `${RDF_NS}type`;
const XSD_STRING = `${XSD_NS}string`;

// PN_PREFIX, restricted to ASCII: a prefix no parser could read is left out.
const TURTLE_PREFIX = /^(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$/;
// A namespace must be absolute: a relative one would be resolved against the reader's base.
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** The prefixes Turtle can declare, namespaces made safe: prefix → namespace. */
export function turtlePrefixes(prefixes: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prefix, ns] of Object.entries(prefixes)) if (TURTLE_PREFIX.test(prefix) && ABSOLUTE.test(ns)) out[prefix] = safeIri(ns);
  return out;
}

// A local name written in a prefixed name: ASCII letters, digits, `_`, `-` and single inner
// dots. A strict subset of PN_LOCAL (which also allows `:`, `%xx`, `\`-escapes, a trailing
// dot never): it needs no escapes, so it denotes exactly the IRI's characters, and every
// Turtle parser reads it. Anything else is written as <IRI>.
const LOCAL = /^[A-Za-z0-9_](?:\.?[A-Za-z0-9_-])*$/;
const LANGTAG = /^[A-Za-z]+(?:-[A-Za-z0-9]+)*$/;
const DIRECTION = /^(?:ltr|rtl)$/;

// What a single-line "…" string escapes: `"`, `\` and the controls (line breaks must not be
// raw); everything else is written as UTF-8, however long the text.
const ESCAPE = /["\\\u0000-\u001F\u007F]/;
const ESCAPE_ALL = /["\\\u0000-\u001F\u007F]/g;
const ECHAR: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f' };
const replace = (c: string) => ECHAR[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const escape = (s: string) => (ESCAPE.test(s) ? s.replace(ESCAPE_ALL, replace) : s);

// Literals Turtle writes bare, when the lexical form is exactly the grammar's (as N3.js does).
const BARE: Readonly<Record<string, RegExp>> = {
  [`${XSD_NS}boolean`]: /^(?:true|false)$/,
  [`${XSD_NS}integer`]: /^[+-]?\d+$/,
  [`${XSD_NS}decimal`]: /^[+-]?\d*\.\d+$/,
  [`${XSD_NS}double`]: /^[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+$/,
};

/**
 * Turtle written directly, in N3.js's layout: the prefix block, then the quads with
 * consecutive quads of one subject grouped by `;` and of one predicate by `,`. Only the
 * current subject and predicate are kept, so memory stays flat; graph names are dropped
 * (a triple format). Each literal is read once (literalParts) and the texts of recurring
 * IRIs are kept: about half of N3.js's cost per quad.
 */
export class TurtleWriter extends ChunkedWriter<RDF.Quad> {
  /** Namespace ending in `/` or `#` → "prefix:"; an IRI's namespace is then one look-up. */
  private readonly namespaces = new Map<string, string>();
  /** Namespaces ending otherwise, longest first. */
  private readonly otherNamespaces: Array<[string, string]> = [];
  /** IRI → its text: predicates, datatypes and vocabulary IRIs recur on every dataset. */
  private readonly common = new Map<string, string>();
  private subject: RDF.Quad_Subject | undefined;
  private predicate = '';

  constructor(prefixes: Readonly<Record<string, string>>) {
    super();
    let header = '';
    for (const [prefix, ns] of Object.entries(turtlePrefixes(prefixes))) {
      header += `@prefix ${prefix}: <${ns}>.\n`;
      const last = ns.charCodeAt(ns.length - 1);
      if (last === 47 || last === 35) this.namespaces.set(ns, `${prefix}:`);
      else this.otherNamespaces.push([ns, `${prefix}:`]);
    }
    this.otherNamespaces.sort((a, b) => b[0].length - a[0].length);
    if (header) this.out(`${header}\n`);
  }

  /** An IRI as a prefixed name where a prefix and a safe local name fit, else as <IRI>. */
  private iri(value: string): string {
    const iri = safeIri(value);
    // A local name has no `/` or `#`: the namespace ends at the last of them.
    const cut = Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1;
    if (cut > 0 && cut < iri.length) {
      const prefix = this.namespaces.get(iri.substring(0, cut));
      if (prefix !== undefined) {
        const local = iri.substring(cut);
        if (LOCAL.test(local)) return prefix + local;
      }
    }
    for (const [ns, prefix] of this.otherNamespaces) {
      if (iri.length > ns.length && iri.startsWith(ns) && LOCAL.test(iri.substring(ns.length))) return prefix + iri.substring(ns.length);
    }
    return `<${iri}>`;
  }

  private predicateText(value: string): string {
    return value === RDF_TYPE ? 'a' : this.commonIri(value);
  }

  private commonIri(value: string): string {
    let text = this.common.get(value);
    if (text === undefined) {
      text = this.iri(value);
      if (this.common.size >= 2000) this.common.clear();
      this.common.set(value, text);
    }
    return text;
  }

  private node(t: RDF.NamedNode | RDF.BlankNode): string {
    return t.termType === 'BlankNode' ? `_:${blankLabel(t.value)}` : this.commonIri(t.value);
  }

  private literal(o: RDF.Literal): string {
    const l = literalParts(o);
    const value = escape(l.value);
    if (l.language) {
      if (!LANGTAG.test(l.language) || (l.direction && !DIRECTION.test(l.direction))) throw new RdfSyntaxError('turtle', `cannot write the language tag "${l.language}${l.direction ? `--${l.direction}` : ''}"`);
      return `"${value}"@${l.language}${l.direction ? `--${l.direction}` : ''}`;
    }
    if (l.datatype === XSD_STRING) return `"${value}"`;
    if (BARE[l.datatype]?.test(value)) return value;
    return `"${value}"^^${this.commonIri(l.datatype)}`;
  }

  protected writeItem(q: RDF.Quad): void {
    const s = q.subject;
    const p = q.predicate;
    const o = q.object;
    if (s.termType !== 'NamedNode' && s.termType !== 'BlankNode') throw new RdfSyntaxError('turtle', `cannot write a ${s.termType} subject`);
    if (p.termType !== 'NamedNode') throw new RdfSyntaxError('turtle', `cannot write a ${p.termType} predicate`);
    let object: string;
    if (o.termType === 'Literal') object = this.literal(o);
    else if (o.termType === 'NamedNode' || o.termType === 'BlankNode') object = this.node(o);
    else throw new RdfSyntaxError('turtle', `cannot write a ${o.termType} object`);
    const current = this.subject;
    if (current !== undefined && (s === current || (s.termType === current.termType && s.value === current.value))) {
      if (p.value === this.predicate) this.out(`, ${object}`);
      else {
        this.predicate = p.value;
        this.out(`;\n    ${this.predicateText(p.value)} ${object}`);
      }
      return;
    }
    this.subject = s;
    this.predicate = p.value;
    this.out(`${current === undefined ? '' : '.\n'}${this.node(s)} ${this.predicateText(p.value)} ${object}`);
  }

  protected finish(): void {
    if (this.subject !== undefined) this.out('.\n');
  }
}
