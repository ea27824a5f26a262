import { DataFactory } from 'n3';
import type { NamedNode, Quad } from '@rdfjs/types';
import type { CatalogMetadata } from '../config/index.js';
import type { Catalog as CatalogDoc } from '../domain/model.js';
import { NS, type Profile } from '../domain/property.js';
import { languages } from '../domain/vocab/index.js';
import { catalogToQuads } from './mapping.js';

/**
 * The catalog level of a DCAT-AP.de export: the dcat:Catalog with the
 * metadata from the configuration and its dcat:dataset links, and the hydra
 * paging block exactly as ckanext-dcat writes it, so GovData's and
 * ckanext-dcat's harvesters follow it.
 */

const { namedNode, literal, quad } = DataFactory;
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const hydra = (local: string) => namedNode(HYDRA + local);
const RDF_TYPE = namedNode(`${NS.rdf}type`);
const DCAT_DATASET = namedNode(`${NS.dcat}dataset`);
const XSD_INTEGER = namedNode(`${NS.xsd}integer`);
const THEME_TAXONOMY = 'http://publications.europa.eu/resource/authority/data-theme';

export interface CatalogPage {
  /** IRI of the catalog. */
  uri: string;
  metadata: CatalogMetadata;
  /** Newest change of any dataset (dct:modified of the catalog). */
  modified?: string;
  /** IRIs of the datasets on this page, in page order. */
  datasets: readonly string[];
}

/** The catalog's own description as a model document: what the annotations of the Catalog class turn into RDF. */
export function catalogDocument(page: Pick<CatalogPage, 'uri' | 'metadata' | 'modified'>): CatalogDoc {
  const m = page.metadata;
  const language = languages.resolve(m.language.split('-')[0])?.iri;
  return {
    '@id': page.uri,
    '@type': 'Catalog',
    title: { [m.language]: m.title },
    description: { [m.language]: m.description },
    publisher: { '@id': m.publisherUri, '@type': 'Organization', name: { [m.language]: m.publisherName } },
    homepage: m.homepage,
    ...(language ? { language: [language] } : {}),
    license: m.license,
    themeTaxonomy: [THEME_TAXONOMY],
    ...(page.modified ? { modified: page.modified } : {}),
  };
}

/** dcat:Catalog, its dcat:dataset links (with the catalog's other statements), then its publisher. */
export function* catalogQuads(page: CatalogPage, opts: { profile: Profile }): Generator<Quad> {
  const subject = namedNode(page.uri);
  let linked = false;
  const links = function* () {
    linked = true;
    for (const d of page.datasets) yield quad(subject, DCAT_DATASET, namedNode(d));
  };
  for (const q of catalogToQuads(catalogDocument(page), opts)) {
    if (!linked && !q.subject.equals(subject)) yield* links();
    yield q;
  }
  if (!linked) yield* links();
}

export interface Paging {
  /** Matching datasets in the whole catalog. */
  totalItems: number;
  itemsPerPage: number;
  /** The page served, 1-based. */
  page: number;
  /** Absolute URL of page n (ckanext-dcat: built from the configured base URL, never from the Host header). */
  pageUrl(n: number, current: boolean): string;
  /** URL of the next page when it carries more than its number (a keyset cursor). */
  nextUrl?: string;
  /** Whether a next page has items; default ckanext-dcat's page · itemsPerPage < totalItems. */
  hasNext?: boolean;
}

/** Number of the last page: at least 1, as ckanext-dcat computes it. */
export const lastPage = (p: Pick<Paging, 'totalItems' | 'itemsPerPage'>) => Math.max(1, Math.ceil(p.totalItems / p.itemsPerPage));

/**
 * ckanext-dcat's hydra:PagedCollection (processors.py _add_pagination_triples):
 * subject the current page URL; totalItems and itemsPerPage as xsd:integer;
 * each link as a plain literal under both the deprecated and the current
 * predicate; next only when there are more items, previous after page 1
 * (pointing at the last page when the page asked for is beyond it). No
 * paging block at all for an empty result.
 */
export function* hydraQuads(p: Paging): Generator<Quad> {
  if (p.totalItems === 0) return;
  const subject: NamedNode = namedNode(p.pageUrl(p.page, true));
  const last = lastPage(p);
  const link = function* (deprecated: string, current: string, url: string) {
    yield quad(subject, hydra(deprecated), literal(url));
    yield quad(subject, hydra(current), literal(url));
  };
  yield quad(subject, RDF_TYPE, hydra('PagedCollection'));
  yield quad(subject, hydra('totalItems'), literal(String(p.totalItems), XSD_INTEGER));
  yield quad(subject, hydra('itemsPerPage'), literal(String(p.itemsPerPage), XSD_INTEGER));
  yield* link('firstPage', 'first', p.pageUrl(1, false));
  yield* link('lastPage', 'last', p.pageUrl(last, false));
  if (p.hasNext ?? p.page * p.itemsPerPage < p.totalItems) yield* link('nextPage', 'next', p.nextUrl ?? p.pageUrl(p.page + 1, false));
  if (p.page > 1) yield* link('previousPage', 'previous', p.pageUrl(p.page > last ? last : p.page - 1, false));
}
