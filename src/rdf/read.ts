import type { BlankNode, NamedNode, Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import type { Static, TObject, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { nodeSchemaOf } from '../catalog/normalize.js';
import { resolveVocab } from '../catalog/vocab.js';
import { Dataset, type Dataset as DatasetDoc } from '../domain/model.js';
import { IANA, LICENSES, resolveFormat } from '../domain/vocab/index.js';
import { classesOf, IRI_PATTERN, NS, rdfOf, type RdfAnnotation } from '../domain/property.js';
import type { Problem } from '../errors.js';

/**
 * RDF → document, the reverse of mapping.ts and driven by the same `x-rdf`
 * annotations: a node's predicates are looked up in its schema, and each
 * value is read the way the property's kind says. What real catalogs do
 * differently (DCAT-AP.de 1.0 namespaces and licence IRIs, literals where
 * IRIs belong, vCard variants) is repaired here; a value that cannot be
 * mapped is dropped and reported as a problem, and unknown predicates are
 * ignored. The walk is bounded (depth, node budget, no node inside itself),
 * so no graph can make it loop or explode.
 */

export interface ReadOptions {
  /** Language of untagged literals in text properties: the catalog's language ('@none' keeps them untagged). Default 'de'. */
  language?: string;
  /** Controlled-vocabulary IRIs that are not in the vocabulary: kept for validation to report (default), or dropped with a problem. */
  unknownVocabulary?: 'keep' | 'drop';
  /** Undo what the catalog's export view adds (geocoding URIs mirrored into dct:spatial, dct:identifier = the IRI). Default true. */
  undoExportView?: boolean;
  /** Maximum nesting of nodes below the dataset (default 8). */
  maxDepth?: number;
  /** Maximum number of nodes read for one dataset (default 5,000). */
  maxNodes?: number;
}

export interface ReadResult {
  /** The dataset as the REST API accepts it; '@id' is the dataset's IRI (absent for a blank node). */
  doc: DatasetDoc;
  /** Values that could not be mapped and were dropped, with the JSON pointer they would have had. */
  problems: Problem[];
}

type Resource = NamedNode | BlankNode;

const { namedNode, blankNode } = DataFactory;
type Json = Record<string, unknown>;

const RDF_TYPE = `${NS.rdf}type`;
const RDF_FIRST = `${NS.rdf}first`;
const RDF_REST = `${NS.rdf}rest`;
const RDF_NIL = `${NS.rdf}nil`;
const DCAT_DATASET = `${NS.dcat}Dataset`;
const IRI_RE = new RegExp(IRI_PATTERN);
const EMAIL_RE = /^[^\s@:/]+@[^\s@/]+\.[^\s@/]+$/;
const PHONE_RE = /^\+?[\d\s()./-]{5,}$/;
/** Older dcatde namespaces seen in real catalogs (1.0 with and without the slash that an RDF/XML writer lost, 1.0.1, 1.1), also as https://www. */
const LEGACY_DCATDE = /^https?:\/\/(www\.)?dcat-ap\.de\/def\/dcatde\/(1_0\/?|1\.0\/|1\.0\.1\/|1\.1\/)?/;
/** Where a value sits when a node stands in for it (vCard telephone nodes, DCAT-AP 1.1 IMT format nodes). */
const VALUE_PREDICATES = [`${NS.rdf}value`, `${NS.vcard}hasValue`];
const LABEL_PREDICATES = [`${NS.skos}notation`, `${NS.rdfs}label`, `${NS.skos}prefLabel`];

/**
 * Literals that real catalogs give where the model has a node, by the node's
 * most general class: the property the literal stands for
 * (adms:identifier "…" is a notation, dct:publisher "…" a name).
 */
const LITERAL_STANDS_FOR: Record<string, string> = {
  [`${NS.adms}Identifier`]: 'notation',
  [`${NS.foaf}Agent`]: 'name',
};
/**
 * Nodes that real catalogs flatten into their parent, by the parent's most
 * general class: ckanext-dcatde writes the address on the contact point.
 */
const FLATTENED: Record<string, string> = {
  [`${NS.vcard}Kind`]: 'hasAddress',
};
/**
 * Where a DCAT-AP 3.0 holder node (the `node3` class of a property:
 * dct:RightsStatement, locn:Geometry) keeps the value, by the property's kind:
 * a geometry its GeoSPARQL serialisation, a statement its text.
 */
const GEOMETRY_VALUE_PREDICATES = [`${NS.gsp}asWKT`, `${NS.gsp}asGeoJSON`];
const STATEMENT_VALUE_PREDICATES = [`${NS.rdfs}label`];
/** What a node standing in for a date holds (time:Instant as DCAT-AP allows for time:hasBeginning / time:hasEnd). */
const TIME = 'http://www.w3.org/2006/time#';
const DATE_VALUE_PREDICATES = [`${TIME}inXSDDate`, `${TIME}inXSDDateTime`, `${TIME}inXSDDateTimeStamp`, `${TIME}inXSDgYear`, `${TIME}inXSDgYearMonth`];

/** A licence named by the URL of its text (https://creativecommons.org/licenses/by/4.0/): scheme, www. and trailing slash do not matter. */
const urlKey = (url: string) => url.trim().toLowerCase().replace(/^https?:\/\/(www\.)?/, '').replace(/\/+$/, '');
const LICENCE_BY_URL = new Map(LICENSES.filter((l) => l.url).map((l) => [urlKey(l.url as string), l.iri]));

/** IRIs of other vocabularies for the same concepts: the code they end in is looked up in ours. */
const FOREIGN_CODES: Record<string, RegExp> = {
  language: /^https?:\/\/(?:id\.loc\.gov\/vocabulary\/iso639-[12]|lexvo\.org\/id\/iso639-[13])\/([a-z]{2,3})$/,
  // CKAN's licence ids as Open Definition IRIs (ckanext-dcat writes them).
  license: /^https?:\/\/(?:www\.)?opendefinition\.org\/licenses\/([\w.-]+)\/?$/,
};
/** Properties whose values are IANA media types; real catalogs write "text/csv" or "CSV" as literals. */
const MEDIA_TYPE_PREDICATES = new Set([`${NS.dcat}mediaType`, `${NS.dcat}compressFormat`, `${NS.dcat}packageFormat`]);

/** The last (most general) class of a resource schema: foaf:Agent, vcard:Kind. */
function generalClass(schema: TObject): string {
  const classes = Object.values(classesOf(schema));
  return classes[classes.length - 1];
}

const termKey = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
const isResource = (t: Term): t is Resource => t.termType === 'NamedNode' || t.termType === 'BlankNode';

function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(NS)) if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  return `<${iri}>`;
}

/** A term for a message, shortened: a hostile value must not make the report as large as itself. */
function show(t: Term): string {
  const cut = (v: string, n: number) => (v.length > n ? `${v.slice(0, n - 3)}...` : v);
  if (t.termType === 'Literal') return JSON.stringify(cut(t.value, 80));
  return t.termType === 'BlankNode' ? 'a blank node' : `<${cut(t.value, 200)}>`;
}

/** The predicate in the current dcatde namespace when it is in an older one. */
function currentPredicate(iri: string): string {
  const m = LEGACY_DCATDE.exec(iri);
  return m ? NS.dcatde + iri.slice(m[0].length) : iri;
}

/**
 * The quads of a graph grouped by subject, built once so that reading many
 * datasets of one catalog costs one pass. Graph names are ignored.
 */
export class QuadGraph {
  private readonly bySubject = new Map<string, Quad[]>();
  private readonly typed = new Map<string, Map<string, Resource>>();

  constructor(quads: Iterable<Quad>) {
    for (const q of quads) {
      if (!isResource(q.subject)) continue;
      const key = termKey(q.subject);
      let list = this.bySubject.get(key);
      if (!list) this.bySubject.set(key, (list = []));
      list.push(q);
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
        let subjects = this.typed.get(q.object.value);
        if (!subjects) this.typed.set(q.object.value, (subjects = new Map()));
        if (!subjects.has(key)) subjects.set(key, q.subject);
      }
    }
  }

  /** Every quad whose subject is the term. */
  about(term: Term): readonly Quad[] {
    return this.bySubject.get(termKey(term)) ?? [];
  }

  /** Subjects typed with the class, in document order. */
  instancesOf(classIri: string): readonly Resource[] {
    return [...(this.typed.get(classIri)?.values() ?? [])];
  }

  /** The objects of one predicate of a subject. */
  objects(subject: Term, predicate: string): Term[] {
    return this.about(subject)
      .filter((q) => q.predicate.value === predicate)
      .map((q) => q.object);
  }
}

interface Entry {
  key: string;
  a: RdfAnnotation;
  prop: TSchema;
}

const tables = new WeakMap<TObject, Map<string, Entry>>();

/** Predicate IRI → property of a schema, from its annotations (own IRI, 3.0 IRI, aliases). */
function predicateTable(schema: TObject): Map<string, Entry> {
  let table = tables.get(schema);
  if (table) return table;
  table = new Map();
  for (const [key, prop] of Object.entries(schema.properties)) {
    const a = rdfOf(prop);
    if (!a) continue;
    for (const iri of [a.iri, a.iri3]) if (iri) table.set(iri, { key, a, prop });
    for (const alias of a.aliases ?? []) {
      table.set(alias, { key, a, prop });
      // A 1.0 name (geocodingText) may come in any of the older namespaces.
      const current = currentPredicate(alias);
      if (!table.has(current)) table.set(current, { key, a, prop });
    }
  }
  tables.set(schema, table);
  return table;
}

interface Walk {
  graph: QuadGraph;
  language: string;
  dropUnknown: boolean;
  maxDepth: number;
  maxNodes: number;
  nodes: number;
  budgetReported: boolean;
  /** Nodes (with the class they are read as) on the path from the dataset to here: a node never contains itself. */
  ancestors: Set<string>;
  problems: Problem[];
}

function problem(w: Walk, path: string, key: string, message: string): void {
  w.problems.push({ path: path || '/', key: `rdf.${key}`, message });
}

/** The '@type' name of a node: the most specific of the schema's classes the node has. */
function typeName(schema: TObject, quads: readonly Quad[]): string | undefined {
  const classes = classesOf(schema);
  const types = new Set(quads.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value));
  return Object.keys(classes).find((name) => types.has(classes[name]));
}

/** Members of an rdf:List (bounded, cycle-safe): the model has no lists, so a list stands for its members. */
function listMembers(w: Walk, head: Term): Term[] | undefined {
  if (head.termType !== 'BlankNode' || !w.graph.objects(head, RDF_FIRST).length) return undefined;
  const out: Term[] = [];
  const seen = new Set<string>();
  let cell: Term | undefined = head;
  while (cell && cell.termType === 'BlankNode' && !seen.has(cell.value) && out.length < 10_000) {
    seen.add(cell.value);
    out.push(...w.graph.objects(cell, RDF_FIRST));
    cell = w.graph.objects(cell, RDF_REST)[0];
  }
  return out;
}

/** Object terms of a property, lists flattened, duplicates removed. */
function distinct(w: Walk, objects: Term[]): Term[] {
  // Most properties have one value: nothing to compare it with.
  if (objects.length === 1 && !(objects[0].termType === 'NamedNode' && objects[0].value === RDF_NIL) && !listMembers(w, objects[0])) return objects;
  const out: Term[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    for (const t of listMembers(w, o) ?? [o]) {
      if (t.termType === 'NamedNode' && t.value === RDF_NIL) continue;
      const k = t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : termKey(t);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  }
  return out;
}

/** The vocabulary's IRI for an IRI: itself, an alias, the https://www. variant of dcat-ap.de, or another vocabulary's code. */
function resolveVocabIri(vocab: string, iri: string): string | undefined {
  const code = FOREIGN_CODES[vocab]?.exec(iri)?.[1];
  return (
    resolveVocab(vocab, iri) ??
    resolveVocab(vocab, iri.replace(/^https?:\/\/www\.dcat-ap\.de\//, 'http://dcat-ap.de/')) ??
    (code ? resolveVocab(vocab, code) : undefined) ??
    (vocab === 'license' ? LICENCE_BY_URL.get(urlKey(iri)) : undefined)
  );
}

/** Characters an IRI may not hold (whitespace among them): a test, and all of them for replacing. */
const NOT_IN_IRI = /[\s<>"{}|\\^`]/;
const ALL_NOT_IN_IRI = new RegExp(NOT_IN_IRI.source, 'g');

/** An IRI as the schema accepts it: spaces dropped from tel: IRIs, other forbidden characters percent-encoded. */
function repairIri(value: string): string {
  // Nearly every IRI needs nothing: no copies for them.
  if (!NOT_IN_IRI.test(value)) return value;
  const v = value.trim();
  if (/^tel:/i.test(v)) return v.replace(/\s+/g, '');
  return v.replace(ALL_NOT_IN_IRI, (c) => encodeURIComponent(c));
}

/** An IRI written as a literal: an absolute IRI, an e-mail address (mailto:) or a telephone number (tel:). */
function iriFromText(text: string): string | undefined {
  const v = text.trim().replace(/^<(.*)>$/, '$1');
  if (EMAIL_RE.test(v)) return `mailto:${v}`;
  if (PHONE_RE.test(v) && /\d{5}/.test(v.replace(/\D/g, ''))) return `tel:${v.replace(/[\s()./]/g, '')}`;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\S/.test(v)) {
    const iri = repairIri(v);
    if (IRI_RE.test(iri)) return iri;
  }
  return undefined;
}

/** The IRI value of one object of an IRI-valued property, or why there is none. */
function readIri(w: Walk, a: RdfAnnotation, o: Term, depth = 0): string | { error: string } {
  const vocab = a.vocab;
  if (o.termType === 'NamedNode') {
    const iri = repairIri(o.value);
    if (!vocab) return IRI_RE.test(iri) ? iri : { error: `${show(o)} is not a valid IRI` };
    const known = resolveVocabIri(vocab, iri);
    if (known) return known;
    if (w.dropUnknown) return { error: `${show(o)} is not in the vocabulary ${vocab}` };
    return iri;
  }
  if (o.termType === 'Literal') {
    if (MEDIA_TYPE_PREDICATES.has(a.iri)) {
      const text = o.value.trim();
      const type = /^[\w.+-]+\/[\w.+-]+$/.test(text) ? text.toLowerCase() : resolveFormat(text)?.mediaTypes[0];
      if (type) return IANA + type;
    }
    if (vocab) {
      const known = resolveVocab(vocab, o.value);
      if (known) return known;
    }
    const iri = iriFromText(o.value);
    const known = iri && vocab ? resolveVocabIri(vocab, iri) : undefined;
    if (known) return known;
    if (iri && (!vocab || !w.dropUnknown)) return iri;
    return { error: `the literal ${show(o)} is not ${vocab ? `in the vocabulary ${vocab}` : 'an IRI'}` };
  }
  if (o.termType === 'BlankNode' && depth < 2) {
    // A node standing in for the value: vcard:hasTelephone [ vcard:hasValue <tel:…> ], dct:format [ rdf:value "text/csv" ].
    const candidates = [...VALUE_PREDICATES, ...(vocab ? LABEL_PREDICATES : [])].flatMap((p) => w.graph.objects(o, p));
    for (const c of candidates) {
      const v = readIri(w, a, c, depth + 1);
      if (typeof v === 'string') return v;
    }
  }
  return { error: `${show(o)} is not an IRI` };
}

/** Lexical form of a date, repaired where the intent is clear ("2020-01-01 10:00", "31.12.2020", "+0100"). */
function repairDate(text: string): string {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const v = german ? `${german[3]}-${german[2].padStart(2, '0')}-${german[1].padStart(2, '0')}` : text;
  return v.replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/, '$1T$2').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

const WHAT: Partial<Record<RdfAnnotation['kind'], string>> = {
  date: 'a date (xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth)',
  decimal: 'a number',
  integer: 'a non-negative integer',
  duration: 'an xsd:duration',
  hex: 'hexadecimal',
  geometry: 'a geometry',
  literal: 'a literal',
};

/** The schema one value of a property must satisfy (the items of an array property). */
const validators = new WeakMap<TSchema, Validator>();
function validatorOf(prop: TSchema): Validator {
  let v = validators.get(prop);
  if (!v) {
    const { items } = prop as { items?: TSchema };
    validators.set(prop, (v = Compile(items ?? prop)));
  }
  return v;
}

/** The date a time:Instant holds, or the term itself. */
function dateOfInstant(w: Walk, o: Term): Term {
  if (!isResource(o)) return o;
  return DATE_VALUE_PREDICATES.flatMap((p) => w.graph.objects(o, p))[0] ?? o;
}

/** One value of a literal-kind property, checked against the property's own schema, or why it cannot be read. */
function readScalar(a: RdfAnnotation, prop: TSchema, o: Term): unknown {
  const what = WHAT[a.kind] ?? a.kind;
  if (o.termType === 'BlankNode' || (o.termType === 'NamedNode' && a.kind !== 'literal')) return { error: `${show(o)} is not ${what}` };
  const text = a.kind === 'literal' ? o.value : o.value.trim();
  let value: unknown = text;
  if (a.kind === 'date') value = repairDate(text);
  // dcat:byteSize: xsd:decimal "685246.0" in 2.0, xsd:nonNegativeInteger in 3.0; both are read as the number.
  else if (a.kind === 'decimal' || a.kind === 'integer') value = text === '' ? NaN : Number(text);
  if (typeof value === 'number' && !Number.isFinite(value)) return { error: `${show(o)} is not ${what}` };
  if (a.kind === 'geometry' && text === '') return { error: 'an empty geometry' };
  return validatorOf(prop).Check(value) ? value : { error: `${show(o)} is not ${what}` };
}

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

/** Keeps the first of several values of a single-valued property, saying so. */
function single<T>(w: Walk, path: string, a: RdfAnnotation, values: T[]): T | undefined {
  if (values.length > 1) problem(w, path, 'single', `${compact(a.iri)} has ${values.length} values where one is allowed; the first was kept`);
  return values[0];
}

function readText(w: Walk, path: string, a: RdfAnnotation, prop: TSchema, objects: Term[]): unknown {
  const map: Record<string, string | string[]> = {};
  for (const o of objects) {
    if (o.termType !== 'Literal') {
      problem(w, path, 'literal', `${compact(a.iri)}: ${show(o)} is not a text`);
      continue;
    }
    const lang = o.language || w.language;
    // Language tag and length as the schema allows them (a text of 100,000 characters, a keyword of 1,000).
    if (!validatorOf(prop).Check({ [lang]: a.kind === 'texts' ? [o.value] : o.value })) {
      problem(w, path, 'text', `${compact(a.iri)}: the text ${show(o)} (${o.value.length} characters, language "${lang}") does not fit the schema; dropped`);
      continue;
    }
    if (a.kind === 'texts') {
      const list = (map[lang] ??= []) as string[];
      if (!list.includes(o.value)) list.push(o.value);
    } else if (lang in map) {
      problem(w, `${path}/${lang}`, 'single', `${compact(a.iri)} has more than one text in language "${lang}"; the first was kept`);
    } else map[lang] = o.value;
  }
  return Object.keys(map).length ? map : undefined;
}

/**
 * The values behind the holder nodes of a `node3` property (3.0 writes
 * dct:provenance [ a dct:ProvenanceStatement ; rdfs:label "…" ]); literals
 * (2.0, real catalogs) pass as they are, and a node holding nothing stays
 * for the reader of the kind to report.
 */
function holderValues(w: Walk, a: RdfAnnotation, objects: Term[]): Term[] {
  const predicates = a.kind === 'geometry' ? GEOMETRY_VALUE_PREDICATES : STATEMENT_VALUE_PREDICATES;
  return distinct(
    w,
    objects.flatMap((o) => {
      const held = isResource(o) ? predicates.flatMap((p) => w.graph.objects(o, p)) : [];
      return held.length ? held : [o];
    }),
  );
}

function readProperty(w: Walk, path: string, a: RdfAnnotation, prop: TSchema, given: Term[], depth: number): unknown {
  const objects = a.node3 ? holderValues(w, a, given) : given;
  switch (a.kind) {
    case 'text':
    case 'texts':
      return readText(w, path, a, prop, objects);
    case 'node':
    case 'iriOrNode': {
      const child = nodeSchemaOf(prop);
      if (!child) return undefined;
      const values: unknown[] = [];
      // Below the dataset, equal blank nodes are one value: a shared resource that several
      // datasets of a page describe inline (a series, a data service) repeats its blank children.
      const seen = depth > 0 && objects.length > 1 ? new Set<string>() : undefined;
      for (const o of objects) {
        const at = a.many ? `${path}/${values.length}` : path;
        const v = readChild(w, at, a, child, o, depth);
        if (v === undefined) continue;
        if (seen && o.termType === 'BlankNode') {
          const k = JSON.stringify(v);
          if (seen.has(k)) continue;
          seen.add(k);
        }
        values.push(v);
      }
      return a.many ? (values.length ? values : undefined) : single(w, path, a, values);
    }
    default: {
      const values: unknown[] = [];
      for (const o of objects) {
        let v = a.kind === 'iri' ? readIri(w, a, o) : readScalar(a, prop, a.kind === 'date' ? dateOfInstant(w, o) : o);
        if (typeof v === 'string' && a.kind === 'iri' && !validatorOf(prop).Check(v)) v = { error: `${show(o)} is not a valid IRI (or longer than 4,096 characters)` };
        if (isError(v)) problem(w, a.many ? `${path}/${values.length}` : path, a.kind, `${compact(a.iri)}: ${v.error}; dropped`);
        else if (!values.includes(v)) values.push(v);
      }
      return a.many ? (values.length ? values : undefined) : single(w, path, a, values);
    }
  }
}

/** A nested resource: read along its schema; a bare IRI for iriOrNode properties when the graph says nothing about it. */
function readChild(w: Walk, path: string, a: RdfAnnotation, schema: TObject, o: Term, depth: number): unknown {
  if (o.termType === 'Literal') {
    const key = LITERAL_STANDS_FOR[generalClass(schema)];
    if (key) {
      const inner = rdfOf(schema.properties[key]);
      const value = inner && (inner.kind === 'text' ? readText(w, path, inner, schema.properties[key], [o]) : o.value);
      if (value !== undefined) return { [key]: value };
    }
    if (a.kind === 'iriOrNode') {
      const iri = iriFromText(o.value);
      if (iri) return iri;
    }
    problem(w, path, 'node', `${compact(a.iri)}: the literal ${show(o)} is not a resource; dropped`);
    return undefined;
  }
  if (!isResource(o)) return undefined;
  if (a.kind === 'iriOrNode' && o.termType === 'NamedNode' && !hasMappedProperty(w, schema, o)) return repairIri(o.value);
  return readNode(w, path, schema, o, depth + 1);
}

function hasMappedProperty(w: Walk, schema: TObject, o: Term): boolean {
  const table = predicateTable(schema);
  return w.graph.about(o).some((q) => table.has(q.predicate.value) || table.has(currentPredicate(q.predicate.value)));
}

function readNode(w: Walk, path: string, schema: TObject, subject: Resource, depth: number): Json | undefined {
  // The same node may be read as another class (Destatis gives a dataset and its distribution one IRI); only the same class inside itself is a cycle.
  const key = `${Object.values(classesOf(schema))[0]} ${termKey(subject)}`;
  if (w.ancestors.has(key)) {
    problem(w, path, 'cycle', `${show(subject)} contains itself; the inner occurrence was dropped`);
    return undefined;
  }
  if (depth > w.maxDepth) {
    problem(w, path, 'depth', `nodes are nested deeper than ${w.maxDepth} levels; the rest was dropped`);
    return undefined;
  }
  if (++w.nodes > w.maxNodes) {
    if (!w.budgetReported) problem(w, path, 'size', `the dataset has more than ${w.maxNodes} nodes; the rest was dropped`);
    w.budgetReported = true;
    return undefined;
  }
  const quads = w.graph.about(subject);
  const table = predicateTable(schema);
  // The property's own IRI (rank 0) wins over an alias or an older namespace (rank 1): the newest wins.
  const found = new Map<string, { entry: Entry; rank: number; objects: Term[] }>();
  for (const q of quads) {
    const p = q.predicate.value;
    if (p === RDF_TYPE) continue;
    const entry = table.get(p) ?? table.get(currentPredicate(p));
    if (!entry) continue; // not DCAT-AP.de: ignored
    const rank = p === entry.a.iri || p === entry.a.iri3 ? 0 : 1;
    const have = found.get(entry.key);
    if (!have || rank < have.rank) found.set(entry.key, { entry, rank, objects: [q.object] });
    else if (rank === have.rank) have.objects.push(q.object);
  }

  const out: Json = {};
  if (subject.termType === 'NamedNode') out['@id'] = repairIri(subject.value);
  const type = typeName(schema, quads);
  if (type) out['@type'] = type;
  w.ancestors.add(key);
  for (const name of Object.keys(schema.properties)) {
    const hit = found.get(name);
    if (!hit) continue;
    const value = readProperty(w, `${path}/${name}`, hit.entry.a, hit.entry.prop, distinct(w, hit.objects), depth);
    if (value !== undefined) out[name] = value;
  }
  const flat = FLATTENED[generalClass(schema)];
  if (flat && out[flat] === undefined) {
    const child = nodeSchemaOf(schema.properties[flat]);
    if (child && hasMappedProperty(w, child, subject)) {
      const { '@id': _id, ...inner } = readNode(w, `${path}/${flat}`, child, subject, depth + 1) ?? {};
      out[flat] = inner;
    }
  }
  w.ancestors.delete(key);
  if (subject.termType === 'BlankNode' && Object.keys(out).every((k) => k.startsWith('@')) && depth > 0) {
    problem(w, path, 'empty', 'a blank node without any DCAT-AP.de property; dropped');
    return undefined;
  }
  return out;
}

/** Removes what mapping.ts's exportView adds on the way out, so a document read back equals the one written. */
function undoExportView(doc: Json): void {
  if (doc.identifier !== undefined && doc.identifier === doc['@id']) delete doc.identifier;
  const geocoding = doc.politicalGeocodingURI as string[] | undefined;
  const spatial = doc.spatial as unknown[] | undefined;
  if (geocoding && spatial) {
    const rest = spatial.filter((s) => typeof s !== 'string' || !geocoding.includes(s));
    if (rest.length) doc.spatial = rest;
    else delete doc.spatial;
  }
}

function toGraph(source: Iterable<Quad> | QuadGraph): QuadGraph {
  return source instanceof QuadGraph ? source : new QuadGraph(source);
}

function termOf(subject: string | Term): Term {
  if (typeof subject !== 'string') return subject;
  return subject.startsWith('_:') ? blankNode(subject.slice(2)) : namedNode(subject);
}

const LEAD_KEYS = ['@id', '@type'];

/** '@id', '@type', then the schema's order, as the writer and the API use it. */
function ordered(node: Json): Json {
  // readNode writes '@id' and '@type' first: most nodes need no copy.
  const keys = Object.keys(node);
  const lead = LEAD_KEYS.filter((k) => k in node);
  if (lead.every((k, i) => keys[i] === k && node[k] !== undefined)) return node;
  const { '@id': id, '@type': type, ...rest } = node;
  return { ...(id !== undefined ? { '@id': id } : {}), ...(type !== undefined ? { '@type': type } : {}), ...rest };
}

/**
 * Any resource of the model (a Distribution, a DataService, an Agent…) read
 * along its schema. `source` is an array of quads, any RDF/JS dataset or a
 * QuadGraph; `subject` an IRI, a blank-node id "_:b0", or an RDF/JS term.
 */
export function resourceFromQuads<T extends TObject>(source: Iterable<Quad> | QuadGraph, subject: string | Term, schema: T, opts: ReadOptions = {}): { doc: Static<T>; problems: Problem[] } {
  const term = termOf(subject);
  const w: Walk = {
    graph: toGraph(source),
    language: opts.language ?? 'de',
    dropUnknown: opts.unknownVocabulary === 'drop',
    maxDepth: opts.maxDepth ?? 8,
    maxNodes: opts.maxNodes ?? 5000,
    nodes: 0,
    budgetReported: false,
    ancestors: new Set(),
    problems: [],
  };
  if (!isResource(term)) {
    problem(w, '', 'subject', `${show(term)} is not a resource`);
    return { doc: {} as Static<T>, problems: w.problems };
  }
  return { doc: ordered(readNode(w, '', schema, term, 0) ?? {}) as Static<T>, problems: w.problems };
}

/**
 * The dataset document of one subject of a graph (build a QuadGraph once to
 * read many datasets of the same graph): '@type' Dataset, '@id' its IRI.
 */
export function datasetFromQuads(source: Iterable<Quad> | QuadGraph, subject: string | Term, opts: ReadOptions = {}): ReadResult {
  const { doc, problems } = resourceFromQuads(source, subject, Dataset, opts);
  const node = doc as Json;
  node['@type'] = 'Dataset';
  if (opts.undoExportView ?? true) undoExportView(node);
  return { doc: ordered(node) as unknown as DatasetDoc, problems };
}

/** Every dcat:Dataset of a graph, in document order, each with its own problems. */
export function datasetsFromQuads(source: Iterable<Quad> | QuadGraph, opts: ReadOptions = {}): ReadResult[] {
  const graph = toGraph(source);
  return graph.instancesOf(DCAT_DATASET).map((s) => datasetFromQuads(graph, s, opts));
}
