import type { TObject, TSchema } from 'typebox';
import { Catalog, Dataset, META_KEYS } from '../domain/model.js';
import { classesOf, NS, rdfOf, type RdfAnnotation } from '../domain/property.js';

/**
 * The JSON-LD context of every JSON document the API returns, derived from the
 * model's `x-rdf` annotations. Terms that mean something else inside a nested
 * node (foaf:name of an agent vs. the dataset's slug `name`, vcard:Organization
 * vs. foaf:Organization) get property-scoped contexts.
 */

type TermDefinition = string | null | { '@id': string; '@type'?: string; '@container'?: string; '@context'?: Record<string, TermDefinition> };
export type JsonLdContext = Record<string, TermDefinition | number>;

const XSD = NS.xsd;

function compactIri(iri: string): string {
  for (const [prefix, ns] of Object.entries(NS)) if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  return iri;
}

function termFor(a: RdfAnnotation): TermDefinition {
  const def: Exclude<TermDefinition, string | null> = { '@id': compactIri(a.iri) };
  switch (a.kind) {
    case 'text':
    case 'texts':
      def['@container'] = '@language';
      return def;
    case 'iri':
    case 'iriOrNode':
      def['@type'] = '@id';
      break;
    case 'decimal':
      def['@type'] = compactIri(XSD + 'decimal');
      break;
    case 'integer':
      def['@type'] = compactIri(XSD + 'integer');
      break;
    case 'duration':
      def['@type'] = compactIri(XSD + 'duration');
      break;
    case 'hex':
      def['@type'] = compactIri(XSD + 'hexBinary');
      break;
    case 'geometry':
      def['@type'] = 'gsp:wktLiteral';
      break;
    // date: xsd:date or xsd:dateTime by lexical form, so no coercion; literal: plain string
  }
  if (a.many) def['@container'] = '@set';
  return def;
}

/** The object schema a node-valued property holds, if any. */
function nodeSchema(schema: TSchema): TObject | undefined {
  const s = schema as { type?: string; items?: TSchema; anyOf?: TSchema[]; properties?: Record<string, TSchema> };
  if (s.type === 'object' && s.properties) return schema as TObject;
  if (s.items) return nodeSchema(s.items);
  if (s.anyOf) for (const alt of s.anyOf) if (nodeSchema(alt)) return nodeSchema(alt);
  return undefined;
}

function classTerms(schema: TObject, effective: Map<string, string>): Record<string, TermDefinition> {
  const out: Record<string, TermDefinition> = {};
  const put = (key: string, def: TermDefinition) => {
    const sig = JSON.stringify(def);
    if (effective.get(key) === sig) return;
    out[key] = def;
    effective.set(key, sig);
  };
  for (const [name, cls] of Object.entries(classesOf(schema))) put(name, compactIri(cls));
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (key.startsWith('@')) continue;
    const a = rdfOf(prop);
    if (!a) {
      put(key, null); // record metadata of the catalog, not RDF
      continue;
    }
    const def = termFor(a);
    const child = a.kind === 'node' || a.kind === 'iriOrNode' ? nodeSchema(prop) : undefined;
    if (child && typeof def === 'object' && def) {
      const scoped = classTerms(child, new Map(effective));
      if (Object.keys(scoped).length) def['@context'] = scoped;
    }
    put(key, def);
  }
  return out;
}

let cached: JsonLdContext | undefined;

export function buildContext(): JsonLdContext {
  if (cached) return cached;
  const ctx: JsonLdContext = { '@version': 1.1 };
  for (const [prefix, ns] of Object.entries(NS)) ctx[prefix] = ns;
  const effective = new Map<string, string>();
  Object.assign(ctx, classTerms(Dataset, effective));
  for (const key of META_KEYS) if (!(key in ctx)) ctx[key] = null;
  Object.assign(ctx, classTerms(Catalog, effective));
  cached = ctx;
  return ctx;
}

/** The context document as served at /context.jsonld and committed in schemas/. */
export function contextDocument(): { '@context': JsonLdContext } {
  return { '@context': buildContext() };
}
