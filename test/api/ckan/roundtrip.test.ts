import t from 'tap';
import { Parser } from 'n3';
import { testApp } from '../../helpers/app.js';
import { admin, create, dataset } from '../../helpers/rest.js';
import { pkg, result } from '../../helpers/ckan.js';

/** One meaning through every face: CKAN → REST v1 → RDF, and REST → CKAN → REST. */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;

const DCATDE = 'http://dcat-ap.de/def/dcatde/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const GEOJSON = '{"type":"Point","coordinates":[7.69,51.54]}';

const extras: Record<string, string> = {
  contributorID: '["http://dcat-ap.de/def/contributors/openNRW"]',
  politicalGeocodingURI: '["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978036"]',
  politicalGeocodingLevelURI: 'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
  legalbasisText: '["§ 12 EGovG NRW"]',
  geocodingText: '["Kreisstadt Unna"]',
  qualityProcessURI: 'https://unna.de/qualitaet',
  temporal_start: '2024-01-01',
  temporal_end: '2024-12-31',
  spatial: GEOJSON,
  identifier: 'unna-haushalt-2024',
  issued: '2024-02-01',
  modified: '2024-03-15T10:00:00Z',
  language: '["http://publications.europa.eu/resource/authority/language/DEU"]',
  frequency: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
  access_rights: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
  conforms_to: '["https://example.org/schema/haushalt"]',
  documentation: '["https://unna.de/haushalt/hilfe"]',
  publisher_name: 'Kreisstadt Unna – Kämmerei',
  publisher_email: 'kaemmerei@unna.de',
  publisher_url: 'https://www.unna.de',
  publisher_type: 'http://purl.org/adms/publishertype/LocalAuthority',
  publisher_uri: 'https://www.unna.de/#kaemmerei',
  contact_url: 'https://unna.de/kontakt',
  contact_tel: '+4923031030',
  originator_name: 'Statistikstelle Unna',
  originator_email: 'statistik@unna.de',
  version_notes: 'Zweite Fassung',
};

t.test('CKAN → REST v1 → RDF keeps every field, and CKAN reads back what it wrote', async (t) => {
  const sent = pkg('haushalt-roundtrip', {
    title: 'Haushaltsplan Unna 2024',
    notes: 'Einnahmen und Ausgaben, Straßen und Plätze.',
    url: 'https://unna.de/haushalt',
    version: '2.0',
    author: 'Kämmerei Unna',
    author_email: 'haushalt@unna.de',
    maintainer: 'Bürgerbüro Unna',
    maintainer_email: 'buergerbuero@unna.de',
    extras: Object.entries(extras).map(([key, value]) => ({ key, value })),
    resources: [
      {
        url: 'https://unna.de/haushalt.csv',
        download_url: 'https://unna.de/download/haushalt.csv',
        name: 'Haushalt als CSV',
        description: 'Alle Posten',
        format: 'CSV',
        mimetype: 'text/csv',
        size: 12345,
        hash: 'a1b2c3',
        hash_algorithm: 'http://spdx.org/rdf/terms#checksumAlgorithm_sha1',
        issued: '2024-02-01',
        modified: '2024-03-01',
        license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
        licenseAttributionByText: 'Kreisstadt Unna (2024)',
        status: 'http://purl.org/adms/status/Completed',
      },
    ],
  });
  const created = await result<Record<string, unknown> & { id: string }>(app, 'package_create', sent);

  // REST v1: the same meaning in the model's terms.
  const rest = (await app.inject({ url: `/api/v1/datasets/${created.id}`, headers: admin })).json();
  t.same(rest.title, { de: 'Haushaltsplan Unna 2024' });
  t.same(rest.contributorID, ['http://dcat-ap.de/def/contributors/openNRW']);
  t.same(rest.politicalGeocodingLevelURI, ['http://dcat-ap.de/def/politicalGeocoding/Level/municipality']);
  t.same(rest.legalBasis, { de: '§ 12 EGovG NRW' });
  t.same(rest.temporal, [{ startDate: '2024-01-01', endDate: '2024-12-31' }]);
  t.same(rest.spatial, [{ geometry: GEOJSON }]);
  t.equal(rest.identifier, 'unna-haushalt-2024');
  t.equal(rest.accrualPeriodicity, extras.frequency);
  t.equal(rest.versionInfo, '2.0');
  t.same(rest.landingPage, ['https://unna.de/haushalt']);
  t.match(rest.publisher, { '@id': 'https://www.unna.de/#kaemmerei', name: { de: 'Kreisstadt Unna – Kämmerei' }, mbox: 'mailto:kaemmerei@unna.de' });
  t.match(rest.contactPoint, [{ fn: 'Bürgerbüro Unna', hasEmail: 'mailto:buergerbuero@unna.de', hasURL: 'https://unna.de/kontakt', hasTelephone: 'tel:+4923031030' }]);
  t.match(rest.creator, [{ name: { de: 'Kämmerei Unna' }, mbox: 'mailto:haushalt@unna.de' }]);
  t.match(rest.originator, [{ name: { de: 'Statistikstelle Unna' } }]);
  t.match(rest.distribution[0], {
    title: { de: 'Haushalt als CSV' },
    accessURL: ['https://unna.de/haushalt.csv'],
    downloadURL: ['https://unna.de/download/haushalt.csv'],
    format: 'http://publications.europa.eu/resource/authority/file-type/CSV',
    mediaType: 'https://www.iana.org/assignments/media-types/text/csv',
    byteSize: 12345,
    checksum: { checksumValue: 'a1b2c3' },
    license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
    licenseAttributionByText: { de: 'Kreisstadt Unna (2024)' },
  });

  // RDF: what GovData reads.
  const ttl = await app.inject({ url: `/api/v1/datasets/${created.id}`, headers: { ...admin, accept: 'text/turtle' } });
  t.equal(ttl.statusCode, 200);
  const quads = new Parser().parse(ttl.body);
  const has = (p: string, o?: string) => quads.some((q) => q.predicate.value === p && (o === undefined || q.object.value === o));
  t.ok(has(`${DCATDE}contributorID`, 'http://dcat-ap.de/def/contributors/openNRW'));
  t.ok(has(`${DCATDE}politicalGeocodingURI`, 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978036'));
  t.ok(has(`${DCATDE}legalBasis`, '§ 12 EGovG NRW'));
  t.ok(has(`${DCATDE}licenseAttributionByText`, 'Kreisstadt Unna (2024)'));
  t.ok(has(`${DCAT}startDate`, '2024-01-01'));
  t.ok(has(`${DCT}identifier`, 'unna-haushalt-2024'));
  t.ok(has(`${FOAF}name`, 'Kreisstadt Unna – Kämmerei'));
  t.ok(has(`${VCARD}fn`, 'Bürgerbüro Unna'));
  t.ok(has(`${DCAT}byteSize`, '12345'));
  t.ok(has(`${DCAT}accessURL`, 'https://unna.de/haushalt.csv'));
  // Every other field the CKAN client sent, as the triple GovData and ckanext-dcat read it from.
  const ADMS = 'http://www.w3.org/ns/adms#';
  const SPDX = 'http://spdx.org/rdf/terms#';
  const LOCN = 'http://www.w3.org/ns/locn#';
  const expected: [string, string, string][] = [
    ['title', `${DCT}title`, 'Haushaltsplan Unna 2024'],
    ['notes', `${DCT}description`, 'Einnahmen und Ausgaben, Straßen und Plätze.'],
    ['url', `${DCAT}landingPage`, 'https://unna.de/haushalt'],
    ['author', `${FOAF}name`, 'Kämmerei Unna'],
    ['author_email', `${FOAF}mbox`, 'mailto:haushalt@unna.de'],
    ['maintainer_email', `${VCARD}hasEmail`, 'mailto:buergerbuero@unna.de'],
    ['license_id', `${DCT}license`, 'http://dcat-ap.de/def/licenses/dl-by-de/2.0'],
    ['tags', `${DCAT}keyword`, 'Finanzen'],
    ['groups', `${DCAT}theme`, 'http://publications.europa.eu/resource/authority/data-theme/GOVE'],
    ['politicalGeocodingLevelURI', `${DCATDE}politicalGeocodingLevelURI`, extras.politicalGeocodingLevelURI],
    ['geocodingText', `${DCATDE}geocodingDescription`, 'Kreisstadt Unna'],
    ['qualityProcessURI', `${DCATDE}qualityProcessURI`, extras.qualityProcessURI],
    ['temporal_end', `${DCAT}endDate`, '2024-12-31'],
    ['spatial', `${LOCN}geometry`, GEOJSON],
    ['issued', `${DCT}issued`, '2024-02-01'],
    ['modified', `${DCT}modified`, '2024-03-15T10:00:00Z'],
    ['language', `${DCT}language`, 'http://publications.europa.eu/resource/authority/language/DEU'],
    ['frequency', `${DCT}accrualPeriodicity`, extras.frequency],
    ['access_rights', `${DCT}accessRights`, extras.access_rights],
    ['conforms_to', `${DCT}conformsTo`, 'https://example.org/schema/haushalt'],
    ['documentation', `${FOAF}page`, 'https://unna.de/haushalt/hilfe'],
    ['publisher_email', `${FOAF}mbox`, 'mailto:kaemmerei@unna.de'],
    ['publisher_url', `${FOAF}homepage`, 'https://www.unna.de'],
    ['publisher_type', `${DCT}type`, extras.publisher_type],
    ['contact_url', `${VCARD}hasURL`, 'https://unna.de/kontakt'],
    ['contact_tel', `${VCARD}hasTelephone`, 'tel:+4923031030'],
    ['originator_name', `${FOAF}name`, 'Statistikstelle Unna'],
    ['originator_email', `${FOAF}mbox`, 'mailto:statistik@unna.de'],
    ['version_notes', `${ADMS}versionNotes`, 'Zweite Fassung'],
    ['resource download_url', `${DCAT}downloadURL`, 'https://unna.de/download/haushalt.csv'],
    ['resource name', `${DCT}title`, 'Haushalt als CSV'],
    ['resource description', `${DCT}description`, 'Alle Posten'],
    ['resource format', `${DCT}format`, 'http://publications.europa.eu/resource/authority/file-type/CSV'],
    ['resource mimetype', `${DCAT}mediaType`, 'https://www.iana.org/assignments/media-types/text/csv'],
    ['resource hash', `${SPDX}checksumValue`, 'a1b2c3'],
    // Sent as SPDX's IRI; the DCAT-AP.de 2.0 profile (the default) writes the same algorithm from dcat-ap.de's list.
    ['resource hash_algorithm', `${SPDX}algorithm`, 'http://dcat-ap.de/def/hashAlgorithms/sha/1'],
    ['resource modified', `${DCT}modified`, '2024-03-01'],
    ['resource status', `${ADMS}status`, 'http://purl.org/adms/status/Completed'],
  ];
  for (const [field, p, o] of expected) t.ok(has(p, o), `${field} → <${p}> ${o}`);
  t.ok(quads.some((q) => q.subject.value === 'https://www.unna.de/#kaemmerei' && q.predicate.value === `${FOAF}name`), 'publisher_uri is the publisher node');
  t.ok(has('http://www.w3.org/2002/07/owl#versionInfo', '2.0') || has(`${DCAT}version`, '2.0'), 'version');

  // CKAN again: each field as it was sent.
  const back = await result<Record<string, unknown> & { extras: { key: string; value: string }[]; resources: Record<string, unknown>[] }>(app, 'package_show', { id: created.id });
  const got = Object.fromEntries(back.extras.map((e) => [e.key, e.value]));
  for (const [key, value] of Object.entries(extras)) t.equal(got[key], value, `extra ${key}`);
  for (const key of ['title', 'notes', 'url', 'version', 'author', 'author_email', 'maintainer', 'maintainer_email', 'license_id']) t.equal(back[key], sent[key], key);
  const res = (sent.resources as Record<string, unknown>[])[0];
  for (const [key, value] of Object.entries(res)) t.same(back.resources[0][key], value, `resource ${key}`);
  t.notOk(back.extras.some((e) => e.key.startsWith('json_')), 'nothing needed a JSON backup');
});

t.test('REST → CKAN → REST: what CKAN cannot hold in a field travels as json_ extras and comes back', async (t) => {
  const { doc } = await create(
    app,
    dataset({
      title: { de: 'Radwege im Kreis', en: 'Cycle paths in the district' },
      keyword: { de: ['Radwege'], en: ['cycling'] },
      contactPoint: [
        { fn: 'Radverkehr', hasEmail: 'mailto:rad@kreis-unna.de' },
        { fn: 'Tiefbau', hasURL: 'https://kreis-unna.de/tiefbau' },
      ],
      temporal: [{ startDate: '2020-01-01' }, { startDate: '2022-01-01', endDate: '2022-12-31' }],
      hvdCategory: ['http://data.europa.eu/bna/c_ac64a52d'],
    }),
  );
  const ckan = await result<Record<string, unknown> & { extras: { key: string; value: string }[] }>(app, 'package_show', { id: doc.id });
  t.equal(ckan.title, 'Radwege im Kreis', 'CKAN clients see the catalog language');
  const keys = ckan.extras.map((e) => e.key);
  for (const k of ['json_title', 'json_keyword', 'json_contactPoint', 'json_temporal']) t.ok(keys.includes(k), k);

  // A CKAN client sends the dict back unchanged: nothing is lost.
  await result(app, 'package_update', ckan);
  const after = (await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: admin })).json();
  for (const k of ['title', 'keyword', 'contactPoint', 'temporal', 'hvdCategory', 'distribution', 'publisher', 'politicalGeocodingURI']) t.same(after[k], doc[k], k);
  t.equal(after.revision, 2);

  // A patched title wins over its JSON backup.
  const patched = await result<Record<string, unknown>>(app, 'package_patch', { id: doc.id, title: 'Radwege' });
  t.equal(patched.title, 'Radwege');
});
