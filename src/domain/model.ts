import { Type, type Static } from 'typebox';
import { NS, P, resource, Iri, LangMap } from './property.js';

/**
 * The DCAT-AP.de model (2.0 and 3.0, with the dcatde: extensions) as the JSON
 * documents the API reads and writes. Property names are the JSON-LD terms of
 * schemas/context.jsonld; `x-rdf` on each says what it means in RDF.
 */

export const Agent = resource(
  { Organization: 'foaf:Organization', Person: 'foaf:Person', Agent: 'foaf:Agent' },
  {
    name: P.text('foaf:name', { description: 'Name of the organisation or person (mandatory)' }),
    mbox: P.iri('foaf:mbox', { description: 'mailto: IRI' }),
    homepage: P.iri('foaf:homepage'),
    type: P.iri('dct:type', { vocab: 'publisherType', description: 'ADMS publisher type, e.g. LocalAuthority' }),
  },
  'foaf:Agent: publisher, creator, contributor, originator or maintainer',
);

export const Address = resource(
  { Address: 'vcard:Address' },
  {
    // vCard 3 names, as ckanext-dcatde writes them (flat on the contact point).
    streetAddress: P.literal('vcard:street-address', { aliases: [`${NS.vcard}hasStreetAddress`] }),
    locality: P.literal('vcard:locality', { aliases: [`${NS.vcard}hasLocality`] }),
    postalCode: P.literal('vcard:postal-code', { aliases: [`${NS.vcard}hasPostalCode`] }),
    countryName: P.literal('vcard:country-name', { aliases: [`${NS.vcard}hasCountryName`] }),
  },
  'vcard:Address of a contact point',
);

export const ContactPoint = resource(
  { Organization: 'vcard:Organization', Individual: 'vcard:Individual', Kind: 'vcard:Kind' },
  {
    fn: P.literal('vcard:fn', { description: 'Formatted name' }),
    hasEmail: P.iri('vcard:hasEmail', { description: 'mailto: IRI (K01: hasEmail or hasURL is mandatory)' }),
    hasURL: P.iri('vcard:hasURL'),
    hasTelephone: P.iri('vcard:hasTelephone', { description: 'tel: IRI without spaces' }),
    hasAddress: P.node('vcard:hasAddress', Address),
  },
  'vcard:Kind: a contact point',
);

export const Location = resource(
  { Location: 'dct:Location' },
  {
    prefLabel: P.text('skos:prefLabel'),
    geometry: P.geometry('locn:geometry', { description: 'WKT or GeoJSON', node3: 'locn:Geometry' }),
    bbox: P.geometry('dcat:bbox', { description: 'WKT or GeoJSON' }),
    centroid: P.geometry('dcat:centroid', { description: 'WKT or GeoJSON' }),
  },
  'dct:Location: a spatial coverage',
);

export const PeriodOfTime = resource(
  { PeriodOfTime: 'dct:PeriodOfTime' },
  {
    startDate: P.date('dcat:startDate', { aliases: ['http://schema.org/startDate', 'http://www.w3.org/2006/time#hasBeginning'] }),
    endDate: P.date('dcat:endDate', { aliases: ['http://schema.org/endDate', 'http://www.w3.org/2006/time#hasEnd'] }),
  },
  'dct:PeriodOfTime (K38: startDate or endDate)',
);

export const Checksum = resource(
  { Checksum: 'spdx:Checksum' },
  {
    algorithm: P.iri('spdx:algorithm', { vocab: 'hashAlgorithm' }),
    checksumValue: P.hex('spdx:checksumValue'),
  },
  'spdx:Checksum of a distribution',
);

export const Identifier = resource(
  { Identifier: 'adms:Identifier' },
  {
    notation: P.literal('skos:notation'),
  },
  'adms:Identifier: another identifier of the dataset',
);

export const DataService = resource(
  { DataService: 'dcat:DataService' },
  {
    title: P.text('dct:title', { description: 'Mandatory' }),
    description: P.text('dct:description'),
    endpointURL: P.iris('dcat:endpointURL', { description: 'Mandatory' }),
    endpointDescription: P.iris('dcat:endpointDescription'),
    servesDataset: P.iris('dcat:servesDataset'),
    license: P.iri('dct:license', { vocab: 'license' }),
    licenseAttributionByText: P.text('dcatde:licenseAttributionByText'),
    accessRights: P.iri('dct:accessRights', { vocab: 'accessRight' }),
    availability: P.iri('dcatap:availability', { vocab: 'plannedAvailability' }),
    format: P.iris('dct:format', { vocab: 'fileType', profiles: ['dcat-ap-de-3'] }),
    publisher: P.node('dct:publisher', Agent),
    contactPoint: P.nodes('dcat:contactPoint', ContactPoint),
    applicableLegislation: P.iris('dcatap:applicableLegislation', { profiles: ['dcat-ap-de-3'] }),
  },
  'dcat:DataService: an API or service giving access to data',
);

export const Distribution = resource(
  { Distribution: 'dcat:Distribution' },
  {
    title: P.text('dct:title'),
    description: P.text('dct:description'),
    accessURL: P.iris('dcat:accessURL', { description: 'Mandatory' }),
    downloadURL: P.iris('dcat:downloadURL'),
    license: P.iri('dct:license', { vocab: 'license', description: 'Licence from the dcat-ap.de list (mandatory for GovData)' }),
    licenseAttributionByText: P.text('dcatde:licenseAttributionByText', { description: 'Attribution text (K35)' }),
    format: P.iri('dct:format', { vocab: 'fileType' }),
    mediaType: P.iri('dcat:mediaType'),
    compressFormat: P.iri('dcat:compressFormat'),
    packageFormat: P.iri('dcat:packageFormat'),
    byteSize: P.integer('dcat:byteSize', { description: 'Size in bytes (xsd:decimal in 2.0, xsd:nonNegativeInteger in 3.0)' }),
    issued: P.date('dct:issued'),
    modified: P.date('dct:modified'),
    language: P.iris('dct:language', { vocab: 'language' }),
    page: P.iris('foaf:page'),
    conformsTo: P.iris('dct:conformsTo'),
    rights: P.text('dct:rights', { description: 'Rights statement text', node3: 'dct:RightsStatement' }),
    status: P.iri('adms:status', { vocab: 'distributionStatus' }),
    availability: P.iri('dcatap:availability', { vocab: 'plannedAvailability' }),
    plannedAvailability: P.iri('dcatde:plannedAvailability', { deprecated: true, profiles: ['dcat-ap-de-2'] }),
    checksum: P.node('spdx:checksum', Checksum),
    accessService: P.nodes('dcat:accessService', DataService),
    hasPolicy: P.iri('odrl:hasPolicy'),
    spatialResolutionInMeters: P.decimal('dcat:spatialResolutionInMeters'),
    temporalResolution: P.duration('dcat:temporalResolution'),
    applicableLegislation: P.iris('dcatap:applicableLegislation', { profiles: ['dcat-ap-de-3'] }),
    // Server-managed, not RDF.
    id: Type.Optional(Type.String({ format: 'uuid', readOnly: true, description: 'Stable id (server-managed)' })),
  },
  'dcat:Distribution: one way to get the data',
);

/**
 * dcat:DatasetSeries (DCAT-AP 3.0; DCAT-AP.de 2.0 already points its
 * collections here): the series a dataset belongs to, described inline so
 * that each dataset's own RDF holds the dcat:DatasetSeries the shapes demand
 * (title, description, publisher). A bare IRI is allowed too (a series
 * described elsewhere, as harvested records name one their source does not describe).
 */
export const DatasetSeries = resource(
  { DatasetSeries: 'dcat:DatasetSeries' },
  {
    title: P.text('dct:title', { description: 'Mandatory' }),
    description: P.text('dct:description', { description: 'Mandatory' }),
    publisher: P.node('dct:publisher', Agent, { description: "Mandatory in DCAT-AP.de 3.0; defaults to the dataset's publisher" }),
    contactPoint: P.nodes('dcat:contactPoint', ContactPoint),
    spatial: P.iriOrNodes('dct:spatial', Location),
    temporal: P.nodes('dct:temporal', PeriodOfTime),
    accrualPeriodicity: P.iri('dct:accrualPeriodicity', { vocab: 'frequency' }),
    issued: P.date('dct:issued'),
    modified: P.date('dct:modified'),
    applicableLegislation: P.iris('dcatap:applicableLegislation', { profiles: ['dcat-ap-de-3'] }),
  },
  'dcat:DatasetSeries: a series the dataset is part of',
);

/** Record metadata the catalog manages; these terms are not mapped to RDF. */
export const DatasetMeta = {
  id: Type.Optional(Type.String({ format: 'uuid', description: 'Stable id (server-managed)' })),
  name: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{2,100}$', description: 'URL-safe unique name (slug)' })),
  organization: Type.Optional(Type.String({ description: 'Name of the owning organization' })),
  private: Type.Optional(Type.Boolean({ description: 'Visible to members of the organization only' })),
  state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('draft'), Type.Literal('deleted')], { readOnly: true })),
  revision: Type.Optional(Type.Integer({ readOnly: true, description: 'Revision number, starts at 1' })),
  metadataCreated: Type.Optional(Type.String({ format: 'date-time', readOnly: true })),
  metadataModified: Type.Optional(Type.String({ format: 'date-time', readOnly: true })),
};

export const Dataset = resource(
  { Dataset: 'dcat:Dataset' },
  {
    title: P.text('dct:title', { description: 'Mandatory; one per language' }),
    description: P.text('dct:description', { description: 'Mandatory; plain text' }),
    keyword: P.texts('dcat:keyword'),
    theme: P.iris('dcat:theme', { vocab: 'theme', description: 'EU data themes' }),
    publisher: P.node('dct:publisher', Agent, { description: 'Defaults to the organization' }),
    contactPoint: P.nodes('dcat:contactPoint', ContactPoint),
    distribution: P.nodes('dcat:distribution', Distribution),
    identifier: P.literal('dct:identifier'),
    otherIdentifier: P.nodes('adms:identifier', Identifier),
    issued: P.date('dct:issued'),
    modified: P.date('dct:modified'),
    language: P.iris('dct:language', { vocab: 'language' }),
    landingPage: P.iris('dcat:landingPage'),
    page: P.iris('foaf:page'),
    accrualPeriodicity: P.iri('dct:accrualPeriodicity', { vocab: 'frequency' }),
    accessRights: P.iri('dct:accessRights', { vocab: 'accessRight' }),
    conformsTo: P.iris('dct:conformsTo'),
    provenance: P.text('dct:provenance', { node3: 'dct:ProvenanceStatement' }),
    spatial: P.iriOrNodes('dct:spatial', Location),
    temporal: P.nodes('dct:temporal', PeriodOfTime),
    availability: P.iri('dcatap:availability', { vocab: 'plannedAvailability' }),
    versionInfo: P.literal('owl:versionInfo', { iri3: 'dcat:version', description: 'Version (dcat:version in 3.0)' }),
    versionNotes: P.text('adms:versionNotes'),
    type: P.iri('dct:type'),
    relation: P.iris('dct:relation'),
    references: P.iris('dct:references'),
    isReferencedBy: P.iris('dct:isReferencedBy'),
    hasVersion: P.iris('dct:hasVersion'),
    isVersionOf: P.iris('dct:isVersionOf'),
    source: P.iris('dct:source'),
    sample: P.iris('adms:sample'),
    wasGeneratedBy: P.iris('prov:wasGeneratedBy'),
    spatialResolutionInMeters: P.decimal('dcat:spatialResolutionInMeters'),
    temporalResolution: P.duration('dcat:temporalResolution'),
    creator: P.nodes('dct:creator', Agent),
    contributor: P.nodes('dct:contributor', Agent),
    originator: P.nodes('dcatde:originator', Agent, { deprecated: true }),
    maintainer: P.nodes('dcatde:maintainer', Agent, { deprecated: true }),
    contributorID: P.iris('dcatde:contributorID', { description: 'GovData contributor IDs (K12/K13)' }),
    politicalGeocodingURI: P.iris('dcatde:politicalGeocodingURI', { deprecated: true }),
    politicalGeocodingLevelURI: P.iris('dcatde:politicalGeocodingLevelURI', { vocab: 'geocodingLevel' }),
    geocodingDescription: P.text('dcatde:geocodingDescription', { deprecated: true, aliases: ['http://dcat-ap.de/def/dcatde/1_0/geocodingText'] }),
    legalBasis: P.text('dcatde:legalBasis', { deprecated: true, aliases: ['http://dcat-ap.de/def/dcatde/1_0/legalbasisText'] }),
    qualityProcessURI: P.iri('dcatde:qualityProcessURI', { deprecated: true }),
    inSeries: P.iriOrNodes('dcat:inSeries', DatasetSeries, { description: 'Series the dataset belongs to: IRIs, or dcat:DatasetSeries nodes with @id' }),
    applicableLegislation: P.iris('dcatap:applicableLegislation', { profiles: ['dcat-ap-de-3'] }),
    hvdCategory: P.iris('dcatap:hvdCategory', { profiles: ['dcat-ap-de-3'] }),
    ...DatasetMeta,
  },
  'dcat:Dataset: a DCAT-AP.de dataset description',
);

export const Catalog = resource(
  { Catalog: 'dcat:Catalog' },
  {
    title: P.text('dct:title'),
    description: P.text('dct:description'),
    publisher: P.node('dct:publisher', Agent),
    homepage: P.iri('foaf:homepage'),
    language: P.iris('dct:language', { vocab: 'language' }),
    license: P.iri('dct:license', { vocab: 'license' }),
    themeTaxonomy: P.iris('dcat:themeTaxonomy'),
    spatial: P.iriOrNodes('dct:spatial', Location),
    issued: P.date('dct:issued'),
    modified: P.date('dct:modified'),
    dataset: P.nodes('dcat:dataset', Dataset),
    service: P.nodes('dcat:service', DataService),
  },
  'dcat:Catalog',
);

export type Agent = Static<typeof Agent>;
export type ContactPoint = Static<typeof ContactPoint>;
export type Location = Static<typeof Location>;
export type PeriodOfTime = Static<typeof PeriodOfTime>;
export type Checksum = Static<typeof Checksum>;
export type DataService = Static<typeof DataService>;
export type DatasetSeries = Static<typeof DatasetSeries>;
export type Distribution = Static<typeof Distribution>;
export type Dataset = Static<typeof Dataset>;
export type Catalog = Static<typeof Catalog>;
export type LangMap = Static<typeof LangMap>;
export type Iri = Static<typeof Iri>;

/** Properties that are ours, not DCAT's: never written to RDF. */
export const META_KEYS = new Set(Object.keys(DatasetMeta));
