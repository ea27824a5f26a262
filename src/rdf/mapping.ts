import { DataFactory } from 'n3';
import type { BlankNode, Literal, NamedNode, Quad, Quad_Object } from '@rdfjs/types';
import type { TObject, TSchema } from 'typebox';
import { Catalog, Dataset, type Catalog as CatalogDoc, type Dataset as DatasetDoc } from '../domain/model.js';
import { classesOf, NS, rdfOf, type Profile, type RdfAnnotation } from '../domain/property.js';
import { distributionStatusFor, hashAlgorithmFor } from '../domain/vocab/index.js';

/**
 * Document → RDF, driven by the `x-rdf` annotations of the model: each
 * property is written the way its declaration says, so nothing here lists
 * DCAT-AP.de properties. The profile decides the few places where
 * DCAT-AP.de 2.0 and 3.0 disagree (byteSize datatype, status and checksum
 * vocabularies, versionInfo vs. dcat:version, 3.0-only properties).
 */

const { namedNode, blankNode, literal, quad } = DataFactory;
const RDF_TYPE = namedNode(`${NS.rdf}type`);
const xsd = (t: string) => namedNode(NS.xsd + t);
const GEOJSON = namedNode('https://www.iana.org/assignments/media-types/application/vnd.geo+json');
const WKT = namedNode(`${NS.gsp}wktLiteral`);
const RDFS_LABEL = namedNode(`${NS.rdfs}label`);
const AS_WKT = namedNode(`${NS.gsp}asWKT`);
const AS_GEOJSON = namedNode(`${NS.gsp}asGeoJSON`);

export interface MappingOptions {
  profile: Profile;
  /** dcatde:contributorID for a dataset that carries none (GovData K12: every dataset has one). */
  contributorId?: string;
}

type Subject = NamedNode | BlankNode;
type Json = Record<string, unknown>;

function dateType(v: string): NamedNode {
  if (/^\d{4}$/.test(v)) return xsd('gYear');
  if (/^\d{4}-\d{2}$/.test(v)) return xsd('gYearMonth');
  return v.includes('T') ? xsd('dateTime') : xsd('date');
}

/** The object schema a node-valued property holds. */
function nodeSchema(schema: TSchema): TObject | undefined {
  const s = schema as { type?: string; items?: TSchema; anyOf?: TSchema[]; properties?: unknown };
  if (s.type === 'object' && s.properties) return schema as TObject;
  if (s.items) return nodeSchema(s.items);
  for (const alt of s.anyOf ?? []) {
    const n = nodeSchema(alt);
    if (n) return n;
  }
  return undefined;
}

/**
 * A stored document whose value does not have the JSON shape its property
 * declares (a corrupted row, a model change without migration). Writing it
 * anyway would publish a catalog that silently lacks the value; failing lets
 * the endpoint answer an error instead.
 */
export class UnmappableDocumentError extends Error {
  override readonly name = 'UnmappableDocumentError';
  constructor(
    readonly subject: string,
    readonly property: string,
    what: string,
  ) {
    super(`<${subject}> ${property}: ${what}`);
  }
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function* texts(value: unknown, fail: (what: string) => never): Generator<Quad_Object> {
  if (typeof value === 'string') return yield literal(value);
  if (Array.isArray(value)) {
    for (const v of value) yield typeof v === 'string' ? literal(v) : fail('a text list holds a non-string');
    return;
  }
  if (typeof value !== 'object' || value === null) fail(`expected a language map, found ${typeof value}`);
  for (const [lang, v] of Object.entries(value as Record<string, unknown>))
    for (const text of Array.isArray(v) ? v : [v]) {
      if (typeof text !== 'string') fail(`the "${lang}" text is not a string`);
      yield lang === '@none' ? literal(text) : literal(text, lang);
    }
}

function* literals(a: RdfAnnotation, value: unknown, profile: Profile, fail: (what: string) => never): Generator<Quad_Object> {
  if (a.kind === 'text' || a.kind === 'texts') return yield* texts(value, fail);
  const list = Array.isArray(value) ? value : [value];
  for (const raw of list) if (!isScalar(raw)) fail(`expected ${a.kind} values, found ${raw === null ? 'null' : typeof raw}`);
  const values = list.map(String);
  switch (a.kind) {
    case 'literal':
      for (const v of values) yield literal(v);
      return;
    case 'iri':
      for (let iri of values) {
        if (a.vocab === 'distributionStatus') iri = distributionStatusFor(iri, profile) ?? iri;
        if (a.vocab === 'hashAlgorithm') iri = hashAlgorithmFor(iri, profile) ?? iri;
        yield namedNode(iri);
      }
      return;
    case 'date':
      for (const v of values) yield literal(v, dateType(v));
      return;
    case 'decimal':
      for (const v of values) yield literal(v, xsd('decimal'));
      return;
    case 'integer':
      // dcat:byteSize: xsd:decimal in DCAT-AP.de 2.0, xsd:nonNegativeInteger in 3.0.
      for (const v of values) yield literal(v, xsd(profile === 'dcat-ap-de-3' ? 'nonNegativeInteger' : 'decimal'));
      return;
    case 'duration':
      for (const v of values) yield literal(v, xsd('duration'));
      return;
    case 'hex':
      for (const v of values) yield literal(v, xsd('hexBinary'));
      return;
    case 'geometry':
      for (const v of values) yield literal(v, v.trimStart().startsWith('{') ? GEOJSON : WKT);
      return;
  }
}

/**
 * One node's quads, then its children's: every subject's statements come
 * out together, so Turtle groups them, RDF/XML writes one element and
 * JSON-LD one node object per resource.
 */
function* writeNode(subject: Subject, schema: TObject, node: Json, opts: MappingOptions): Generator<Quad> {
  const classes = classesOf(schema);
  const names = Object.keys(classes);
  if (names.length) {
    const chosen = classes[(node['@type'] as string | undefined) ?? names[0]] ?? classes[names[0]];
    yield quad(subject, RDF_TYPE, namedNode(chosen));
    // The most general class too (foaf:Agent, vcard:Kind), so shapes pass without subclass reasoning.
    const general = classes[names[names.length - 1]];
    if (general !== chosen) yield quad(subject, RDF_TYPE, namedNode(general));
  }
  const children: [Subject, TObject, Json][] = [];
  const statements: [BlankNode, RdfAnnotation, unknown, (what: string) => never][] = [];
  for (const [key, prop] of Object.entries(schema.properties)) {
    const value = node[key];
    if (value === undefined || value === null) continue;
    const a = rdfOf(prop);
    if (!a) continue; // record metadata, not RDF
    if (a.profiles && !a.profiles.includes(opts.profile)) continue;
    const predicate = namedNode(opts.profile === 'dcat-ap-de-3' && a.iri3 ? a.iri3 : a.iri);
    const fail = (what: string): never => {
      throw new UnmappableDocumentError(subject.value, key, what);
    };
    if (a.kind === 'node' || a.kind === 'iriOrNode') {
      const child = nodeSchema(prop) as TObject;
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string' && a.kind === 'iriOrNode') {
          yield quad(subject, predicate, namedNode(v));
          continue;
        }
        if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`expected a node, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
        const c = v as Json;
        const object = typeof c['@id'] === 'string' ? namedNode(c['@id']) : blankNode();
        yield quad(subject, predicate, object);
        children.push([object, child, c]);
      }
      continue;
    }
    if (a.node3 && opts.profile === 'dcat-ap-de-3') {
      const holder = blankNode();
      yield quad(subject, predicate, holder);
      statements.push([holder, a, value, fail]);
      continue;
    }
    for (const object of literals(a, value, opts.profile, fail)) yield quad(subject, predicate, object);
  }
  for (const [holder, a, value, fail] of statements) {
    yield quad(holder, RDF_TYPE, namedNode(a.node3 as string));
    for (const object of literals(a, value, opts.profile, fail)) {
      // A geometry node holds its serialisation (GeoSPARQL); a statement its text.
      const p = a.kind !== 'geometry' ? RDFS_LABEL : (object as Literal).datatype.equals(GEOJSON) ? AS_GEOJSON : AS_WKT;
      yield quad(holder, p, object);
    }
  }
  for (const [object, child, c] of children) yield* writeNode(object, child, c, opts);
}

/**
 * What the catalog adds to a dataset on its way out, for GovData (not stored):
 * the political geocoding mirrored into dct:spatial (K11), and the dataset IRI
 * as dct:identifier when it has none (GovData deduplicates by it).
 */
export function exportView(doc: DatasetDoc, opts: Pick<MappingOptions, 'contributorId'> = {}): DatasetDoc {
  const spatial = [...(doc.spatial ?? [])];
  for (const uri of doc.politicalGeocodingURI ?? []) if (!spatial.includes(uri)) spatial.push(uri);
  const contributor = !doc.contributorID?.length && opts.contributorId ? { contributorID: [opts.contributorId] } : {};
  return { ...doc, ...(spatial.length ? { spatial } : {}), ...contributor, identifier: doc.identifier ?? doc['@id'] };
}

/** The RDF of the catalog node itself (its metadata and whatever `dcat:dataset` links the document holds). */
export function* catalogToQuads(doc: CatalogDoc, opts: MappingOptions): Generator<Quad> {
  yield* writeNode(doc['@id'] ? namedNode(doc['@id']) : blankNode(), Catalog, doc as Json, opts);
}

/** The RDF of one dataset document, with its distributions, agents and contact points. */
export function* datasetToQuads(doc: DatasetDoc, opts: MappingOptions): Generator<Quad> {
  const view = exportView(doc, opts);
  const subject = view['@id'] ? namedNode(view['@id']) : blankNode();
  yield* writeNode(subject, Dataset, view as Json, opts);
}
