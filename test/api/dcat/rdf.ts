import type * as RDF from '@rdfjs/types';
import { createRequire } from 'node:module';
import jsonld from 'jsonld';
import { DataFactory, Parser as N3Parser, Store } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { RdfFormat } from '../../../src/rdf/syntax/index.js';

/**
 * Second, independent parsers for what the endpoints write: N3.js for Turtle
 * and N-Triples, rdfxml-streaming-parser for RDF/XML, jsonld.js for JSON-LD
 * (with a loader that refuses every URL: the document must carry its context).
 */

const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory;

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatde: 'http://dcat-ap.de/def/dcatde/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
};

function parseN3(text: string, format: 'Turtle' | 'N-Triples'): RDF.Quad[] {
  return new N3Parser({ format }).parse(text);
}

function parseRdfXml(text: string): Promise<RDF.Quad[]> {
  return new Promise((resolve, reject) => {
    const out: RDF.Quad[] = [];
    const p = new RdfXmlParser();
    p.on('data', (q: RDF.Quad) => out.push(q));
    p.on('error', reject);
    p.on('end', () => resolve(out));
    p.write(text);
    p.end();
  });
}

interface JTerm {
  termType: string;
  value: string;
  datatype?: { value: string };
  language?: string;
}

function term(t: JTerm): RDF.Term {
  if (t.termType === 'NamedNode') return namedNode(t.value);
  if (t.termType === 'BlankNode') return blankNode(t.value.replace(/^_:/, ''));
  if (t.termType === 'Literal') return t.language ? literal(t.value, t.language) : literal(t.value, namedNode(t.datatype?.value ?? `${NS.xsd}string`));
  return defaultGraph();
}

async function parseJsonLd(text: string): Promise<RDF.Quad[]> {
  const loader = async (url: string) => {
    throw new Error(`the document asked to load ${url}; it must not need any remote document`);
  };
  const out = (await jsonld.toRDF(JSON.parse(text) as jsonld.JsonLdDocument, { documentLoader: loader })) as unknown as { subject: JTerm; predicate: JTerm; object: JTerm }[];
  return out.map((q) => quad(term(q.subject) as RDF.Quad_Subject, term(q.predicate) as RDF.Quad_Predicate, term(q.object) as RDF.Quad_Object));
}

export async function parse(format: RdfFormat, text: string): Promise<RDF.Quad[]> {
  switch (format) {
    case 'turtle':
      return parseN3(text, 'Turtle');
    case 'ntriples':
      return parseN3(text, 'N-Triples');
    case 'rdfxml':
      return parseRdfXml(text);
    case 'jsonld':
      return parseJsonLd(text);
  }
}

export async function store(format: RdfFormat, text: string): Promise<Store> {
  return new Store(await parse(format, text));
}

/** Subjects of a type. */
export const ofType = (s: Store, type: string) => s.getSubjects(namedNode(`${NS.rdf}type`), namedNode(type), null).map((t) => t.value);
/** Values of a predicate on a subject. */
export const values = (s: Store, subject: string | RDF.Term, predicate: string) =>
  s.getObjects(typeof subject === 'string' ? namedNode(subject) : (subject as RDF.Quad_Subject), namedNode(predicate), null);

// rdf-canonize (RDFC-1.0, a dependency of jsonld) has no type declarations; this is the part used here.
interface PlainQuad {
  subject: JTerm;
  predicate: JTerm;
  object: JTerm;
  graph: JTerm;
}
const rdfCanonize = createRequire(import.meta.url)('rdf-canonize') as { canonize(d: PlainQuad[], o: { algorithm: 'RDFC-1.0' }): Promise<string> };

const plainTerm = (t: RDF.Term): JTerm =>
  t.termType === 'Literal'
    ? { termType: 'Literal', value: t.value, language: (t as RDF.Literal).language, datatype: { termType: 'NamedNode', value: (t as RDF.Literal).datatype.value } as unknown as { value: string } }
    : { termType: t.termType, value: t.value };

/** The canonical N-Quads of a graph: equal strings ⇔ isomorphic graphs. */
export function canonical(quads: Iterable<RDF.Quad>): Promise<string> {
  // A graph is a set: a publisher written with each of its datasets is one set of triples.
  const plain = new Store([...quads]).getQuads(null, null, null, null).map((q) => ({ subject: plainTerm(q.subject), predicate: plainTerm(q.predicate), object: plainTerm(q.object), graph: { termType: 'DefaultGraph', value: '' } }));
  return rdfCanonize.canonize(plain, { algorithm: 'RDFC-1.0' });
}
