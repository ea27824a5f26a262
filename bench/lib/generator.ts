import { PARTNERS, geocodingLevelUriOf, geocodingUriOf, type Partner } from '../../src/domain/region.js';
import { slugify } from '../../src/catalog/normalize.js';
import type { Dataset } from '../../src/domain/model.js';

/**
 * Deterministic generator of DCAT-AP.de dataset documents as a data steward
 * or a harvest source would send them (the input of the catalog's write
 * path). Same seed, same documents, on every machine: only the seeded PRNG
 * decides, never Math.random or the clock.
 */

/** mulberry32: tiny, fast, good enough for test data; state is one 32-bit integer. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** k distinct items (k clipped to the list). */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    return out;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1][0];
  }
}

export const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
export const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
export const FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';
export const LANGUAGE = 'http://publications.europa.eu/resource/authority/language/';
export const LICENSE = 'http://dcat-ap.de/def/licenses/';

/** Licences as municipal portals in NRW use them (weights roughly as on GovData). */
export const LICENSES: readonly (readonly [string, number])[] = [
  [`${LICENSE}dl-by-de/2.0`, 40],
  [`${LICENSE}dl-zero-de/2.0`, 30],
  [`${LICENSE}cc-by/4.0`, 10],
  [`${LICENSE}cc-zero`, 6],
  [`${LICENSE}odbl`, 4],
  [`${LICENSE}cc-by-sa/4.0`, 3],
  [`${LICENSE}officialWork`, 3],
  [`${LICENSE}other-open`, 2],
  [`${LICENSE}dl-by-nc-de/1.0`, 1],
  [`${LICENSE}other-closed`, 1],
];

/** EU file type code → IANA media type. */
export const FORMATS: Record<string, string> = {
  CSV: 'text/csv',
  JSON: 'application/json',
  GEOJSON: 'application/geo+json',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  PDF: 'application/pdf',
  XML: 'application/xml',
  SHP: 'application/x-shapefile',
  KML: 'application/vnd.google-earth.kml+xml',
  WMS_SRVC: 'application/vnd.ogc.wms_xml',
  WFS_SRVC: 'application/vnd.ogc.wfs_xml',
  GML: 'application/gml+xml',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
  HTML: 'text/html',
  ZIP: 'application/zip',
};

const FREQUENCIES = ['ANNUAL', 'ANNUAL', 'QUARTERLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'IRREG', 'NEVER', 'UPDATE_CONT', 'BIENNIAL'];
const FREQUENCY_WORD: Record<string, string> = {
  ANNUAL: 'jährlich',
  QUARTERLY: 'vierteljährlich',
  MONTHLY: 'monatlich',
  WEEKLY: 'wöchentlich',
  DAILY: 'täglich',
  IRREG: 'unregelmäßig',
  NEVER: 'nicht mehr',
  UPDATE_CONT: 'laufend',
  BIENNIAL: 'alle zwei Jahre',
};

/**
 * Topics of a municipal catalog. `sg`/`pl` are the singular and plural (the
 * stemming cases a German search must join: Haltestelle/Haltestellen,
 * Baum/Bäume, Kindergarten/Kindergärten); `forms` are further inflected or
 * compound forms (Verkehrs, Straßenbäume) used in texts.
 */
export interface Topic {
  sg: string;
  pl: string;
  forms: string[];
  themes: string[];
  keywords: string[];
  formats: string[];
  titles: string[];
}

export const TOPICS: readonly Topic[] = [
  { sg: 'Haltestelle', pl: 'Haltestellen', forms: ['Bushaltestelle', 'Haltestellenverzeichnis'], themes: ['TRAN'], keywords: ['ÖPNV', 'Bus', 'Nahverkehr', 'Haltestellen'], formats: ['CSV', 'GEOJSON', 'JSON', 'KML'], titles: ['Haltestellen des ÖPNV in {place}', 'Barrierefreie Haltestelle: Ausbauzustand {place} {year}'] },
  { sg: 'Schule', pl: 'Schulen', forms: ['Schulstandorte', 'Schülerzahlen', 'Grundschule'], themes: ['EDUC'], keywords: ['Bildung', 'Schulen', 'Schulstandorte'], formats: ['CSV', 'GEOJSON', 'XLSX', 'PDF'], titles: ['Schulen in {place}', 'Schülerzahlen je Schule {place} {year}', 'Offene Ganztagsschule: Plätze {year}'] },
  { sg: 'Baum', pl: 'Bäume', forms: ['Baumkataster', 'Straßenbäume', 'Baumarten'], themes: ['ENVI', 'AGRI'], keywords: ['Baumkataster', 'Umwelt', 'Stadtgrün', 'Bäume'], formats: ['CSV', 'GEOJSON', 'SHP', 'WFS_SRVC'], titles: ['Baumkataster {place}', 'Straßenbäume in {place} {year}', 'Bäume im öffentlichen Raum {place}'] },
  { sg: 'Kindergarten', pl: 'Kindergärten', forms: ['Kindertagesstätten', 'Kita-Plätze', 'Kindergartenplätze'], themes: ['EDUC', 'SOCI'], keywords: ['Kinderbetreuung', 'Kita', 'Kindergärten'], formats: ['CSV', 'GEOJSON', 'PDF'], titles: ['Kindergärten und Kitas in {place}', 'Betreuungsplätze im Kindergarten {place} {year}'] },
  { sg: 'Verkehr', pl: 'Verkehrszählungen', forms: ['Verkehrs', 'Verkehrsstärken', 'Verkehrsunfälle', 'Straßenverkehr'], themes: ['TRAN'], keywords: ['Verkehr', 'Mobilität', 'Verkehrszählung'], formats: ['CSV', 'JSON', 'XLSX'], titles: ['Verkehrszählung {place} {year}', 'Verkehrsunfälle im Kreisgebiet {year}', 'Ruhender Verkehr: Parkraumerhebung {place}'] },
  { sg: 'Parkplatz', pl: 'Parkplätze', forms: ['Parkhäuser', 'Parkraum', 'Behindertenparkplätze'], themes: ['TRAN'], keywords: ['Parken', 'Parkplätze', 'Mobilität'], formats: ['CSV', 'GEOJSON', 'JSON'], titles: ['Parkplätze und Parkhäuser {place}', 'Behindertenparkplätze in {place}'] },
  { sg: 'Ladesäule', pl: 'Ladesäulen', forms: ['Ladeinfrastruktur', 'Elektromobilität', 'Ladepunkte'], themes: ['ENER', 'TRAN'], keywords: ['E-Mobilität', 'Ladesäulen', 'Energie'], formats: ['CSV', 'GEOJSON', 'JSON'], titles: ['Ladesäulen für Elektrofahrzeuge {place}', 'Öffentliche Ladeinfrastruktur {year}'] },
  { sg: 'Spielplatz', pl: 'Spielplätze', forms: ['Spielflächen', 'Bolzplätze'], themes: ['SOCI', 'EDUC'], keywords: ['Freizeit', 'Spielplätze', 'Familie'], formats: ['CSV', 'GEOJSON', 'KML'], titles: ['Spielplätze in {place}', 'Spielplatz-Kataster {place} {year}'] },
  { sg: 'Wahl', pl: 'Wahlen', forms: ['Wahlergebnisse', 'Kommunalwahl', 'Wahlbezirke', 'Wahlbeteiligung'], themes: ['GOVE'], keywords: ['Wahlen', 'Politik', 'Wahlergebnis'], formats: ['CSV', 'JSON', 'XML', 'PDF'], titles: ['Wahlergebnisse der Kommunalwahl {year} in {place}', 'Wahlbezirke {place}', 'Bundestagswahl {year}: Ergebnisse {place}'] },
  { sg: 'Haushalt', pl: 'Haushaltspläne', forms: ['Haushaltsplan', 'Haushaltssatzung', 'Finanzen'], themes: ['ECON', 'GOVE'], keywords: ['Haushalt', 'Finanzen', 'Kommunalfinanzen'], formats: ['CSV', 'XLSX', 'PDF'], titles: ['Haushaltsplan {year} {place}', 'Jahresabschluss {year} der {place}'] },
  { sg: 'Einwohner', pl: 'Einwohner', forms: ['Einwohnerzahlen', 'Bevölkerungsstand', 'Bevölkerungsentwicklung', 'Bevölkerung'], themes: ['SOCI', 'GOVE'], keywords: ['Bevölkerung', 'Statistik', 'Einwohner'], formats: ['CSV', 'XLSX', 'JSON'], titles: ['Einwohnerzahlen nach Stadtteilen {place} {year}', 'Bevölkerungsentwicklung {place} seit {year}'] },
  { sg: 'Straße', pl: 'Straßen', forms: ['Straßenverzeichnis', 'Straßennamen', 'Straßenreinigung'], themes: ['TRAN', 'REGI'], keywords: ['Straßen', 'Straßenverzeichnis', 'Adressen'], formats: ['CSV', 'XML', 'GML'], titles: ['Straßenverzeichnis {place}', 'Straßenreinigung: Reinigungsklassen {place}', 'Gesperrte Straßen und Baustellen {place}'] },
  { sg: 'Gewässer', pl: 'Gewässer', forms: ['Gewässergüte', 'Fließgewässer', 'Pegelstände'], themes: ['ENVI'], keywords: ['Wasser', 'Gewässer', 'Umwelt', 'Lippe', 'Ruhr'], formats: ['CSV', 'WMS_SRVC', 'WFS_SRVC', 'SHP'], titles: ['Gewässergüte der Fließgewässer {year}', 'Pegelstände an Ruhr und Lippe {place}'] },
  { sg: 'Messstation', pl: 'Messstationen', forms: ['Luftqualität', 'Feinstaub', 'Stickstoffdioxid', 'Lärmkartierung'], themes: ['ENVI', 'HEAL'], keywords: ['Luftqualität', 'Umwelt', 'Messwerte'], formats: ['CSV', 'JSON', 'XML'], titles: ['Luftqualität an Messstationen {place} {year}', 'Lärmkartierung {place} {year}'] },
  { sg: 'Bebauungsplan', pl: 'Bebauungspläne', forms: ['Bauleitplanung', 'Flächennutzungsplan', 'Baugebiete'], themes: ['REGI', 'GOVE'], keywords: ['Bauleitplanung', 'Bebauungspläne', 'Stadtplanung'], formats: ['PDF', 'WMS_SRVC', 'GML', 'SHP'], titles: ['Bebauungspläne {place}', 'Flächennutzungsplan {place}', 'Neue Baugebiete {year}'] },
  { sg: 'Sportstätte', pl: 'Sportstätten', forms: ['Sporthallen', 'Sportplätze', 'Schwimmbäder'], themes: ['EDUC', 'SOCI'], keywords: ['Sport', 'Sportstätten', 'Freizeit'], formats: ['CSV', 'GEOJSON'], titles: ['Sportstätten und Sporthallen {place}', 'Belegung der Schwimmbäder {year}'] },
  { sg: 'Denkmal', pl: 'Denkmäler', forms: ['Baudenkmäler', 'Denkmalliste', 'Bodendenkmäler'], themes: ['EDUC'], keywords: ['Kultur', 'Denkmäler', 'Denkmalschutz'], formats: ['CSV', 'PDF', 'GEOJSON'], titles: ['Denkmalliste {place}', 'Baudenkmäler in {place}'] },
  { sg: 'Apotheke', pl: 'Apotheken', forms: ['Notdienstapotheken', 'Ärzte', 'Krankenhäuser'], themes: ['HEAL'], keywords: ['Gesundheit', 'Apotheken', 'Notdienst'], formats: ['CSV', 'JSON', 'GEOJSON'], titles: ['Apotheken und Notdienste {place}', 'Krankenhäuser im Kreis Unna {year}'] },
  { sg: 'Radweg', pl: 'Radwege', forms: ['Radverkehr', 'Fahrradstraßen', 'Radverkehrsnetz'], themes: ['TRAN', 'ENVI'], keywords: ['Radverkehr', 'Radwege', 'Fahrrad', 'Mobilität'], formats: ['GEOJSON', 'GML', 'KML', 'CSV'], titles: ['Radwege und Radverkehrsnetz {place}', 'Fahrradzählstellen {place} {year}'] },
  { sg: 'Wertstoffhof', pl: 'Wertstoffhöfe', forms: ['Abfallkalender', 'Altkleidercontainer', 'Müllabfuhr'], themes: ['ENVI', 'GOVE'], keywords: ['Abfall', 'Entsorgung', 'Wertstoffhöfe'], formats: ['CSV', 'JSON', 'PDF', 'HTML'], titles: ['Abfallkalender {year} {place}', 'Wertstoffhöfe und Containerstandorte {place}'] },
  { sg: 'Maßnahme', pl: 'Maßnahmen', forms: ['Klimaschutzmaßnahmen', 'Förderprogramme', 'Fußgängerzone'], themes: ['ENVI', 'GOVE', 'ECON'], keywords: ['Klimaschutz', 'Maßnahmen', 'Förderung'], formats: ['PDF', 'CSV', 'XLSX'], titles: ['Klimaschutzmaßnahmen {place} {year}', 'Fußgängerzone: Passantenfrequenz {place} {year}'] },
  { sg: 'Gewerbe', pl: 'Gewerbeanmeldungen', forms: ['Gewerbeflächen', 'Wirtschaftsförderung', 'Arbeitslosenquote'], themes: ['ECON'], keywords: ['Wirtschaft', 'Gewerbe', 'Arbeitsmarkt'], formats: ['CSV', 'XLSX', 'JSON'], titles: ['Gewerbeanmeldungen {place} {year}', 'Freie Gewerbeflächen {place}', 'Arbeitsmarktdaten {year}'] },
  { sg: 'Breitband', pl: 'Breitbandanschlüsse', forms: ['Glasfaserausbau', 'Mobilfunk', 'WLAN-Hotspots'], themes: ['TECH'], keywords: ['Digitalisierung', 'Breitband', 'Glasfaser'], formats: ['CSV', 'GEOJSON', 'WMS_SRVC'], titles: ['Breitbandverfügbarkeit {place} {year}', 'Öffentliche WLAN-Hotspots {place}'] },
  { sg: 'Feuerwehr', pl: 'Feuerwehren', forms: ['Rettungsdienst', 'Einsätze', 'Feuerwachen'], themes: ['JUST', 'GOVE'], keywords: ['Sicherheit', 'Feuerwehr', 'Rettungsdienst'], formats: ['CSV', 'PDF'], titles: ['Einsätze der Feuerwehr {place} {year}', 'Standorte der Feuerwachen {place}'] },
];

/** Rough centre (lon, lat) of each partner, for spatial coverage. */
const CENTRES: Record<string, [number, number]> = {
  'kreis-unna': [7.69, 51.55],
  bergkamen: [7.64, 51.62],
  boenen: [7.76, 51.6],
  'froendenberg-ruhr': [7.76, 51.47],
  holzwickede: [7.62, 51.5],
  kamen: [7.66, 51.59],
  luenen: [7.53, 51.61],
  schwerte: [7.56, 51.44],
  selm: [7.47, 51.69],
  unna: [7.69, 51.54],
  werne: [7.63, 51.66],
};

/** Place names as texts use them: "Stadt Bergkamen" → "Bergkamen". */
export function placeOf(p: Partner): string {
  return p.title.replace(/^(Kreisstadt|Stadt|Gemeinde) /, '');
}

const SENTENCES = [
  'Der Datensatz enthält {pl} im Gebiet von {place}.',
  'Erfasst sind Lage, Art und Zustand der {pl}.',
  'Jeder Eintrag beschreibt ein Objekt vom Typ {sg} mit Adresse und Koordinaten.',
  'Die Daten werden {frequency} aktualisiert und stammen aus dem Fachverfahren der Verwaltung.',
  'Grundlage ist die Erhebung des Jahres {year}; ältere Stände sind im Archiv verfügbar.',
  'Zusätzlich werden {form} ausgewiesen.',
  'Die Angaben zum Thema {form} beziehen sich auf den Stichtag 31.12.{year}.',
  'Fragen zur Nutzung beantwortet das Team Open Data der {org}.',
  'Für {pl} außerhalb von {place} ist der Kreis Unna zuständig.',
  'Die Geometrien liegen im Koordinatensystem ETRS89/UTM 32N vor.',
  'Hinweis: Größe und Maßstab der Karten können je nach Format abweichen.',
];

/** Skewed towards few distributions, as real catalogs are: 1–8. */
const DIST_COUNTS: readonly (readonly [number, number])[] = [
  [1, 30],
  [2, 28],
  [3, 18],
  [4, 10],
  [5, 6],
  [6, 4],
  [7, 2],
  [8, 2],
];

/** Kreis Unna publishes more than any one town. */
const ORG_WEIGHTS: readonly (readonly [Partner, number])[] = PARTNERS.map((p) => [p, p.level === 'administrativeDistrict' ? 25 : 7.5] as const);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fill = (tpl: string, vars: Record<string, string>) => tpl.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
const domainOf = (p: Partner) => new URL(p.homepage).hostname.replace(/^www\./, '');

function date(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.int(fromYear, toYear)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

function bbox([lon, lat]: [number, number], r: number): string {
  const f = (x: number) => x.toFixed(4);
  return `POLYGON((${f(lon - r)} ${f(lat - r)}, ${f(lon + r)} ${f(lat - r)}, ${f(lon + r)} ${f(lat + r)}, ${f(lon - r)} ${f(lat + r)}, ${f(lon - r)} ${f(lat - r)}))`;
}

export type GeneratedDataset = Dataset & { name: string; organization: string };
type Node = Record<string, unknown>;

/** One dataset; `index` makes the name unique within a generated catalog. */
export function generateDataset(rng: Rng, index: number): GeneratedDataset {
  const org = rng.weighted(ORG_WEIGHTS);
  const topic = rng.pick(TOPICS);
  const place = placeOf(org);
  const year = String(rng.int(2010, 2024));
  const frequency = rng.pick(FREQUENCIES);
  const vars = { place, year, sg: topic.sg, pl: topic.pl, org: org.title, frequency: FREQUENCY_WORD[frequency], form: rng.pick(topic.forms) };
  const title = fill(rng.pick(topic.titles), vars);
  const sentences = rng.sample(SENTENCES, rng.int(2, 5)).map((s) => fill(s, { ...vars, form: rng.pick(topic.forms) }));
  const description = sentences.join(' ');
  const keywords = [...new Set([...rng.sample(topic.keywords, rng.int(1, topic.keywords.length)), place, ...(rng.chance(0.3) ? [rng.pick(topic.forms)] : [])])];
  const themes = rng.sample(topic.themes, rng.int(1, topic.themes.length)).map((t) => THEME + t);
  const domain = domainOf(org);
  const slug = `${slugify(title).slice(0, 80)}-${index.toString(36)}`;
  const base = `https://opendata.${domain}/${slug}`;
  const license = rng.weighted(LICENSES);
  const issued = date(rng, 2012, 2023);
  const changed = date(rng, Number(issued.slice(0, 4)), 2024);
  const modified = `${changed < issued ? issued : changed}T${pad(rng.int(6, 18))}:${pad(rng.int(0, 59))}:00Z`;

  const distributions: Node[] = [];
  const n = rng.weighted(DIST_COUNTS);
  for (let i = 0; i < n; i++) {
    const format = i === 0 ? topic.formats[0] : rng.pick([...topic.formats, ...Object.keys(FORMATS)]);
    const ext = format.toLowerCase().replace(/_srvc$/, '');
    const service = format.endsWith('_SRVC');
    const url = service ? `https://geodienste.${domain}/${ext}/${slug}?SERVICE=${ext.toUpperCase()}&REQUEST=GetCapabilities` : `${base}/${slug}-${i + 1}.${ext}`;
    const dist: Node = {
      '@type': 'Distribution',
      title: { de: `${title} (${format.replace('_SRVC', '-Dienst')})` },
      accessURL: [service ? url : `${base}/`],
      ...(service ? {} : { downloadURL: [url] }),
      // Mostly one licence per dataset; now and then a distribution differs.
      license: rng.chance(0.9) ? license : rng.weighted(LICENSES),
      format: FILE_TYPE + format,
      mediaType: `https://www.iana.org/assignments/media-types/${FORMATS[format]}`,
      ...(service ? {} : { byteSize: rng.int(512, 50_000_000) }),
      modified: modified.slice(0, 10),
    };
    const lic = dist.license as string;
    if (lic.includes('/dl-by-de/') || lic.includes('/cc-by/')) dist.licenseAttributionByText = { de: `${org.title} (${year})` };
    if (rng.chance(0.3)) dist.description = { de: `Stand ${modified.slice(0, 10)}, Format ${format}.` };
    distributions.push(dist);
  }

  const doc: Node = {
    '@type': 'Dataset',
    title: { de: title },
    description: { de: description },
    keyword: { de: keywords },
    theme: themes,
    publisher: { '@type': 'Organization', name: { de: org.title }, homepage: org.homepage, type: 'http://purl.org/adms/publishertype/LocalAuthority' },
    contactPoint: [
      {
        '@type': 'Organization',
        fn: `Open Data – ${org.title}`,
        hasEmail: `mailto:opendata@${domain}`,
        hasURL: `${org.homepage}/opendata`,
        ...(rng.chance(0.5) ? { hasTelephone: `tel:+49${rng.int(2300, 2399)}${rng.int(100000, 999999)}` } : {}),
      },
    ],
    distribution: distributions,
    identifier: `${org.key}-${slug}`,
    issued,
    modified,
    language: [`${LANGUAGE}DEU`, ...(rng.chance(0.1) ? [`${LANGUAGE}ENG`] : [])],
    landingPage: [`${org.homepage}/opendata/${slug}`],
    accrualPeriodicity: FREQUENCY + frequency,
    spatial: rng.chance(0.6) ? [{ '@type': 'Location', prefLabel: { de: place }, bbox: bbox(CENTRES[org.name], org.level === 'municipality' ? 0.05 : 0.15) }] : [geocodingUriOf(org)],
    temporal: [{ '@type': 'PeriodOfTime', startDate: `${year}-01-01`, ...(rng.chance(0.7) ? { endDate: `${Math.min(Number(year) + rng.int(0, 5), 2024)}-12-31` } : {}) }],
    politicalGeocodingURI: [geocodingUriOf(org)],
    politicalGeocodingLevelURI: [geocodingLevelUriOf(org)],
    name: slug,
    organization: org.name,
  };
  if (rng.chance(0.15)) doc.title = { de: title, en: `Open data: ${title}` };
  // The model's static type cannot express '@type' literals; the tests check every document against the schema itself.
  return doc as unknown as GeneratedDataset;
}

/**
 * N datasets from a seed, one at a time: constant memory, so 100k or 1M can
 * be streamed into a database.
 */
export function* generateDatasets(n: number, seed: number): Generator<GeneratedDataset> {
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) yield generateDataset(rng, i);
}
