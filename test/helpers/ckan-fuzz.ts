import { Rng } from '../../bench/lib/generator.js';

/**
 * Random model nodes for comparing the package dict's fast paths with the
 * rules' definition: every term the rules know (and some they do not), each
 * with values of the shapes the model allows and of shapes only a careless
 * harvest or an old document would have (empty strings, numbers, nulls,
 * extra keys, properties set to undefined, agents without names, ...).
 */

type Node = Record<string, unknown>;

const FT = 'http://publications.europa.eu/resource/authority/file-type/';
const IANA = 'https://www.iana.org/assignments/media-types/';

const STRINGS = [
  '', 'x', 'Haushalt', 'Straßen und Wege', 'mailto:a@example.org', 'MAILTO:a@example.org', 'mailto:', 'mailto:a:b', 'a@example.org',
  'tel:+49 2303 27-0', 'tel:+492303270', '+49 2303', 'tel:', 'https://example.org/a', 'http://example.org/x,y', 'a,b', 'a, ,b', ' padded ',
  '["a","b"]', '["a"]', '[1,2]', '[', '[]', '{"a":1}', 'Organization', 'Person', 'Agent', 'P1D', 'CSV', 'csv', 'GeoJSON', `${FT}CSV`, `${FT}GEOJSON`,
  `${FT}WMS_SRVC`, 'https://example.org/format/x', 'text/csv', `${IANA}text/csv`, `${IANA}application/geo+json`, 'application/json', `${IANA}x/unknown`,
  'http://dcat-ap.de/def/licenses/dl-by-de/2.0', 'dl-de-by-2.0', 'cc-zero', 'http://dcat-ap.de/def/licenses/unknown', '2020-01-01',
  '2020-01-01T10:00:00Z', '12.5', '10', '1e3', 'NaN', 'null', 'true', 'de', 'Stadt Fröndenberg/Ruhr', 'Zeile\nzwei', 'Anführung "x"',
  'http://publications.europa.eu/resource/authority/data-theme/ENVI', 'http://publications.europa.eu/resource/authority/data-theme/GOVE', 'ENVI',
];
// NaN and Infinity cannot come from JSON, but a document built in code could hold them.
const NUMBERS = [0, 5, -0, 1.5, 12.5, -3, 1e21, 2048, 0.1, NaN, Infinity];
const LANGS = ['de', 'en', '@none', 'fr'];
const AGENT_KEYS = ['@id', '@type', 'name', 'mbox', 'homepage', 'type', 'extra'];
const CONTACT_KEYS = ['@id', '@type', 'fn', 'hasEmail', 'hasURL', 'hasTelephone', 'hasAddress', 'extra'];
const ADDRESS_KEYS = ['streetAddress', 'locality', 'postalCode', 'countryName', '@type'];
const PERIOD_KEYS = ['startDate', 'endDate', '@id', '@type'];
const CHECKSUM_KEYS = ['algorithm', 'checksumValue', '@id', '@type'];

export class Fuzz {
  constructor(readonly rng: Rng) {}

  string(): string {
    return this.rng.pick(STRINGS);
  }

  /** A string most of the time, sometimes anything else. */
  scalar(): unknown {
    const r = this.rng.next();
    if (r < 0.7) return this.string();
    if (r < 0.85) return this.rng.pick(NUMBERS);
    if (r < 0.9) return this.rng.chance(0.5);
    if (r < 0.95) return null;
    return this.rng.chance(0.5) ? [this.string()] : { de: this.string() };
  }

  langMap(): Node {
    const out: Node = {};
    const n = this.rng.weighted([
      [1, 6],
      [2, 2],
      [0, 1],
      [3, 1],
    ]);
    for (let i = 0; i < n; i++) out[this.rng.pick(LANGS)] = this.rng.chance(0.9) ? this.string() : this.scalar();
    return out;
  }

  text(): unknown {
    const r = this.rng.next();
    return r < 0.75 ? this.langMap() : r < 0.9 ? this.string() : this.scalar();
  }

  /** An object with some of `keys`, values from `value`; now and then a key set to undefined. */
  object(keys: readonly string[], value: (k: string) => unknown): Node {
    // Rarely an object not made by JSON.parse: one inheriting an enumerable key.
    const out: Node = this.rng.chance(0.03) ? Object.create({ inherited: 'x' }) : {};
    for (const k of this.rng.sample(keys, this.rng.int(0, keys.length))) out[k] = value(k);
    if (this.rng.chance(0.05)) out[this.rng.pick(keys)] = undefined;
    return out;
  }

  agent(): Node {
    return this.object(AGENT_KEYS, (k) => {
      if (k === 'name') return this.rng.chance(0.97) ? this.text() : null;
      if (k === '@type') return this.rng.pick(['Organization', 'Person', 'Agent', '', 'Organization']);
      if (k === 'mbox') return this.rng.pick(['mailto:a@example.org', 'MAILTO:a@example.org', 'a@example.org', 'mailto:', 'mailto:a:b', 'tel:+49', '', 5]);
      return this.rng.chance(0.85) ? this.string() : this.scalar();
    });
  }

  contact(): Node {
    return this.object(CONTACT_KEYS, (k) => {
      if (k === 'hasAddress') return this.rng.chance(0.9) ? this.object(ADDRESS_KEYS, () => (this.rng.chance(0.9) ? this.string() : this.scalar())) : this.scalar();
      if (k === 'hasTelephone') return this.rng.pick(['tel:+49 2303 27-0', 'tel:+492303270', '+492303', 'tel:', '', 'TEL:+49', 17]);
      if (k === 'hasEmail') return this.rng.pick(['mailto:a@example.org', 'a@example.org', 'mailto:', 'MAILTO:x@y.de', '', null]);
      return this.rng.chance(0.85) ? this.string() : this.scalar();
    });
  }

  period(): Node {
    return this.object(PERIOD_KEYS, () => (this.rng.chance(0.85) ? this.rng.pick(['2020-01-01', '2021-12-31', '', 'https://example.org/p']) : this.scalar()));
  }

  checksum(): unknown {
    if (this.rng.chance(0.1)) return this.scalar();
    return this.object(CHECKSUM_KEYS, () => (this.rng.chance(0.85) ? this.rng.pick(['abc123', 'http://spdx.org/rdf/terms#checksumAlgorithm_sha1', '', 'x']) : this.scalar()));
  }

  /** One to three of `item`, sometimes none, sometimes not a list at all. */
  list(item: () => unknown): unknown {
    const r = this.rng.next();
    if (r < 0.05) return [];
    if (r < 0.1) return item();
    const n = this.rng.weighted([
      [1, 7],
      [2, 2],
      [3, 1],
    ]);
    return Array.from({ length: n }, item);
  }

  spatialItem(): unknown {
    const r = this.rng.next();
    if (r < 0.4) return this.string();
    if (r < 0.7) return this.rng.chance(0.8) ? { geometry: this.rng.pick(['POINT(7 51)', '', '{"type":"Point"}']) } : { geometry: 'POINT(7 51)', '@type': 'Location' };
    if (r < 0.9) return { '@type': 'Location', prefLabel: { de: 'Unna' }, bbox: 'POLYGON((7 51, 8 51, 8 52, 7 51))' };
    return this.scalar();
  }

  seriesItem(): unknown {
    const r = this.rng.next();
    if (r < 0.5) return this.string();
    if (r < 0.8) return { '@id': this.string(), '@type': 'DatasetSeries', title: this.text() };
    if (r < 0.9) return { title: this.text() };
    return this.scalar();
  }

  identifierItem(): unknown {
    const r = this.rng.next();
    if (r < 0.6) return { notation: this.string() };
    if (r < 0.75) return { '@type': 'Identifier', notation: this.string() };
    if (r < 0.85) return { notation: this.scalar() };
    return this.scalar();
  }

  /** A value for a term, mostly of the term's own kind. */
  value(term: string): unknown {
    if (this.rng.chance(0.08)) return this.rng.chance(0.5) ? this.scalar() : this.list(() => this.scalar());
    switch (term) {
      case 'title':
      case 'description':
      case 'provenance':
      case 'versionNotes':
      case 'rights':
      case 'licenseAttributionByText':
      case 'geocodingDescription':
      case 'legalBasis':
        return this.text();
      case 'publisher':
        return this.agent();
      case 'creator':
      case 'originator':
      case 'maintainer':
      case 'contributor':
        return this.list(() => this.agent());
      case 'contactPoint':
        return this.list(() => this.contact());
      case 'temporal':
        return this.list(() => this.period());
      case 'spatial':
        return this.list(() => this.spatialItem());
      case 'inSeries':
        return this.list(() => this.seriesItem());
      case 'otherIdentifier':
        return this.list(() => this.identifierItem());
      case 'checksum':
        return this.checksum();
      case 'byteSize':
      case 'spatialResolutionInMeters':
        return this.rng.chance(0.7) ? this.rng.pick(NUMBERS) : this.scalar();
      case 'keyword':
        return this.rng.chance(0.7) ? Object.fromEntries(this.rng.sample(['de', 'en', 'fr'], this.rng.int(1, 2)).map((l) => [l, this.list(() => this.string())])) : this.list(() => this.string());
      case 'theme':
        return this.list(() => this.string());
      case 'versionInfo':
      case 'identifier':
      case 'issued':
      case 'modified':
      case 'accrualPeriodicity':
      case 'accessRights':
      case 'type':
      case 'temporalResolution':
      case 'availability':
      case 'qualityProcessURI':
      case 'license':
      case 'format':
      case 'mediaType':
      case 'compressFormat':
      case 'packageFormat':
      case 'status':
      case 'plannedAvailability':
      case 'hasPolicy':
        return this.scalar();
      default:
        return this.list(() => (this.rng.chance(0.9) ? this.string() : this.scalar()));
    }
  }

  /** A node with some of `terms` (in random order), plus now and then a term no rule knows. */
  node(terms: readonly string[]): Node {
    const out: Node = {};
    for (const term of this.rng.sample(terms, this.rng.int(1, Math.min(terms.length, 25)))) out[term] = this.rng.chance(0.03) ? undefined : this.value(term);
    if (this.rng.chance(0.2)) out.someExtension = this.rng.chance(0.5) ? { a: [1, 'b', null] } : this.string();
    return out;
  }
}
