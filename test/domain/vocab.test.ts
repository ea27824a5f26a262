import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  ckanLicenseId,
  distributionStatusFor,
  fileTypes,
  frequencies,
  fromBcp47,
  hashAlgorithmFor,
  licenses,
  languages,
  parsePoliticalGeocodingUri,
  plannedAvailability,
  publisherTypes,
  resolveFormat,
  themes,
  toBcp47,
  vocabularies,
} from '../../src/domain/vocab/index.js';
import { geocodingUriOf, PARTNERS } from '../../src/domain/region.js';
import { rdfOf } from '../../src/domain/property.js';
import { Dataset } from '../../src/domain/model.js';

// The official lists are the oracle; our tables are our own text.
const ref = (path: string) => readFileSync(new URL(`../../../shared/reference/dcat-ap-de/${path}`, import.meta.url), 'utf8');

t.test('every dcat-ap.de licence is known, with GovData\'s open flag', async (t) => {
  const rdf = ref('mqa/dcat-ap-de-licenses-open.rdf');
  const flags = new Map<string, boolean>();
  for (const m of rdf.matchAll(/<rdf:Description rdf:about="(http:\/\/dcat-ap\.de\/def\/licenses\/[^"]+)">\s*<govdata:isOpenLicense[^>]*>(true|false)</g)) {
    flags.set(m[1], m[2] === 'true');
  }
  t.equal(flags.size, 34);
  for (const [iri, open] of flags) {
    const l = licenses.byIri(iri);
    t.ok(l, iri);
    t.equal(l?.open, open, `${iri} open=${open}`);
  }
  t.equal(licenses.concepts.length, 34, 'nothing invented');
});

t.test('CKAN licence ids and outdated IRIs resolve to the current licence', async (t) => {
  const mapping = JSON.parse(ref('mappings/dcat_license_mapping.json')) as { list: { URI: string; OGDLizenzcode: string }[] };
  for (const { URI, OGDLizenzcode } of mapping.list) t.equal(licenses.resolve(OGDLizenzcode)?.iri, URI, OGDLizenzcode);
  const upgrade = JSON.parse(ref('mappings/dcat_licenses_upgrade.json')) as Record<string, string>;
  for (const [old, current] of Object.entries(upgrade)) if (current) t.equal(licenses.resolve(old)?.iri, current, old);
  t.equal(ckanLicenseId('http://dcat-ap.de/def/licenses/dl-by-de/2.0'), 'dl-de-by-2.0');
  t.equal(ckanLicenseId('http://example.org/my-licence'), 'http://example.org/my-licence', 'an unknown licence is passed on (K34)');
  t.ok(licenses.resolve('dl-de-by-2.0')?.attribution, 'Datenlizenz Namensnennung needs attribution text');
  t.notOk(licenses.resolve('dl-de-zero-2.0')?.attribution);
});

t.test('the thirteen EU data themes', async (t) => {
  const codes = [...new Set([...ref('vocab/eu/data-theme-skos.rdf').matchAll(/data-theme\/([A-Z]{4})"/g)].map((m) => m[1]))].sort();
  t.same(themes.concepts.map((c) => c.code).sort(), codes);
  t.equal(themes.resolve('gove')?.iri, 'http://publications.europa.eu/resource/authority/data-theme/GOVE', 'CKAN group names resolve');
});

t.test('file types exist in the EU table and resolve from what catalogs write', async (t) => {
  const eu = new Set([...ref('vocab/eu/filetypes-skos.rdf').matchAll(/file-type\/([A-Z0-9_]+)"/g)].map((m) => m[1]));
  for (const f of fileTypes.concepts) t.ok(eu.has(f.code), f.code);
  const csv = 'http://publications.europa.eu/resource/authority/file-type/CSV';
  for (const v of ['csv', 'CSV', '.csv', 'text/csv', 'text/csv; charset=utf-8', 'https://www.iana.org/assignments/media-types/text/csv', csv]) t.equal(resolveFormat(v)?.iri, csv, v);
  t.equal(resolveFormat('WMS')?.code, 'WMS_SRVC');
  t.equal(resolveFormat('GeoJSON')?.code, 'GEOJSON');
  t.equal(resolveFormat('application/vnd.ms-excel')?.code, 'XLS');
  t.equal(resolveFormat('no-such-format'), undefined);
});

t.test('frequencies match the EU table GovData lists', async (t) => {
  const codes = [...new Set([...ref('v1.0.2/nal-lists.ttl').matchAll(/frequency\/([A-Z][A-Z_0-9]+)>/g)].map((m) => m[1]))].sort();
  t.same(frequencies.concepts.map((c) => c.code).sort(), codes);
  t.equal(frequencies.resolve('täglich')?.code, 'DAILY');
});

t.test('languages resolve from BCP 47 and back', async (t) => {
  const deu = 'http://publications.europa.eu/resource/authority/language/DEU';
  for (const v of ['de', 'DEU', 'deu', 'ger', 'de-DE', deu]) t.equal(languages.resolve(v)?.iri, deu, v);
  t.equal(toBcp47(deu), 'de');
  t.equal(fromBcp47('en-GB'), 'http://publications.europa.eu/resource/authority/language/ENG');
});

t.test('profile-dependent code lists map both ways', async (t) => {
  t.equal(distributionStatusFor('http://purl.org/adms/status/Completed', 'dcat-ap-de-3'), 'http://publications.europa.eu/resource/authority/distribution-status/COMPLETED');
  t.equal(distributionStatusFor('http://publications.europa.eu/resource/authority/distribution-status/WITHDRAWN', 'dcat-ap-de-2'), 'http://purl.org/adms/status/Withdrawn');
  t.equal(hashAlgorithmFor('http://dcat-ap.de/def/hashAlgorithms/sha/256', 'dcat-ap-de-3'), 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256');
  t.equal(hashAlgorithmFor('http://spdx.org/rdf/terms#checksumAlgorithm_md5', 'dcat-ap-de-2'), 'http://dcat-ap.de/def/hashAlgorithms/md/5');
  const hashes = new Set([...ref('v1.0.2/dcat-ap-de-lists.ttl').matchAll(/hashAlgorithms\/([a-z]+\/\d+)>/g)].map((m) => m[1]));
  for (const alg of ['md/5', 'sha/1', 'sha/256', 'sha/512']) t.ok(hashes.has(alg), `${alg} is in GovData's list`);
  t.equal(plannedAvailability.resolve('http://dcat-ap.de/def/plannedAvailability/stable')?.code, 'STABLE', 'deprecated dcatde IRIs map to the EU table');
  const adms = ref('vocab/ADMS_SKOS_v1.00.rdf');
  for (const p of publisherTypes.concepts) t.ok(adms.includes(p.iri), p.iri);
  t.equal(publisherTypes.scheme, 'http://purl.org/adms/publishertype/1.0');
});

t.test('the region\'s political geocoding matches the official key lists', async (t) => {
  const csv = ref('kreis-unna-political-geocoding.csv');
  const lists = ref('v1.0.2/dcat-ap-de-lists.ttl');
  for (const p of PARTNERS) {
    const uri = geocodingUriOf(p);
    t.ok(csv.includes(uri), `${p.title}: ${uri} is in the compiled region table`);
    t.ok(parsePoliticalGeocodingUri(uri), uri);
  }
  t.ok(lists.includes('districtKey/05978'), 'the district key is in GovData\'s list');
  for (const p of PARTNERS.filter((x) => x.level === 'municipality')) {
    const ars = p.key.slice(0, 5) + '0' + p.key.slice(5) + p.key.slice(5);
    t.ok(lists.includes(`regionalKey/${ars}`), `${p.title}: ARS ${ars} is in GovData's list`);
  }
  t.same(parsePoliticalGeocodingUri('http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978036'), {
    kind: 'municipalityKey',
    key: '05978036',
    scheme: 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey',
  });
  for (const bad of ['http://dcat-ap.de/def/politicalGeocoding/municipalityKey/0597803', 'http://dcat-ap.de/def/politicalGeocoding/districtKey/059780', 'https://www.dcat-ap.de/def/politicalGeocoding/districtKey/05978'])
    t.equal(parsePoliticalGeocodingUri(bad), undefined, bad);
});

t.test('every vocabulary the model names exists', async (t) => {
  const names = new Set<string>();
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    const a = rdfOf(s as never);
    if (a?.vocab) names.add(a.vocab);
    for (const v of Object.values(s as Record<string, unknown>)) walk(v);
  };
  walk(Dataset);
  t.ok(names.size >= 8);
  for (const n of names) t.ok(n in vocabularies, n);
});
