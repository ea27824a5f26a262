import { table, Vocabulary } from './vocabulary.js';

/** EU Publications Office authority tables: concept IRI = base + code. */
const EU = 'http://publications.europa.eu/resource/authority/';

export const themes = new Vocabulary(
  'theme',
  `${EU}data-theme/`,
  table(`${EU}data-theme/`, [
    ['AGRI', 'Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel', 'Agriculture, fisheries, forestry and food'],
    ['ECON', 'Wirtschaft und Finanzen', 'Economy and finance'],
    ['EDUC', 'Bildung, Kultur und Sport', 'Education, culture and sport'],
    ['ENER', 'Energie', 'Energy'],
    ['ENVI', 'Umwelt', 'Environment'],
    ['GOVE', 'Regierung und öffentlicher Sektor', 'Government and public sector'],
    ['HEAL', 'Gesundheit', 'Health'],
    ['INTR', 'Internationale Themen', 'International issues'],
    ['JUST', 'Justiz, Rechtssystem und öffentliche Sicherheit', 'Justice, legal system and public safety'],
    ['REGI', 'Regionen und Städte', 'Regions and cities'],
    ['SOCI', 'Bevölkerung und Gesellschaft', 'Population and society'],
    ['TECH', 'Wissenschaft und Technologie', 'Science and technology'],
    ['TRAN', 'Verkehr', 'Transport'],
  ]),
);

export const frequencies = new Vocabulary(
  'frequency',
  `${EU}frequency/`,
  table(`${EU}frequency/`, [
    ['ANNUAL', 'jährlich', 'annual'],
    ['ANNUAL_2', 'halbjährlich', 'semiannual'],
    ['ANNUAL_3', 'dreimal im Jahr', 'three times a year'],
    ['BIDECENNIAL', 'alle zwanzig Jahre', 'bidecennial'],
    ['BIENNIAL', 'alle zwei Jahre', 'biennial'],
    ['BIHOURLY', 'alle zwei Stunden', 'bihourly'],
    ['BIMONTHLY', 'alle zwei Monate', 'bimonthly'],
    ['BIWEEKLY', 'vierzehntägig', 'biweekly'],
    ['CONT', 'kontinuierlich', 'continuous'],
    ['DAILY', 'täglich', 'daily'],
    ['DAILY_2', 'zweimal täglich', 'twice a day'],
    ['DECENNIAL', 'alle zehn Jahre', 'decennial'],
    ['HOURLY', 'stündlich', 'hourly'],
    ['IRREG', 'unregelmäßig', 'irregular'],
    ['MONTHLY', 'monatlich', 'monthly'],
    ['MONTHLY_2', 'zweimal im Monat', 'semimonthly'],
    ['MONTHLY_3', 'dreimal im Monat', 'three times a month'],
    ['NEVER', 'nie', 'never'],
    ['OP_DATPRO', 'vorläufige Daten', 'provisional data'],
    ['OTHER', 'sonstige', 'other'],
    ['QUADRENNIAL', 'alle vier Jahre', 'quadrennial'],
    ['QUARTERLY', 'vierteljährlich', 'quarterly'],
    ['QUINQUENNIAL', 'alle fünf Jahre', 'quinquennial'],
    ['TRIDECENNIAL', 'alle dreißig Jahre', 'tridecennial'],
    ['TRIENNIAL', 'alle drei Jahre', 'triennial'],
    ['TRIHOURLY', 'alle drei Stunden', 'trihourly'],
    ['UNKNOWN', 'unbekannt', 'unknown'],
    ['UPDATE_CONT', 'laufend aktualisiert', 'continuously updated'],
    ['WEEKLY', 'wöchentlich', 'weekly'],
    ['WEEKLY_2', 'zweimal wöchentlich', 'semiweekly'],
    ['WEEKLY_3', 'dreimal wöchentlich', 'three times a week'],
  ]),
  { täglich: 'DAILY', woechentlich: 'WEEKLY', wöchentlich: 'WEEKLY', monatlich: 'MONTHLY', jährlich: 'ANNUAL', jaehrlich: 'ANNUAL', yearly: 'ANNUAL', annually: 'ANNUAL', quartalsweise: 'QUARTERLY', vierteljährlich: 'QUARTERLY', unregelmäßig: 'IRREG', continuous: 'CONT', irregular: 'IRREG' },
);

// The EU's official languages (ISO 639-2/B-based codes of the authority table) with their BCP 47 tags.
const LANGS: readonly (readonly [string, string, string, string])[] = [
  ['DEU', 'de', 'Deutsch', 'German'],
  ['ENG', 'en', 'Englisch', 'English'],
  ['FRA', 'fr', 'Französisch', 'French'],
  ['NLD', 'nl', 'Niederländisch', 'Dutch'],
  ['POL', 'pl', 'Polnisch', 'Polish'],
  ['ITA', 'it', 'Italienisch', 'Italian'],
  ['SPA', 'es', 'Spanisch', 'Spanish'],
  ['POR', 'pt', 'Portugiesisch', 'Portuguese'],
  ['DAN', 'da', 'Dänisch', 'Danish'],
  ['SWE', 'sv', 'Schwedisch', 'Swedish'],
  ['FIN', 'fi', 'Finnisch', 'Finnish'],
  ['ELL', 'el', 'Griechisch', 'Greek'],
  ['CES', 'cs', 'Tschechisch', 'Czech'],
  ['SLK', 'sk', 'Slowakisch', 'Slovak'],
  ['SLV', 'sl', 'Slowenisch', 'Slovenian'],
  ['HUN', 'hu', 'Ungarisch', 'Hungarian'],
  ['RON', 'ro', 'Rumänisch', 'Romanian'],
  ['BUL', 'bg', 'Bulgarisch', 'Bulgarian'],
  ['HRV', 'hr', 'Kroatisch', 'Croatian'],
  ['EST', 'et', 'Estnisch', 'Estonian'],
  ['LAV', 'lv', 'Lettisch', 'Latvian'],
  ['LIT', 'lt', 'Litauisch', 'Lithuanian'],
  ['MLT', 'mt', 'Maltesisch', 'Maltese'],
  ['GLE', 'ga', 'Irisch', 'Irish'],
  ['TUR', 'tr', 'Türkisch', 'Turkish'],
  ['RUS', 'ru', 'Russisch', 'Russian'],
  ['UKR', 'uk', 'Ukrainisch', 'Ukrainian'],
  ['ARA', 'ar', 'Arabisch', 'Arabic'],
];
const BCP47 = new Map(LANGS.map(([code, tag]) => [code, tag]));
const langAliases: Record<string, string> = { ger: 'DEU', 'de-DE': 'DEU', 'en-GB': 'ENG', 'en-US': 'ENG', fre: 'FRA', dut: 'NLD', gre: 'ELL', cze: 'CES', slo: 'SLK', rum: 'RON' };
for (const [code, tag] of LANGS) langAliases[tag] = code;

export const languages = new Vocabulary('language', `${EU}language/`, LANGS.map(([code, , de, en]) => ({ code, iri: `${EU}language/${code}`, label: { de, en } })), langAliases);

/** 'de' for the EU language IRI of German; undefined for an unknown IRI. */
export function toBcp47(iri: string): string | undefined {
  const c = languages.byIri(iri);
  return c ? BCP47.get(c.code) : undefined;
}

export function fromBcp47(tag: string): string | undefined {
  return languages.resolve(tag)?.iri ?? languages.resolve(tag.split('-')[0])?.iri;
}

export const accessRights = new Vocabulary(
  'accessRight',
  `${EU}access-right/`,
  table(`${EU}access-right/`, [
    ['PUBLIC', 'öffentlich', 'public'],
    ['RESTRICTED', 'eingeschränkt', 'restricted'],
    ['NON_PUBLIC', 'nicht öffentlich', 'non-public'],
    ['CONFIDENTIAL', 'vertraulich', 'confidential'],
    ['SENSITIVE', 'sensibel', 'sensitive'],
  ]),
);

export const plannedAvailability = new Vocabulary(
  'plannedAvailability',
  `${EU}planned-availability/`,
  table(`${EU}planned-availability/`, [
    ['AVAILABLE', 'verfügbar', 'available'],
    ['EXPERIMENTAL', 'experimentell', 'experimental'],
    ['STABLE', 'stabil', 'stable'],
    ['TEMPORARY', 'vorübergehend', 'temporary'],
    ['OP_DATPRO', 'vorläufig', 'provisional'],
  ]),
  // The deprecated dcatde:plannedAvailability list maps one to one.
  Object.fromEntries(['temporary', 'experimental', 'available', 'stable'].map((x) => [`http://dcat-ap.de/def/plannedAvailability/${x}`, x.toUpperCase()])),
);

export const datasetTypes = new Vocabulary(
  'datasetType',
  `${EU}dataset-type/`,
  table(`${EU}dataset-type/`, [
    ['STATISTICAL', 'statistische Daten', 'statistical data'],
    ['GEOSPATIAL', 'Geodaten', 'geospatial data'],
    ['TEST_DATA', 'Testdaten', 'test data'],
    ['SYNTHETIC_DATA', 'synthetische Daten', 'synthetic data'],
    ['HVD', 'hochwertige Daten', 'high-value dataset'],
  ]),
);

/** Distribution status: ADMS for DCAT-AP.de 2.0, the EU table for 3.0; each maps to the other. */
export const distributionStatusEu = new Vocabulary(
  'distributionStatus',
  `${EU}distribution-status/`,
  table(`${EU}distribution-status/`, [
    ['COMPLETED', 'abgeschlossen', 'completed'],
    ['DEPRECATED', 'veraltet', 'deprecated'],
    ['WITHDRAWN', 'zurückgezogen', 'withdrawn'],
    ['DEVELOP', 'in Entwicklung', 'under development'],
  ]),
);
