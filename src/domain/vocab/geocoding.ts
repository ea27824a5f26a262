import { Vocabulary, table } from './vocabulary.js';

const GEO = 'http://dcat-ap.de/def/politicalGeocoding/';

export const geocodingLevels = new Vocabulary(
  'geocodingLevel',
  `${GEO}Level/`,
  table(`${GEO}Level/`, [
    ['international', 'international', 'international'],
    ['european', 'europäisch', 'European'],
    ['federal', 'Bund', 'federal'],
    ['state', 'Land', 'state'],
    ['administrativeDistrict', 'Kreis', 'administrative district'],
    ['municipality', 'Kommune', 'municipality'],
  ]),
);

/** Key lists of political geocoding and the digits each key has. */
export const GEOCODING_KEY_LENGTH = {
  stateKey: 2,
  governmentDistrictKey: 3,
  districtKey: 5,
  municipalKey: 8, // not a dcat-ap.de list; guards against a common misspelling below
  municipalityKey: 8,
  municipalAssociationKey: 9,
  regionalKey: 12,
} as const;
export type GeocodingKind = Exclude<keyof typeof GEOCODING_KEY_LENGTH, 'municipalKey'>;

export interface PoliticalGeocoding {
  kind: GeocodingKind;
  key: string;
  /** Scheme IRI of the key list (what skos:inScheme names). */
  scheme: string;
}

/** Parses and checks a political geocoding IRI; undefined when it is not one of the dcat-ap.de key lists. */
export function parsePoliticalGeocodingUri(iri: string): PoliticalGeocoding | undefined {
  const m = /^http:\/\/dcat-ap\.de\/def\/politicalGeocoding\/([A-Za-z]+)\/(\d+)$/.exec(iri);
  if (!m) return undefined;
  const kind = m[1] as GeocodingKind;
  if (kind === ('municipalKey' as string) || !(kind in GEOCODING_KEY_LENGTH)) return undefined;
  if (m[2].length !== GEOCODING_KEY_LENGTH[kind]) return undefined;
  return { kind, key: m[2], scheme: `${GEO}${kind}` };
}

/** GovData contributor IDs (dcatde:contributorID); the list itself is GovData's. */
export const CONTRIBUTORS = 'http://dcat-ap.de/def/contributors/';
export const OPEN_NRW = `${CONTRIBUTORS}openNRW`;
export const isContributorId = (iri: string) => /^http:\/\/dcat-ap\.de\/def\/contributors\/[A-Za-z0-9_-]+$/.test(iri);
