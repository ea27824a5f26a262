import { newDatasetRow, toStored, type StoredDataset } from '../../src/catalog/datasets.js';
import { normalizeDataset, type OrgInfo } from '../../src/catalog/normalize.js';
import type { Organization } from '../../src/catalog/organizations.js';
import { loadConfig } from '../../src/config/index.js';
import { stableId } from '../../src/ckan/package.js';
import { PARTNERS, geocodingLevelUriOf, geocodingUriOf } from '../../src/domain/region.js';
import { generateDatasets, Rng } from '../../bench/lib/generator.js';

/**
 * Stored datasets as the CKAN face reads them, for comparing the package
 * dict builders with a reference: the bench generator's realistic documents
 * (normalized and stored as createDataset stores them), each with one of
 * the shapes the generator does not make (more languages, several agents,
 * series, geometries, checksums, keywords in other languages, legacy and
 * odd values a harvest may have left), nested keys in jsonb's order as a
 * read from PostgreSQL gives them.
 */

type Node = Record<string, unknown>;

export const corpusConfig = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://catalog.test' });

const CREATED = '2025-01-02T03:04:05.000Z';
export const corpusOrganizations: Organization[] = PARTNERS.map((p) => ({
  id: stableId('org', p.name),
  name: p.name,
  title: p.title,
  description: `Open data of ${p.title}`,
  ags: p.key,
  politicalGeocodingUri: geocodingUriOf(p),
  politicalGeocodingLevelUri: geocodingLevelUriOf(p),
  homepage: p.homepage,
  email: null,
  createdAt: CREATED,
  updatedAt: CREATED,
}));
const byName = new Map(corpusOrganizations.map((o) => [o.name, o]));

/** jsonb's key order (shorter keys first, then by bytes), all the way down. */
export function jsonbOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonbOrder);
  if (typeof v !== 'object' || v === null) return v;
  const keys = Object.keys(v).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: Node = {};
  for (const k of keys) out[k] = jsonbOrder((v as Node)[k]);
  return out;
}

const IANA = 'https://www.iana.org/assignments/media-types/';
const FT = 'http://publications.europa.eu/resource/authority/file-type/';

/** Shapes beyond the generator's, one applied per dataset (by index). */
const VARIANTS: ((d: Node, rng: Rng) => void)[] = [
  () => {},
  (d) => {
    d.title = { de: 'Haushaltsplan Unna', en: 'Budget of Unna' };
    d.description = { en: 'Only in English.' };
  },
  (d) => {
    d.creator = [
      { '@type': 'Person', name: { de: 'Erika Muster' }, mbox: 'mailto:erika@example.org' },
      { '@type': 'Organization', name: { de: 'Amt 12' } },
    ];
    d.contributor = [{ '@id': 'https://example.org/agent/1', '@type': 'Person', name: { de: 'Max Muster' }, mbox: 'mailto:max@example.org', homepage: 'https://example.org/max', type: 'http://purl.org/adms/publishertype/PrivateIndividual(s)' }];
    d.originator = [{ '@type': 'Organization', name: { de: 'Katasteramt', en: 'Land registry' }, mbox: 'kataster@example.org' }];
    d.maintainer = [{ '@type': 'Agent', name: { de: 'Pflege' }, mbox: 'MAILTO:pflege@example.org' }];
  },
  (d) => {
    d.inSeries = ['https://example.org/series/haushalt', 'https://example.org/series/finanzen'];
  },
  (d) => {
    d.inSeries = [{ '@id': 'https://example.org/series/1', '@type': 'DatasetSeries', title: { de: 'Haushalte' }, description: { de: 'Alle Haushalte' } }];
  },
  (d) => {
    d.spatial = [{ geometry: 'POINT(7.69 51.53)' }];
    d.temporal = [{ startDate: '2020-01-01' }];
  },
  (d) => {
    d.spatial = ['http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978024', { '@type': 'Location', geometry: '{"type":"Point","coordinates":[7.6,51.5]}' }];
    d.temporal = [{ '@type': 'PeriodOfTime', startDate: '2019-01-01', endDate: '2019-12-31' }, { startDate: '2021-01-01' }];
  },
  (d) => {
    d.temporal = [{ '@id': 'https://example.org/period/1', startDate: '2019-01-01' }];
    d.spatial = [''];
  },
  (d) => {
    const dists = d.distribution as Node[];
    dists.forEach((x, i) => {
      x.checksum = i % 3 === 0 ? { '@type': 'Checksum', algorithm: 'http://spdx.org/rdf/terms#checksumAlgorithm_sha1', checksumValue: 'a9993e364706816aba3e25717850c26c9cd0d89d' } : i % 3 === 1 ? { checksumValue: 'abc123' } : { algorithm: 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256', checksumValue: 'ff00' };
    });
  },
  (d) => {
    d.keyword = { de: ['Haushalt', 'Finanzen', 'Haushalt'], en: ['budget'] };
  },
  (d) => {
    d.keyword = { en: ['budget', 'finance'] };
    d.theme = ['http://publications.europa.eu/resource/authority/data-theme/ECON', 'https://example.org/theme/local', 'http://publications.europa.eu/resource/authority/data-theme/GOVE'];
  },
  (d) => {
    d.keyword = ['Legacy', 'Schlagwort'];
  },
  (d) => {
    d.contactPoint = [
      { '@type': 'Individual', fn: 'Frau Muster', hasEmail: 'mailto:muster@example.org', hasTelephone: 'tel:+49 2303 27-0', hasAddress: { streetAddress: 'Friedrich-Ebert-Str. 17', locality: 'Unna', postalCode: '59425', countryName: 'Deutschland' } },
    ];
  },
  (d) => {
    d.contactPoint = [
      { fn: 'Bürgerbüro', hasEmail: 'mailto:buerger@example.org', hasTelephone: 'tel:+4923032700', hasAddress: { locality: 'Kamen' }, '@id': 'https://example.org/contact/1', hasURL: 'https://example.org/kontakt' },
    ];
  },
  (d) => {
    d.contactPoint = [{ fn: 'Eins', hasEmail: 'mailto:eins@example.org' }, { fn: 'Zwei', hasURL: 'https://example.org/zwei' }];
  },
  (d) => {
    d.legalBasis = { de: '§ 12 OpenDataG NRW' };
    d.geocodingDescription = { de: 'Stadtgebiet' };
    d.qualityProcessURI = 'https://example.org/quality';
    d.otherIdentifier = [{ notation: 'ABC-1' }, { notation: 'ABC-2' }];
    d.versionInfo = '2.1';
    d.versionNotes = { de: 'Neue Spalten' };
    d.provenance = { de: 'Aus dem Fachverfahren' };
    d.spatialResolutionInMeters = 12.5;
    d.temporalResolution = 'P1D';
    d.hvdCategory = ['http://data.europa.eu/bna/c_ac64a52d'];
    d.applicableLegislation = ['http://data.europa.eu/eli/reg_impl/2023/138/oj'];
    d.conformsTo = ['https://example.org/standard'];
    d.page = ['https://example.org/doku', 'https://example.org/faq'];
    d.relation = ['https://example.org/rel'];
    d.type = 'http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL';
    d.accessRights = 'http://publications.europa.eu/resource/authority/access-right/PUBLIC';
    d.availability = 'http://data.europa.eu/r5r/availability/stable';
    d.wasGeneratedBy = ['https://example.org/activity'];
  },
  (d) => {
    d.legalBasis = { de: 'Gesetz', en: 'Law' };
    d.geocodingDescription = 'Kreisgebiet';
    d.otherIdentifier = [{ '@type': 'Identifier', notation: 'X' }];
    d.versionInfo = 3;
    d.spatialResolutionInMeters = '10';
    d.landingPage = ['https://example.org/a', 'https://example.org/b'];
    d.identifier = '';
    d.someExtension = { nested: [1, 'zwei', null] };
  },
  (d) => {
    const dists = d.distribution as Node[];
    const x = dists[0];
    x.format = 'CSV';
    x.mediaType = 'text/csv';
    x.byteSize = '2048';
    x.title = { de: 'Tabelle', en: 'Table' };
    x.rights = { de: 'Nur intern' };
    x.status = 'http://purl.org/adms/status/Completed';
    x.language = ['http://publications.europa.eu/resource/authority/language/DEU'];
    x.page = ['https://example.org/res-doku'];
    x.conformsTo = ['https://example.org/schema.json'];
    x.compressFormat = `${IANA}application/zip`;
    x.packageFormat = `${IANA}application/x-tar`;
    x.plannedAvailability = 'http://dcat-ap.de/def/plannedAvailability/stable';
    x.availability = 'http://data.europa.eu/r5r/availability/stable';
    x.hasPolicy = 'https://example.org/policy';
    x.spatialResolutionInMeters = 5;
    x.temporalResolution = 'PT1H';
    x.applicableLegislation = ['http://data.europa.eu/eli/reg_impl/2023/138/oj'];
    x.issued = '2020-02-02';
    x.unknownTerm = 'kept as JSON';
  },
  (d) => {
    const dists = d.distribution as Node[];
    dists.push(
      { '@type': 'Distribution', accessURL: ['https://example.org/x.unknownext'], format: 'https://example.org/format/custom', mediaType: `${IANA}application/x-custom`, byteSize: 1.5 },
      { '@type': 'Distribution', accessURL: ['https://example.org/service'], accessService: [{ title: { de: 'Dienst' }, endpointURL: ['https://example.org/wms'] }], license: 'http://dcat-ap.de/def/licenses/unknown' },
      { '@type': 'Distribution', accessURL: ['https://example.org/y.csv'], format: `${FT}CSV`, mediaType: `${IANA}text/csv`, downloadURL: ['https://example.org/y.csv', 'https://example.org/y2.csv'] },
    );
    for (const x of dists) delete x.license;
    dists[dists.length - 1].license = 'http://dcat-ap.de/def/licenses/cc-zero';
  },
  (d) => {
    d.publisher = { '@type': 'Person', name: { en: 'Jane Doe' }, mbox: 'mailto:jane@example.org' };
  },
  (d) => {
    d.publisher = { '@id': 'https://example.org/org/unna', '@type': 'Organization', name: { de: 'Kreis Unna' }, homepage: 'https://www.kreis-unna.de' };
    d.creator = [{ name: { de: 'Ohne Typ' }, mbox: 'tel:+49123' }];
  },
  (d, rng) => {
    // Random odds and ends a harvest can leave: numbers and empty strings where strings are expected.
    if (rng.chance(0.5)) d.issued = '';
    if (rng.chance(0.5)) d.modified = 20240101;
    if (rng.chance(0.5)) d.language = [];
    if (rng.chance(0.5)) d.accrualPeriodicity = { '@id': 'http://publications.europa.eu/resource/authority/frequency/ANNUAL' };
    if (rng.chance(0.5)) d.contributorID = ['a,b', 'http://dcat-ap.de/def/contributors/x'];
    if (rng.chance(0.5)) d.politicalGeocodingLevelURI = ['a,b'];
    if (rng.chance(0.5)) d.politicalGeocodingURI = 'not a list';
  },
];

export interface CorpusEntry {
  stored: StoredDataset;
  organization: Organization;
}

/**
 * n stored datasets from a seed; `order` 'jsonb' gives nested keys as a
 * PostgreSQL read gives them, 'input' as the document was written.
 */
export function corpus(n: number, seed: number, order: 'jsonb' | 'input' = 'jsonb'): CorpusEntry[] {
  const rng = new Rng(seed + 1);
  const now = new Date('2025-03-04T05:06:07.891Z');
  const out: CorpusEntry[] = [];
  let i = 0;
  for (const input of generateDatasets(n, seed)) {
    const org = byName.get(input.organization);
    if (!org) throw new Error(`unknown organization ${input.organization}`);
    const info: OrgInfo = org;
    const id = stableId('corpus', input.name);
    const doc = normalizeDataset(input as unknown as Node, { config: corpusConfig, org: info, id, now }) as unknown as Node;
    VARIANTS[i % VARIANTS.length](doc, rng);
    const row = newDatasetRow(doc as never, { id, name: input.name, org: info, private: i % 7 === 0, now }, corpusConfig);
    const read = order === 'jsonb' ? { ...row, doc: jsonbOrder(row.doc) as typeof row.doc } : row;
    out.push({ stored: toStored(read, org.name), organization: org });
    i++;
  }
  return out;
}

export const VARIANT_COUNT = VARIANTS.length;
