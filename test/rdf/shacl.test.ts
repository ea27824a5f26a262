import t from 'tap';
import { testApp } from '../helpers/app.js';
import { admin, create } from '../helpers/rest.js';
import { validate, violations } from '../helpers/shacl.js';

/**
 * The export of a representative catalog, validated with a SHACL engine
 * against GovData's official DCAT-AP.de profiles (test/helpers/shacl.ts):
 * zero violations for 2.0 output under 2.0 and 2.0 + Konventionen, and for
 * 3.0 output under 3.0.
 */

// ---------------------------------------------------------------- the catalog

const ctx = await testApp({ CATALOG_PAGE_SIZE: '100' });
const { app } = ctx;
t.teardown(() => ctx.close());

const EU = 'http://publications.europa.eu/resource/authority/';
const IANA = 'https://www.iana.org/assignments/media-types/';
const GEO = 'http://dcat-ap.de/def/politicalGeocoding/';
const kontakt = {
  '@type': 'Organization',
  fn: 'Bürgerservice der Kreisstadt Unna',
  hasEmail: 'mailto:buergerservice@unna.de',
  hasURL: 'https://www.unna.de/kontakt',
  hasTelephone: 'tel:+492303103000',
  hasAddress: { streetAddress: 'Rathausplatz 1', locality: 'Unna', postalCode: '59423', countryName: 'Deutschland' },
};
const agent = (name: string, uri: string) => ({ '@id': uri, '@type': 'Organization', name: { de: name }, mbox: 'mailto:info@kreis-unna.de', homepage: 'https://www.kreis-unna.de', type: 'http://purl.org/adms/publishertype/LocalAuthority' });
const service = {
  '@id': 'https://geodaten.kreis-unna.de/wms/baeume',
  title: { de: 'WMS Straßenbäume', en: 'WMS street trees' },
  description: { de: 'Kartendienst der Straßenbäume' },
  endpointURL: ['https://geodaten.kreis-unna.de/wms/baeume'],
  endpointDescription: ['https://geodaten.kreis-unna.de/wms/baeume?SERVICE=WMS&REQUEST=GetCapabilities'],
  license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
  licenseAttributionByText: { de: 'Kreis Unna' },
  accessRights: `${EU}access-right/PUBLIC`,
  availability: `${EU}planned-availability/STABLE`,
  format: [`${EU}file-type/WMS_SRVC`],
  publisher: agent('Kreis Unna', 'http://catalog.test/organization/kreis-unna'),
  contactPoint: [kontakt],
  applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
};
const formats: [string, string][] = [
  ['CSV', 'text/csv'],
  ['JSON', 'application/json'],
  ['XML', 'application/xml'],
  ['PDF', 'application/pdf'],
  ['GEOJSON', 'application/geo+json'],
  ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];
const simple = (i: number) => ({
  organization: ['unna', 'luenen', 'schwerte', 'kreis-unna'][i % 4],
  title: { de: `Haltestellen in Lünen und Fröndenberg/Ruhr ${i}`, en: `Bus stops ${i}` },
  description: { de: `Öffentlicher Nahverkehr: Haltestellen, Linien und Fahrpläne (Übersicht ${i}).` },
  keyword: ['ÖPNV', 'Straßenbahn'],
  theme: [`${EU}data-theme/TRAN`],
  contactPoint: [{ fn: 'Verkehrsplanung', hasEmail: 'mailto:verkehr@kreis-unna.de' }],
  distribution: formats.map(([code, type], k) => ({
    title: { de: `Haltestellen ${code}` },
    accessURL: [`https://www.kreis-unna.de/haltestellen-${i}-${k}.${code.toLowerCase()}`],
    format: `${EU}file-type/${code}`,
    mediaType: `${IANA}${type}`,
    license: k % 2 ? 'http://dcat-ap.de/def/licenses/cc-zero' : 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0',
    byteSize: 1000 + k,
  })),
});

const others: Record<string, unknown>[] = [];
for (let i = 0; i < 4; i++) others.push((await create(app, simple(i), admin)).doc);
const full = {
  organization: 'unna',
  title: { de: 'Straßenbäume der Kreisstadt Unna', en: 'Street trees of the town of Unna' },
  description: { de: 'Alle Straßenbäume mit Art, Pflanzjahr und Standort; gepflegt vom Grünflächenamt.', en: 'All street trees with species, year of planting and location.' },
  keyword: { de: ['Bäume', 'Grünflächen', 'Straßen'], en: ['trees'] },
  theme: [`${EU}data-theme/ENVI`, `${EU}data-theme/REGI`],
  publisher: agent('Kreisstadt Unna', 'http://catalog.test/organization/unna'),
  contactPoint: [kontakt],
  identifier: 'https://opendata.unna.de/dataset/strassenbaeume',
  otherIdentifier: [{ notation: 'UN-GRUEN-0042' }],
  issued: '2021-03-01',
  modified: '2024-05-02T10:15:00Z',
  language: ['de', 'en'],
  landingPage: ['https://www.unna.de/baeume'],
  page: ['https://www.unna.de/baeume/dokumentation'],
  accrualPeriodicity: `${EU}frequency/ANNUAL`,
  accessRights: `${EU}access-right/PUBLIC`,
  conformsTo: ['http://www.opengis.net/def/crs/EPSG/0/25832'],
  provenance: { de: 'Erhoben durch Begehung der Straßen.' },
  spatial: [{ prefLabel: { de: 'Unna' }, geometry: 'POINT(7.689 51.535)', bbox: 'POLYGON((7.6 51.5,7.8 51.5,7.8 51.6,7.6 51.6,7.6 51.5))', centroid: 'POINT(7.689 51.535)' }],
  temporal: [{ startDate: '2021-01-01', endDate: '2024-12-31' }],
  availability: `${EU}planned-availability/STABLE`,
  versionInfo: '2.1',
  versionNotes: { de: 'Neue Bäume aus 2024 ergänzt.' },
  type: `${EU}dataset-type/STATISTICAL`,
  relation: ['https://www.unna.de/gruenflaechen'],
  references: ['https://musterdatenkatalog.de/def/musterdatensatz/umwelt/baumkataster'],
  isReferencedBy: ['https://www.unna.de/presse/baeume'],
  hasVersion: ['https://opendata.unna.de/dataset/strassenbaeume-2023'],
  isVersionOf: ['https://opendata.unna.de/dataset/baumkataster'],
  // dct:source and adms:sample point into the catalog: 3.0 wants a dcat:Dataset and a dcat:Distribution there.
  source: [others[0]['@id']],
  sample: [(others[0].distribution as { '@id': string }[])[0]['@id']],
  wasGeneratedBy: ['https://www.unna.de/projekte/baumzaehlung'],
  spatialResolutionInMeters: 0.5,
  temporalResolution: 'P1Y',
  creator: [agent('Grünflächenamt Unna', 'http://catalog.test/organization/unna/gruen')],
  contributor: [agent('Kreis Unna', 'http://catalog.test/organization/kreis-unna')],
  originator: [agent('Grünflächenamt Unna', 'http://catalog.test/organization/unna/gruen')],
  maintainer: [agent('Kreisstadt Unna', 'http://catalog.test/organization/unna')],
  contributorID: ['http://dcat-ap.de/def/contributors/openNRW'],
  politicalGeocodingURI: [`${GEO}municipalityKey/05978036`],
  politicalGeocodingLevelURI: [`${GEO}Level/municipality`],
  geocodingDescription: { de: 'Stadtgebiet Unna' },
  legalBasis: { de: 'Baumschutzsatzung der Kreisstadt Unna' },
  qualityProcessURI: 'https://www.unna.de/qualitaet',
  applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
  hvdCategory: ['http://data.europa.eu/bna/c_dd313021'],
  // A described dcat:DatasetSeries (its publisher defaults to the dataset's): 3.0 wants title, description and publisher on it.
  inSeries: [
    {
      '@id': 'https://opendata.unna.de/series/baumkataster',
      title: { de: 'Baumkataster der Kreisstadt Unna', en: 'Tree register of the town of Unna' },
      description: { de: 'Jährliche Fassungen des Baumkatasters, seit 2019.' },
      contactPoint: [kontakt],
      spatial: [{ prefLabel: { de: 'Unna' }, geometry: 'POINT(7.689 51.535)' }],
      temporal: [{ startDate: '2019-01-01' }],
      accrualPeriodicity: `${EU}frequency/ANNUAL`,
      issued: '2019-03-01',
      modified: '2024-05-02',
      applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
    },
  ],
  distribution: [
    {
      title: { de: 'Straßenbäume als CSV', en: 'Street trees as CSV' },
      description: { de: 'Tabelle, UTF-8, Semikolon' },
      accessURL: ['https://www.unna.de/baeume.csv'],
      downloadURL: ['https://www.unna.de/baeume.csv'],
      license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
      licenseAttributionByText: { de: 'Kreisstadt Unna, Grünflächenamt' },
      format: `${EU}file-type/CSV`,
      mediaType: `${IANA}text/csv`,
      byteSize: 48213,
      issued: '2021-03-01',
      modified: '2024-05-02',
      language: ['de'],
      page: ['https://www.unna.de/baeume/felder'],
      conformsTo: ['https://www.unna.de/baeume/schema.json'],
      rights: { de: 'Namensnennung erforderlich' },
      status: 'http://purl.org/adms/status/Completed',
      availability: `${EU}planned-availability/STABLE`,
      plannedAvailability: 'http://dcat-ap.de/def/plannedAvailability/stable',
      checksum: { algorithm: 'http://dcat-ap.de/def/hashAlgorithms/sha/256', checksumValue: 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778' },
      hasPolicy: 'https://www.unna.de/baeume/policy',
      spatialResolutionInMeters: 0.5,
      temporalResolution: 'P1Y',
      applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
    },
    {
      title: { de: 'Kartendienst' },
      accessURL: ['https://geodaten.kreis-unna.de/wms/baeume'],
      license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
      licenseAttributionByText: { de: 'Kreis Unna' },
      format: `${EU}file-type/WMS_SRVC`,
      compressFormat: `${IANA}application/gzip`,
      packageFormat: `${IANA}application/x-tar`,
      accessService: [service],
    },
  ],
};

const fullDoc = (await create(app, full as Record<string, unknown>, admin)).doc;

for (const [profile, shapes] of [
  ['dcat-ap-de-2', ['2.0', '2.0+K']],
  ['dcat-ap-de-3', ['3.0']],
] as const) {
  t.test(`the ${profile} export passes the official ${shapes.join(' and ')} shapes`, async (t) => {
    const res = await app.inject({ method: 'GET', url: `/catalog.ttl?profile=${profile}` });
    t.equal(res.statusCode, 200);
    t.match(res.body, /Straßenbäume/);
    t.match(res.body, /dcat:inSeries <https:\/\/opendata\.unna\.de\/series\/baumkataster>/, 'the series link is written');
    t.match(res.body, /<https:\/\/opendata\.unna\.de\/series\/baumkataster> a dcat:DatasetSeries/, 'with the series it names');
    for (const s of shapes) {
      const findings = await validate(s, res.body);
      t.same(violations(findings), [], `zero violations under ${s}`);
      t.ok(findings.length >= 0, `${findings.length} warnings/infos under ${s}`);
    }
    const one = await app.inject({ method: 'GET', url: `/dataset/${fullDoc.id}.ttl?profile=${profile}` });
    t.equal(one.statusCode, 200);
  });
}

t.test('the shapes do catch a broken export (the harness can fail)', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/catalog.ttl' });
  const broken = res.body.replace(/dcat:accessURL <[^>]+>/g, 'dcat:accessURL "kein Link"');
  t.not(broken, res.body);
  t.ok(violations(await validate('2.0', broken)).length > 0);
});

t.test('a dcat:inSeries that names no dcat:DatasetSeries is caught by the 3.0 shapes', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/catalog.ttl?profile=dcat-ap-de-3' });
  const broken = res.body.replace(/ a dcat:DatasetSeries/g, ' a dcat:Resource');
  t.not(broken, res.body);
  t.match(violations(await validate('3.0', broken)), [{ path: 'http://www.w3.org/ns/dcat#inSeries' }]);
});
