import { Type, type TSchema, type TObject, type TProperties } from 'typebox';

/**
 * Property builders for the DCAT-AP.de model. Each builder returns an ordinary
 * TypeBox schema (so request validation, static types and OpenAPI come from
 * it) annotated with `x-rdf`: the property's IRI and how its JSON value maps to
 * RDF. The RDF writer, the RDF reader and the JSON-LD context are all derived
 * from these annotations, so a property is declared exactly once.
 */

export type RdfKind =
  | 'text' // language map {de: "..", en: ".."}; "@none" holds untagged literals
  | 'texts' // language map of arrays (dcat:keyword)
  | 'literal' // plain untagged string
  | 'iri'
  | 'date' // xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth, chosen by lexical form
  | 'decimal'
  | 'integer'
  | 'duration'
  | 'hex'
  | 'geometry' // WKT or GeoJSON literal, datatype chosen by content
  | 'node' // nested resource (blank node unless it carries @id)
  | 'iriOrNode'; // an IRI, or a nested resource

export interface RdfAnnotation {
  iri: string;
  kind: RdfKind;
  many: boolean;
  /** Name of the controlled vocabulary the IRI values must come from. */
  vocab?: string;
  /** Only written for these profiles (2.0 or 3.0); both when absent. */
  profiles?: readonly Profile[];
  /** Deprecated in DCAT-AP.de 3.0 (still written for GovData's 2.0 import). */
  deprecated?: boolean;
  /** Other predicates accepted on input for this property (legacy namespaces). */
  aliases?: readonly string[];
  /** The predicate DCAT-AP.de 3.0 uses instead (owl:versionInfo → dcat:version). */
  iri3?: string;
  /**
   * DCAT-AP 3.0 wants a resource of this class where 2.0 takes the literal
   * (dct:provenance → dct:ProvenanceStatement, locn:geometry → locn:Geometry):
   * in 3.0 the value is written as a blank node of the class holding it.
   */
  node3?: string;
}

export type Profile = 'dcat-ap-de-2' | 'dcat-ap-de-3';

export const NS = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatde: 'http://dcat-ap.de/def/dcatde/',
  dcatap: 'http://data.europa.eu/r5r/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
  locn: 'http://www.w3.org/ns/locn#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  odrl: 'http://www.w3.org/ns/odrl/2/',
  prov: 'http://www.w3.org/ns/prov#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  geodcatap: 'http://data.europa.eu/930/',
} as const;

/** Expands "dct:title" to the full IRI. */
export function iri(curie: string): string {
  const i = curie.indexOf(':');
  const ns = NS[curie.slice(0, i) as keyof typeof NS];
  if (!ns) throw new Error(`unknown prefix in ${curie}`);
  return ns + curie.slice(i + 1);
}

const LANG_KEY = '^(@none|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*)$';
export const IRI_PATTERN = '^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s<>"{}|\\\\^`]*$';
const DATE_PATTERN = '^\\d{4}(-\\d{2}(-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?)?)?$';

export const Iri = Type.String({ pattern: IRI_PATTERN, maxLength: 4096, description: 'An absolute IRI' });
export const LangMap = Type.Record(Type.String({ pattern: LANG_KEY }), Type.String({ maxLength: 100_000 }), { additionalProperties: false });
/** A plain string is taken as text in the catalog's language. */
export const LangText = Type.Union([Type.String({ maxLength: 100_000 }), LangMap]);
export const LangTexts = Type.Union([
  Type.Array(Type.String({ maxLength: 1000 })),
  Type.Record(Type.String({ pattern: LANG_KEY }), Type.Array(Type.String({ maxLength: 1000 })), { additionalProperties: false }),
]);
export const DateValue = Type.String({ pattern: DATE_PATTERN, description: 'xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth' });

type Opts = Omit<RdfAnnotation, 'iri' | 'kind' | 'many'> & { description?: string };

function annotate<T extends TSchema>(schema: T, curie: string, kind: RdfKind, many: boolean, opts: Opts = {}): T {
  const { description, ...rest } = opts;
  const rdf: RdfAnnotation = { iri: iri(curie), kind, many, ...rest, ...(rest.iri3 ? { iri3: iri(rest.iri3) } : {}), ...(rest.node3 ? { node3: iri(rest.node3) } : {}) };
  return Object.assign(schema, { 'x-rdf': rdf }, description ? { description } : {});
}

export const P = {
  text: (curie: string, o?: Opts) => annotate(Type.Optional(LangText), curie, 'text', false, o),
  texts: (curie: string, o?: Opts) => annotate(Type.Optional(LangTexts), curie, 'texts', true, o),
  literal: (curie: string, o?: Opts) => annotate(Type.Optional(Type.String({ maxLength: 100_000 })), curie, 'literal', false, o),
  literals: (curie: string, o?: Opts) => annotate(Type.Optional(Type.Array(Type.String({ maxLength: 100_000 }))), curie, 'literal', true, o),
  iri: (curie: string, o?: Opts) => annotate(Type.Optional(Iri), curie, 'iri', false, o),
  iris: (curie: string, o?: Opts) => annotate(Type.Optional(Type.Array(Iri)), curie, 'iri', true, o),
  date: (curie: string, o?: Opts) => annotate(Type.Optional(DateValue), curie, 'date', false, o),
  decimal: (curie: string, o?: Opts) => annotate(Type.Optional(Type.Number()), curie, 'decimal', false, o),
  integer: (curie: string, o?: Opts) => annotate(Type.Optional(Type.Integer({ minimum: 0 })), curie, 'integer', false, o),
  duration: (curie: string, o?: Opts) =>
    annotate(Type.Optional(Type.String({ pattern: '^-?P(\\d+Y)?(\\d+M)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$' })), curie, 'duration', false, o),
  hex: (curie: string, o?: Opts) => annotate(Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]*$' })), curie, 'hex', false, o),
  geometry: (curie: string, o?: Opts) => annotate(Type.Optional(Type.String({ maxLength: 1_000_000 })), curie, 'geometry', false, o),
  node: <T extends TObject>(curie: string, schema: T, o?: Opts) => annotate(Type.Optional(schema), curie, 'node', false, o),
  nodes: <T extends TObject>(curie: string, schema: T, o?: Opts) => annotate(Type.Optional(Type.Array(schema)), curie, 'node', true, o),
  iriOrNodes: <T extends TObject>(curie: string, schema: T, o?: Opts) =>
    annotate(Type.Optional(Type.Array(Type.Union([Iri, schema]))), curie, 'iriOrNode', true, o),
};

/**
 * A resource class: `types` maps the JSON `@type` names to class CURIEs; the
 * first is the default class written when a node carries no `@type`.
 */
export function resource<T extends TProperties>(types: Record<string, string>, properties: T, description: string) {
  const names = Object.keys(types);
  const classes = Object.fromEntries(names.map((n) => [n, iri(types[n])]));
  return Type.Object(
    {
      '@id': Type.Optional(Iri),
      '@type': Type.Optional(Type.String({ enum: names })),
      ...properties,
    },
    { additionalProperties: false, description, 'x-rdf-classes': classes },
  );
}

/** The classes of a resource schema, default first. */
export function classesOf(schema: TSchema): Record<string, string> {
  return (schema as { 'x-rdf-classes'?: Record<string, string> })['x-rdf-classes'] ?? {};
}

/** Reads the annotation back (the mapping layer walks schemas with it). */
export function rdfOf(schema: TSchema): RdfAnnotation | undefined {
  return (schema as { 'x-rdf'?: RdfAnnotation })['x-rdf'];
}
