/**
 * The search contract every face speaks: REST v1 query parameters, CKAN's
 * q/fq (Solr syntax) and the catalog endpoint's q/fq/modified_since are all
 * parsed into this tree, and src/catalog/search.ts turns it into SQL.
 */

/** Fields a filter can test; each is an indexed column of the datasets table. */
export type FilterField =
  | 'id'
  | 'name'
  | 'uri'
  | 'identifier'
  | 'title' // text match on the title
  | 'text' // full text (title, keywords, description), German stemming
  | 'organization' // organization name
  | 'keyword' // tags
  | 'theme' // EU data theme code, e.g. GOVE (CKAN group names are lower-case codes)
  | 'license' // licence IRI or CKAN licence id
  | 'format' // EU file-type code, e.g. CSV
  | 'geocoding' // political geocoding URI
  | 'private'
  | 'state'
  | 'metadata_modified'
  | 'metadata_created';

export type Filter =
  | { op: 'eq'; field: FilterField; value: string }
  /** Solr-style wildcard value: `*` any run, `?` one character. */
  | { op: 'wildcard'; field: FilterField; value: string }
  /** Inclusive or exclusive range; an absent bound is open (`*`). */
  | { op: 'range'; field: FilterField; from?: string; to?: string; fromInclusive: boolean; toInclusive: boolean }
  /** Field has any value (Solr `field:*`, `field:[* TO *]`). */
  | { op: 'exists'; field: FilterField }
  | { op: 'and'; filters: Filter[] }
  | { op: 'or'; filters: Filter[] }
  | { op: 'not'; filter: Filter }
  /** Matches everything (Solr `*:*`). */
  | { op: 'all' };

export type SortField = 'score' | 'metadata_modified' | 'metadata_created' | 'title' | 'name' | 'id';
export interface SortKey {
  field: SortField;
  direction: 'asc' | 'desc';
}

/** Facetable fields, named as CKAN names them in facet.field. */
export type FacetField = 'organization' | 'groups' | 'tags' | 'res_format' | 'license_id' | 'political_geocoding';

export interface SearchQuery {
  /** Free text, German stemming (websearch syntax: "phrases", -exclusion, OR). */
  text?: string;
  filter?: Filter;
  sort?: SortKey[];
  limit: number;
  offset?: number;
  /** Opaque cursor from a previous page (keyset paging, stable under writes). */
  cursor?: string;
  facets?: { fields: FacetField[]; limit: number; mincount: number };
  /** Private datasets of organizations where the actor has a role. */
  includePrivate?: boolean;
  includeDrafts?: boolean;
  /** Withdrawn datasets too (editors' views, harvest bookkeeping). */
  includeDeleted?: boolean;
  /**
   * The number of matches, counted by a read that began after the last change to the
   * catalog: it is taken instead of counting again (a catalog export's pages read ahead:
   * one statement fewer each). Ignored when facets are asked for.
   */
  knownCount?: number;
}

export interface FacetCount {
  name: string;
  count: number;
}

export interface SearchResult<T> {
  count: number;
  results: T[];
  facets?: Partial<Record<FacetField, FacetCount[]>>;
  /** Cursor of the next page, when there is one. */
  nextCursor?: string;
}
