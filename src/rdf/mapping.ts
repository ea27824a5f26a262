import type { BlankNode, Literal, NamedNode, Quad, Quad_Object } from '@rdfjs/types';
import type { TObject, TSchema } from 'typebox';
import { Catalog, Dataset, type Catalog as CatalogDoc, type Dataset as DatasetDoc } from '../domain/model.js';
import { classesOf, NS, rdfOf, type Profile, type RdfAnnotation } from '../domain/property.js';
import { distributionStatusFor, hashAlgorithmFor } from '../domain/vocab/index.js';
import { plainTerms } from './syntax/terms.js';

/**
 * Document → RDF, driven by the `x-rdf` annotations of the model: each
 * property is written the way its declaration says, so nothing here lists
 * DCAT-AP.de properties. The profile decides the few places where
 * DCAT-AP.de 2.0 and 3.0 disagree (byteSize datatype, status and checksum
 * vocabularies, versionInfo vs. dcat:version, 3.0-only properties).
 */

// Plain terms, not N3.js's: writers read every literal's parts, which N3.js re-derives from a string.
const { namedNode, blankNode, literal, quad } = plainTerms;
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

// Datatype terms are made once: every literal of a kind shares its datatype node.
const XSD_GYEAR = xsd('gYear');
const XSD_GYEARMONTH = xsd('gYearMonth');
const XSD_DATETIME = xsd('dateTime');
const XSD_DATE = xsd('date');
const XSD_DECIMAL = xsd('decimal');
const XSD_NON_NEGATIVE_INTEGER = xsd('nonNegativeInteger');
const XSD_DURATION = xsd('duration');
const XSD_HEX_BINARY = xsd('hexBinary');
const YEAR = /^\d{4}$/;
const YEAR_MONTH = /^\d{4}-\d{2}$/;

function dateType(v: string): NamedNode {
  if (YEAR.test(v)) return XSD_GYEAR;
  if (YEAR_MONTH.test(v)) return XSD_GYEARMONTH;
  return v.includes('T') ? XSD_DATETIME : XSD_DATE;
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

/**
 * One property of a node as the writer needs it, read from its annotation once
 * per schema and profile: the predicate term, the kind, the child schema. The
 * walk over a document then never looks at the schema again.
 */
interface PropertyPlan {
  key: string;
  a: RdfAnnotation;
  predicate: NamedNode;
  /** Datatype of every literal of this property, when it does not depend on the value. */
  datatype?: NamedNode;
  /** node/iriOrNode: the schema of the nested resource. */
  child?: TObject;
  /** DCAT-AP 3.0 holder class (node3), when the profile writes one. */
  holderClass?: NamedNode;
}

interface NodePlan {
  /** JSON @type name → class term; `fallback` when the node names none or an unknown one. */
  classes: Map<string, NamedNode>;
  fallback?: NamedNode;
  /** The most general class, written too when it differs from the chosen one. */
  general?: NamedNode;
  properties: PropertyPlan[];
}

const plans: Record<Profile, WeakMap<TObject, NodePlan>> = { 'dcat-ap-de-2': new WeakMap(), 'dcat-ap-de-3': new WeakMap() };

function fixedDatatype(a: RdfAnnotation, profile: Profile): NamedNode | undefined {
  switch (a.kind) {
    case 'decimal':
      return XSD_DECIMAL;
    case 'integer':
      // dcat:byteSize: xsd:decimal in DCAT-AP.de 2.0, xsd:nonNegativeInteger in 3.0.
      return profile === 'dcat-ap-de-3' ? XSD_NON_NEGATIVE_INTEGER : XSD_DECIMAL;
    case 'duration':
      return XSD_DURATION;
    case 'hex':
      return XSD_HEX_BINARY;
    default:
      return undefined;
  }
}

function planOf(schema: TObject, profile: Profile): NodePlan {
  let plan = plans[profile].get(schema);
  if (plan) return plan;
  const classes = classesOf(schema);
  const names = Object.keys(classes);
  const terms = new Map(names.map((n) => [n, namedNode(classes[n])]));
  const properties: PropertyPlan[] = [];
  for (const [key, prop] of Object.entries(schema.properties)) {
    const a = rdfOf(prop);
    if (!a) continue; // record metadata, not RDF
    if (a.profiles && !a.profiles.includes(profile)) continue;
    const p: PropertyPlan = { key, a, predicate: namedNode(profile === 'dcat-ap-de-3' && a.iri3 ? a.iri3 : a.iri) };
    const datatype = fixedDatatype(a, profile);
    if (datatype) p.datatype = datatype;
    if (a.kind === 'node' || a.kind === 'iriOrNode') p.child = nodeSchema(prop) as TObject;
    else if (a.node3 && profile === 'dcat-ap-de-3') p.holderClass = namedNode(a.node3);
    properties.push(p);
  }
  plan = { classes: terms, properties };
  if (names.length) {
    plan.fallback = terms.get(names[0]);
    plan.general = terms.get(names[names.length - 1]);
  }
  plans[profile].set(schema, plan);
  return plan;
}

function unmappable(subject: Subject, key: string, what: string): never {
  throw new UnmappableDocumentError(subject.value, key, what);
}

function texts(value: unknown, subject: Subject, key: string, out: Quad_Object[]): void {
  if (typeof value === 'string') {
    out.push(literal(value));
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) out.push(typeof v === 'string' ? literal(v) : unmappable(subject, key, 'a text list holds a non-string'));
    return;
  }
  if (typeof value !== 'object' || value === null) unmappable(subject, key, `expected a language map, found ${typeof value}`);
  for (const lang in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[lang];
    for (const text of Array.isArray(v) ? v : [v]) {
      if (typeof text !== 'string') unmappable(subject, key, `the "${lang}" text is not a string`);
      out.push(lang === '@none' ? literal(text) : literal(text, lang));
    }
  }
}

/** The literal (or IRI) objects of a property's value, appended to `out`. */
function literals(p: PropertyPlan, value: unknown, profile: Profile, subject: Subject, out: Quad_Object[]): void {
  const a = p.a;
  if (a.kind === 'text' || a.kind === 'texts') return texts(value, subject, p.key, out);
  const list = Array.isArray(value) ? value : [value];
  for (const raw of list) if (!isScalar(raw)) unmappable(subject, p.key, `expected ${a.kind} values, found ${raw === null ? 'null' : typeof raw}`);
  for (const raw of list) {
    const v = String(raw);
    switch (a.kind) {
      case 'literal':
        out.push(literal(v));
        break;
      case 'iri': {
        let iri = v;
        if (a.vocab === 'distributionStatus') iri = distributionStatusFor(iri, profile) ?? iri;
        if (a.vocab === 'hashAlgorithm') iri = hashAlgorithmFor(iri, profile) ?? iri;
        out.push(namedNode(iri));
        break;
      }
      case 'date':
        out.push(literal(v, dateType(v)));
        break;
      case 'geometry':
        out.push(literal(v, v.trimStart().startsWith('{') ? GEOJSON : WKT));
        break;
      default:
        out.push(literal(v, p.datatype));
    }
  }
}

interface Pending {
  holder: BlankNode;
  plan: PropertyPlan;
  value: unknown;
}

/**
 * One node's quads, then its children's, appended to `out`: every subject's
 * statements come out together, so Turtle groups them, RDF/XML writes one
 * element and JSON-LD one node object per resource.
 */
function writeNode(subject: Subject, schema: TObject, node: Json, profile: Profile, out: Quad[]): void {
  const plan = planOf(schema, profile);
  if (plan.fallback) {
    const type = node['@type'];
    const chosen = (typeof type === 'string' ? plan.classes.get(type) : undefined) ?? plan.fallback;
    out.push(quad(subject, RDF_TYPE, chosen));
    // The most general class too (foaf:Agent, vcard:Kind), so shapes pass without subclass reasoning.
    if (plan.general && plan.general.value !== chosen.value) out.push(quad(subject, RDF_TYPE, plan.general));
  }
  let children: [Subject, TObject, Json][] | undefined;
  let statements: Pending[] | undefined;
  const objects: Quad_Object[] = [];
  for (const p of plan.properties) {
    const value = node[p.key];
    if (value === undefined || value === null) continue;
    const predicate = p.predicate;
    if (p.child) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string' && p.a.kind === 'iriOrNode') {
          out.push(quad(subject, predicate, namedNode(v)));
          continue;
        }
        if (typeof v !== 'object' || v === null || Array.isArray(v)) unmappable(subject, p.key, `expected a node, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
        const c = v as Json;
        const object = typeof c['@id'] === 'string' ? namedNode(c['@id']) : blankNode();
        out.push(quad(subject, predicate, object));
        (children ??= []).push([object, p.child, c]);
      }
      continue;
    }
    if (p.holderClass) {
      const holder = blankNode();
      out.push(quad(subject, predicate, holder));
      (statements ??= []).push({ holder, plan: p, value });
      continue;
    }
    objects.length = 0;
    literals(p, value, profile, subject, objects);
    for (const object of objects) out.push(quad(subject, predicate, object));
  }
  for (const { holder, plan: p, value } of statements ?? []) {
    out.push(quad(holder, RDF_TYPE, p.holderClass as NamedNode));
    objects.length = 0;
    literals(p, value, profile, holder, objects);
    for (const object of objects) {
      // A geometry node holds its serialisation (GeoSPARQL); a statement its text.
      const predicate = p.a.kind !== 'geometry' ? RDFS_LABEL : (object as Literal).datatype.equals(GEOJSON) ? AS_GEOJSON : AS_WKT;
      out.push(quad(holder, predicate, object));
    }
  }
  for (const [object, child, c] of children ?? []) writeNode(object, child, c, profile, out);
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
  const out: Quad[] = [];
  writeNode(doc['@id'] ? namedNode(doc['@id']) : blankNode(), Catalog, doc as Json, opts.profile, out);
  yield* out;
}

/**
 * The series of a dataset, those the document describes already (`described`,
 * IRIs) as links only. Datasets of one series each carry its description; written
 * once per document, its blank nodes (a harvested series' publisher, contact
 * point) are not repeated, which would give the series several publishers where
 * the 3.0 shapes allow one. The first dataset's description is the one written.
 */
function linkDescribedSeries(series: NonNullable<DatasetDoc['inSeries']>, described: Set<string>): NonNullable<DatasetDoc['inSeries']> {
  return series.map((s) => {
    if (typeof s === 'string' || typeof s['@id'] !== 'string') return s;
    if (described.has(s['@id'])) return s['@id'];
    described.add(s['@id']);
    return s;
  });
}

/**
 * The RDF of one dataset document, with its distributions, agents and contact
 * points, as one array (a dataset is a few dozen quads): the catalog export
 * hands it to the writer in one piece instead of quad by quad. `describedSeries`
 * is shared by the datasets of one document (see linkDescribedSeries).
 */
export function datasetQuads(doc: DatasetDoc, opts: MappingOptions, describedSeries?: Set<string>): Quad[] {
  const view = exportView(doc, opts);
  if (describedSeries && view.inSeries) view.inSeries = linkDescribedSeries(view.inSeries, describedSeries);
  const out: Quad[] = [];
  writeNode(view['@id'] ? namedNode(view['@id']) : blankNode(), Dataset, view as Json, opts.profile, out);
  return out;
}

/** The RDF of one dataset document, with its distributions, agents and contact points. */
export function* datasetToQuads(doc: DatasetDoc, opts: MappingOptions): Generator<Quad> {
  yield* datasetQuads(doc, opts);
}
