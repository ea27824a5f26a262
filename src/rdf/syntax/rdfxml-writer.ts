import type * as RDF from '@rdfjs/types';
import { ChunkedWriter } from './chunked-writer.js';
import { RdfSyntaxError } from './errors.js';
import { RDF_NS, XSD_NS } from './prefixes.js';
import { blankLabel, safeIri, subjectKey } from './terms.js';
import { escapeAttr, escapeText, isNcName, splitIri } from './xml.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const RDF_TYPE = `${RDF_NS}type`;
const XSD_STRING = `${XSD_NS}string`;
const RDF_LANGSTRING = `${RDF_NS}langString`;

// rdf: names that RDF/XML reserves for syntax; as property elements they would mean
// something else (rdf:li becomes rdf:_n) or be rejected.
const RESERVED_RDF = new Set(['RDF', 'Description', 'ID', 'about', 'bagID', 'parseType', 'resource', 'nodeID', 'li', 'aboutEach', 'aboutEachPrefix', 'datatype']);

/** What to do with a quad RDF/XML cannot express (a predicate like "http://x/y/" has no QName). */
export type UnwritablePolicy = 'error' | 'skip';

interface XmlName {
  qname: string;
  /** An inline xmlns declaration for namespaces not declared on the root element, else ''. */
  decl: string;
}

/** Remembers recent IRI → element name results; cleared when full, so memory stays bounded. */
const NAME_CACHE_SIZE = 2000;

/**
 * Streaming RDF/XML: one `rdf:Description` (or typed node element, when the subject's
 * first quad is its rdf:type) per run of consecutive quads with the same subject; objects
 * are `rdf:resource`/`rdf:nodeID` references, never nested, so nothing is buffered.
 * Namespaces missing from the prefix map are declared on the element that uses them.
 */
export class RdfXmlWriter extends ChunkedWriter<RDF.Quad> {
  private readonly prefixOf = new Map<string, string>();
  private readonly generatedPrefix: string;
  private readonly names = new Map<string, XmlName | null>();
  private subject: string | undefined;
  private closeTag = '';

  constructor(
    prefixes: Readonly<Record<string, string>>,
    private readonly unwritable: UnwritablePolicy = 'error',
  ) {
    super();
    this.prefixOf.set(RDF_NS, 'rdf');
    let header = `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="${RDF_NS}"`;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      const usable = isNcName(prefix) && !/^xml/i.test(prefix) && ns !== '' && ns !== XML_NS && ns !== XMLNS_NS;
      if (!usable || prefix === 'rdf' || this.prefixOf.has(ns)) continue;
      this.prefixOf.set(ns, prefix);
      header += `\n    xmlns:${prefix}="${escapeAttr(ns)}"`;
    }
    const taken = new Set(this.prefixOf.values());
    let n = 0;
    while (taken.has(`ns${n}`)) n++;
    this.generatedPrefix = `ns${n}`;
    this.out(`${header}>\n`);
  }

  private xmlName(iri: string): XmlName | undefined {
    let name = this.names.get(iri);
    if (name === undefined) {
      name = this.computeName(iri) ?? null;
      if (this.names.size >= NAME_CACHE_SIZE) this.names.clear();
      this.names.set(iri, name);
    }
    return name ?? undefined;
  }

  private computeName(iri: string): XmlName | undefined {
    const split = splitIri(safeIri(iri));
    if (!split) return undefined;
    const [ns, local] = split;
    if (ns === XML_NS || ns === XMLNS_NS || (ns === RDF_NS && RESERVED_RDF.has(local))) return undefined;
    const prefix = this.prefixOf.get(ns);
    if (prefix !== undefined) return { qname: `${prefix}:${local}`, decl: '' };
    return { qname: `${this.generatedPrefix}:${local}`, decl: ` xmlns:${this.generatedPrefix}="${escapeAttr(ns)}"` };
  }

  private reject(q: RDF.Quad, why: string): void {
    if (this.unwritable === 'error') throw new RdfSyntaxError('rdfxml', `cannot write <${q.subject.value}> <${q.predicate.value}>: ${why}`);
  }

  protected writeItem(q: RDF.Quad): void {
    if (q.subject.termType !== 'NamedNode' && q.subject.termType !== 'BlankNode') return this.reject(q, 'subject is not an IRI or blank node');
    if (q.object.termType !== 'NamedNode' && q.object.termType !== 'BlankNode' && q.object.termType !== 'Literal') {
      return this.reject(q, 'object is not an IRI, blank node or literal');
    }
    if (q.predicate.termType !== 'NamedNode') return this.reject(q, 'predicate is not an IRI');
    const predicate = this.xmlName(q.predicate.value);
    if (!predicate) return this.reject(q, 'the predicate IRI has no XML QName form (it must end in an NCName)');

    const key = subjectKey(q.subject);
    if (key !== this.subject) {
      if (this.subject !== undefined) this.out(this.closeTag);
      this.subject = key;
      const ref = nodeRef(q.subject, 'rdf:about');
      // A first rdf:type becomes the element name; rdf: types stay properties (rdf:Description would mean "no type").
      const type = q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode' ? this.xmlName(q.object.value) : undefined;
      if (type && !type.qname.startsWith('rdf:')) {
        this.out(`  <${type.qname}${type.decl} ${ref}>\n`);
        this.closeTag = `  </${type.qname}>\n`;
        return;
      }
      this.out(`  <rdf:Description ${ref}>\n`);
      this.closeTag = '  </rdf:Description>\n';
    }

    const { qname, decl } = predicate;
    const o = q.object;
    if (o.termType !== 'Literal') {
      this.out(`    <${qname}${decl} ${nodeRef(o, 'rdf:resource')}/>\n`);
      return;
    }
    let attrs = decl;
    if (o.language) attrs += ` xml:lang="${escapeAttr(o.language)}"`;
    else if (o.datatype.value !== XSD_STRING && o.datatype.value !== RDF_LANGSTRING) {
      attrs += ` rdf:datatype="${escapeAttr(safeIri(o.datatype.value))}"`;
    }
    this.out(`    <${qname}${attrs}>${escapeText(o.value)}</${qname}>\n`);
  }

  protected finish(): void {
    if (this.subject !== undefined) this.out(this.closeTag);
    this.out('</rdf:RDF>\n');
  }
}

/** `rdf:about="…"`/`rdf:resource="…"` for an IRI, `rdf:nodeID="…"` for a blank node. */
function nodeRef(term: RDF.NamedNode | RDF.BlankNode, iriAttr: 'rdf:about' | 'rdf:resource'): string {
  return term.termType === 'BlankNode' ? `rdf:nodeID="${blankLabel(term.value)}"` : `${iriAttr}="${escapeAttr(safeIri(term.value))}"`;
}
