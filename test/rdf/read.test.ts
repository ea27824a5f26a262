import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFactory, type Quad } from 'n3';
import t from 'tap';
import type { TObject, TSchema } from 'typebox';
import { generateDatasets } from '../../bench/lib/generator.js';
import { nodeSchemaOf, normalizeDataset } from '../../src/catalog/normalize.js';
import { datasetProblems } from '../../src/catalog/validate.js';
import { Dataset, Distribution, PeriodOfTime, type Dataset as DatasetDoc } from '../../src/domain/model.js';
import { rdfOf, type Profile } from '../../src/domain/property.js';
import { distributionStatusFor, hashAlgorithmFor } from '../../src/domain/vocab/index.js';
import { datasetToQuads, exportView } from '../../src/rdf/mapping.js';
import { datasetFromQuads, datasetsFromQuads, QuadGraph, resourceFromQuads, type ReadResult } from '../../src/rdf/read.js';
import { formatFromExtension, parseRdf, serialize, type RdfFormat } from '../../src/rdf/syntax/index.js';
import { testConfig } from '../helpers/app.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/rdf');
const config = testConfig();
const org = { id: '00000000-0000-0000-0000-000000000001', name: 'unna', title: 'Kreisstadt Unna', homepage: null, email: 'info@unna.de', politicalGeocodingUri: null, politicalGeocodingLevelUri: null };
const ctx = { config, org, id: '00000000-0000-0000-0000-0000000000aa', now: new Date('2025-01-02T03:04:05Z') };

const formatOf = (file: string): RdfFormat => (file.endsWith('.xml') ? 'rdfxml' : formatFromExtension(file.split('.').pop() as string)!);
const parseFile = (rel: string) => parseRdf(readFileSync(join(FIXTURES, rel)), formatOf(rel), { baseIRI: 'http://example.org/' });

const TTL_PREFIXES = `
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> . @prefix adms: <http://www.w3.org/ns/adms#> .
@prefix spdx: <http://spdx.org/rdf/terms#> . @prefix locn: <http://www.w3.org/ns/locn#> .
`;
const DS = 'https://example.org/dataset/1';

async function readTurtle(body: string, opts = {}): Promise<ReadResult> {
  const quads = await parseRdf(`${TTL_PREFIXES}\n${body}`, 'turtle');
  return datasetFromQuads(quads, DS, opts);
}

function fixtureFiles(): string[] {
  const top = readdirSync(FIXTURES).filter((f) => /\.(rdf|ttl|jsonld|xml)$/.test(f));
  const sub = ['dcatapde-examples', 'govdata-testcases'].flatMap((d) => readdirSync(join(FIXTURES, d)).map((f) => `${d}/${f}`));
  return [...top, ...sub];
}

t.test('every dataset of every fixture maps to a document of the schema', async (t) => {
  const files = fixtureFiles();
  t.ok(files.length > 60, 'the fixtures are there');
  const counts: Record<string, number> = {};
  for (const file of files) {
    const results = datasetsFromQuads(await parseFile(file));
    counts[file] = results.length;
    for (const [i, { doc, problems }] of results.entries()) {
      const where = `${file} #${i}`;
      t.equal(doc['@type'], 'Dataset', where);
      for (const p of problems) t.match(p, { path: /^\//, key: /^rdf\./, message: /\S/ }, `${where}: problems say where and why`);
      // What the reader produces has the shape the API accepts; only DCAT-AP.de rules (mandatory, vocabularies) may fail.
      const stored = normalizeDataset(doc as Record<string, unknown>, { ...ctx, uri: doc['@id'] });
      const schema = datasetProblems(stored).filter((p) => p.key === 'dataset.schema');
      t.same(schema, [], `${where}: no schema problem`);
    }
  }
  // Counts from the fixtures' README (rdflib).
  t.equal(counts['brandenburg-catalog.rdf'], 112);
  t.equal(counts['destatis-catalog.rdf'], 135);
  t.equal(counts['ckanext-dcatde-metadata_max_1_0.rdf'], 1);
  t.equal(counts['ckanext-dcatde-metadata_max_only_valid_uris.rdf'], 1);
  t.equal(counts['sh-ckan-catalog-single.xml'], 1);
  t.equal(counts['ckanext-dcat-catalog_with_at_graph.jsonld'], 1);
  t.equal(counts['dcatapde-examples/v2.0-dcat_ap_de-RefImp_RDF_ADVANCED.rdf'], 2);
});

t.test('documents GovData calls valid pass the catalog validation', async (t) => {
  for (const file of [
    'ckanext-dcatde-metadata_max_only_valid_uris.rdf',
    'ckanext-dcatde-metadata_max_1_0.rdf',
    'govdata-testcases/v3.0_shapes_quicktest.ttl',
    'dcatapde-examples/v2.0-dcat_ap_de-RefImp_TTL_ADVANCED.ttl',
  ]) {
    for (const { doc } of datasetsFromQuads(await parseFile(file))) {
      const stored = normalizeDataset(doc as Record<string, unknown>, { ...ctx, uri: doc['@id'] });
      t.same(datasetProblems(stored), [], `${file} ${doc['@id']}`);
    }
  }
});

t.test('the same graph in RDF/XML, Turtle and JSON-LD gives the same documents', async (t) => {
  for (const size of ['SIMPLE', 'ADVANCED']) {
    const base = `dcatapde-examples/v2.0-dcat_ap_de-RefImp_`;
    const docs = await Promise.all([`RDF_${size}.rdf`, `TTL_${size}.ttl`, `JSONLD_${size}.jsonld`].map(async (f) => datasetsFromQuads(await parseFile(base + f)).map((r) => r.doc)));
    // The three files write the checksums in different letter cases (the same xsd:hexBinary value); the reader keeps what it reads.
    const byId = (list: DatasetDoc[]) => Object.fromEntries(list.map((d) => [d['@id'], JSON.parse(JSON.stringify(d).replace(/"checksumValue":"(\w+)"/g, (_, v: string) => `"checksumValue":"${v.toLowerCase()}"`))]));
    t.ok(docs[0].length >= 1);
    t.same(byId(docs[1]), byId(docs[0]), `${size}: Turtle = RDF/XML`);
    t.same(byId(docs[2]), byId(docs[0]), `${size}: JSON-LD = RDF/XML`);
  }
});

// ---------------------------------------------------------------------------
// Round trip: document → datasetToQuads → datasetFromQuads.

/** A document that uses every property of the model (checked below against the schema). */
function representative(): Record<string, unknown> {
  const agent = (name: string, type: string, id?: string) => ({
    ...(id ? { '@id': id } : {}),
    '@type': type,
    name: { de: name, en: `${name} (en)` },
    mbox: 'mailto:info@example.org',
    homepage: 'https://example.org/',
    type: 'http://purl.org/adms/publishertype/LocalAuthority',
  });
  const contact = {
    '@type': 'Organization',
    fn: 'Open-Data-Team Ünna',
    hasEmail: 'mailto:opendata@unna.de',
    hasURL: 'https://www.unna.de/opendata',
    hasTelephone: 'tel:+4923031030',
    hasAddress: { '@type': 'Address', streetAddress: 'Rathausplatz 1', locality: 'Unna', postalCode: '59423', countryName: 'Deutschland' },
  };
  const service = {
    '@id': 'https://geo.unna.de/wfs',
    '@type': 'DataService',
    title: { de: 'WFS Bäume' },
    description: { de: 'Dienst' },
    endpointURL: ['https://geo.unna.de/wfs?SERVICE=WFS'],
    endpointDescription: ['https://geo.unna.de/wfs?REQUEST=GetCapabilities'],
    servesDataset: [DS],
    license: 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0',
    licenseAttributionByText: { de: 'Stadt Unna' },
    accessRights: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
    availability: 'http://publications.europa.eu/resource/authority/planned-availability/STABLE',
    format: ['http://publications.europa.eu/resource/authority/file-type/WFS_SRVC'],
    publisher: agent('Stadt Unna, Geodaten', 'Organization', 'https://geo.unna.de/'),
    contactPoint: [contact],
    applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
  };
  const distribution = {
    '@id': `${DS}/distribution/1`,
    '@type': 'Distribution',
    title: { de: 'Baumkataster (CSV)', en: 'Tree register (CSV)' },
    description: { de: 'Größe in Bytes' },
    accessURL: ['https://opendata.unna.de/baeume/'],
    downloadURL: ['https://opendata.unna.de/baeume.csv', 'https://opendata.unna.de/baeume-2.csv'],
    license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
    licenseAttributionByText: { de: 'Kreisstadt Unna (2024)' },
    format: 'http://publications.europa.eu/resource/authority/file-type/CSV',
    mediaType: 'https://www.iana.org/assignments/media-types/text/csv',
    compressFormat: 'https://www.iana.org/assignments/media-types/application/gzip',
    packageFormat: 'https://www.iana.org/assignments/media-types/application/zip',
    byteSize: 123456789,
    issued: '2024-01-02',
    modified: '2024-03-04T05:06:07Z',
    language: ['http://publications.europa.eu/resource/authority/language/DEU'],
    page: ['https://opendata.unna.de/baeume/doku'],
    conformsTo: ['https://example.org/schema/baeume'],
    rights: { de: 'Nutzung frei' },
    status: 'http://purl.org/adms/status/Completed',
    availability: 'http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE',
    plannedAvailability: 'http://dcat-ap.de/def/plannedAvailability/available',
    checksum: { '@type': 'Checksum', algorithm: 'http://dcat-ap.de/def/hashAlgorithms/sha/256', checksumValue: '5bcc814127be171c75595d419f371c74c9cf041419c45d6e8d2c789e5c303b47' },
    accessService: [service],
    hasPolicy: 'https://example.org/policy/1',
    spatialResolutionInMeters: 2.5,
    temporalResolution: 'P1D',
    applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
  };
  return {
    '@id': DS,
    '@type': 'Dataset',
    title: { de: 'Baumkataster Unna – Straßenbäume', en: 'Tree register' },
    description: { de: 'Alle Bäume im öffentlichen Raum.' },
    keyword: { de: ['Bäume', 'Umwelt'], en: ['trees'] },
    theme: ['http://publications.europa.eu/resource/authority/data-theme/ENVI', 'http://publications.europa.eu/resource/authority/data-theme/AGRI'],
    publisher: agent('Kreisstadt Unna', 'Organization', 'https://www.unna.de/'),
    contactPoint: [contact, { '@type': 'Individual', fn: 'Erika Mustermann', hasEmail: 'mailto:erika@unna.de' }],
    distribution: [distribution, { '@type': 'Distribution', accessURL: ['https://opendata.unna.de/baeume.json'], format: 'http://publications.europa.eu/resource/authority/file-type/JSON', byteSize: 0 }],
    identifier: 'unna-baumkataster',
    otherIdentifier: [{ '@type': 'Identifier', notation: 'UN-4711' }],
    issued: '2020',
    modified: '2024-03',
    language: ['http://publications.europa.eu/resource/authority/language/DEU', 'http://publications.europa.eu/resource/authority/language/ENG'],
    landingPage: ['https://www.unna.de/baeume'],
    page: ['https://www.unna.de/baeume/info'],
    accrualPeriodicity: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
    accessRights: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
    conformsTo: ['https://example.org/standard'],
    provenance: { de: 'Erhoben vom Grünflächenamt' },
    spatial: [
      'http://dcat-ap.de/def/politicalGeocoding/districtKey/05978',
      { '@type': 'Location', prefLabel: { de: 'Unna' }, geometry: 'POINT(7.69 51.54)', bbox: 'POLYGON((7.6 51.5,7.8 51.5,7.8 51.6,7.6 51.6,7.6 51.5))', centroid: '{"type":"Point","coordinates":[7.69,51.54]}' },
      { '@id': 'https://sws.geonames.org/2820087/', '@type': 'Location', prefLabel: { de: 'Unna (GeoNames)' } },
    ],
    temporal: [{ '@type': 'PeriodOfTime', startDate: '2019-01-01', endDate: '2024-12-31T23:59:59Z' }],
    availability: 'http://publications.europa.eu/resource/authority/planned-availability/STABLE',
    versionInfo: '1.2',
    versionNotes: { de: 'Neue Bäume' },
    type: 'http://publications.europa.eu/resource/authority/dataset-type/GEOSPATIAL',
    relation: ['https://example.org/rel'],
    references: ['https://example.org/ref'],
    isReferencedBy: ['https://example.org/cited'],
    hasVersion: ['https://example.org/v2'],
    isVersionOf: ['https://example.org/v0'],
    source: ['https://example.org/source'],
    sample: ['https://example.org/sample.csv'],
    wasGeneratedBy: ['https://example.org/activity'],
    spatialResolutionInMeters: 10,
    temporalResolution: 'P1Y2M3DT4H5M6.5S',
    creator: [agent('Grünflächenamt', 'Organization')],
    contributor: [agent('Max Mustermann', 'Person')],
    originator: [agent('Vermessungsamt', 'Agent')],
    maintainer: [agent('IT-Abteilung', 'Organization')],
    contributorID: ['http://dcat-ap.de/def/contributors/openNRW'],
    politicalGeocodingURI: ['http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978036'],
    politicalGeocodingLevelURI: ['http://dcat-ap.de/def/politicalGeocoding/Level/municipality'],
    geocodingDescription: { de: 'Stadtgebiet Unna' },
    legalBasis: { de: 'Open-Data-Gesetz NRW' },
    qualityProcessURI: 'https://example.org/quality',
    // A series named by IRI only, and one described as dcat:DatasetSeries.
    inSeries: [
      'https://example.org/series/baeume',
      {
        '@id': 'https://example.org/series/kataster',
        '@type': 'DatasetSeries',
        title: { de: 'Baumkataster (Reihe)', en: 'Tree register (series)' },
        description: { de: 'Jährliche Fassungen' },
        publisher: agent('Kreisstadt Unna', 'Organization', 'https://www.unna.de/'),
        contactPoint: [contact],
        spatial: ['http://dcat-ap.de/def/politicalGeocoding/districtKey/05978', { '@type': 'Location', prefLabel: { de: 'Unna' }, geometry: 'POINT(7.69 51.54)', bbox: 'POLYGON((7.6 51.5,7.8 51.5,7.8 51.6,7.6 51.6,7.6 51.5))', centroid: 'POINT(7.69 51.54)' }],
        temporal: [{ '@type': 'PeriodOfTime', startDate: '2019-01-01', endDate: '2030-12-31' }],
        accrualPeriodicity: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
        issued: '2019',
        modified: '2024-03-04',
        applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
      },
    ],
    applicableLegislation: ['http://data.europa.eu/eli/reg_impl/2023/138/oj'],
    hvdCategory: ['http://data.europa.eu/bna/c_dd313021'],
  };
}

/** Every annotated property of a schema and the schemas below it, as paths. */
function modelPaths(schema: TObject, prefix = '', seen = new Set<TObject>()): string[] {
  const out: string[] = [];
  for (const [key, prop] of Object.entries(schema.properties)) {
    const a = rdfOf(prop as TSchema);
    if (!a) continue;
    out.push(prefix + key);
    const child = a.kind === 'node' || a.kind === 'iriOrNode' ? nodeSchemaOf(prop as TSchema) : undefined;
    if (child && !seen.has(child)) out.push(...modelPaths(child, `${prefix}${key}.`, new Set([...seen, child])));
  }
  return out;
}

function docPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, p: string) => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, p));
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('@') || k === 'de' || k === 'en') continue; // language-map keys
      out.add(p + k);
      visit(x, `${p}${k}.`);
    }
  };
  visit(value, prefix);
  return out;
}

/** What the profile writes of a document: its properties, with status and checksum algorithm in the profile's list. */
function asWritten(doc: Record<string, unknown>, profile: Profile): Record<string, unknown> {
  const strip = (node: Record<string, unknown>, schema: TObject): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const prop = schema.properties[k] as TSchema | undefined;
      const a = prop ? rdfOf(prop) : undefined;
      if (a?.profiles && !a.profiles.includes(profile)) continue;
      const child = prop && a && (a.kind === 'node' || a.kind === 'iriOrNode') ? nodeSchemaOf(prop) : undefined;
      const one = (x: unknown) => (child && typeof x === 'object' && x ? strip(x as Record<string, unknown>, child) : x);
      let value = Array.isArray(v) ? v.map(one) : one(v);
      if (a?.vocab === 'distributionStatus') value = distributionStatusFor(value as string, profile);
      if (a?.vocab === 'hashAlgorithm') value = hashAlgorithmFor(value as string, profile);
      out[k] = value;
    }
    return out;
  };
  return strip(doc, Dataset);
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const HOLDER_CLASSES = ['http://purl.org/dc/terms/ProvenanceStatement', 'http://purl.org/dc/terms/RightsStatement', 'http://www.w3.org/ns/locn#Geometry'];

t.test('a document using every property survives the round trip in both profiles', async (t) => {
  const doc = representative();
  const used = docPaths(doc);
  for (const path of modelPaths(Dataset)) t.ok(used.has(path), `the representative document uses ${path}`);
  const stored = normalizeDataset(doc, { ...ctx, uri: DS });
  t.same(datasetProblems(stored).filter((p) => p.key === 'dataset.schema'), [], 'the document is of the schema');

  for (const profile of ['dcat-ap-de-2', 'dcat-ap-de-3'] as const) {
    const quads = [...datasetToQuads(doc as DatasetDoc, { profile })];
    // 3.0 holds provenance, rights and geometry in nodes of their classes, 2.0 as literals: both are read back.
    const holders = quads.filter((q) => q.predicate.value === RDF_TYPE && HOLDER_CLASSES.includes(q.object.value)).map((q) => q.object.value);
    t.same([...new Set(holders)].sort(), profile === 'dcat-ap-de-3' ? [...HOLDER_CLASSES].sort() : [], `${profile}: holder nodes as the profile writes them`);
    const { doc: back, problems } = datasetFromQuads(quads, DS);
    t.same(problems, [], `${profile}: nothing to report`);
    t.same(back, asWritten(doc, profile), `${profile}: the same document`);
    // And through each syntax, with the project's parsers.
    for (const format of ['turtle', 'rdfxml', 'jsonld', 'ntriples'] as const) {
      const text = await serialize(format, quads);
      const again = datasetFromQuads(await parseRdf(text, format), DS);
      t.same(again.doc, back, `${profile} via ${format}`);
    }
  }
});

t.test('generated catalogs round-trip document by document', async (t) => {
  let n = 0;
  for (const generated of generateDatasets(300, 20261201)) {
    const { name: _name, organization: _org, ...doc } = generated as DatasetDoc & Record<string, unknown>;
    const profile: Profile = n % 2 ? 'dcat-ap-de-3' : 'dcat-ap-de-2';
    const quads = [...datasetToQuads(doc as DatasetDoc, { profile })];
    const subject = quads[0].subject;
    const { doc: back, problems } = datasetFromQuads(quads, subject, { undoExportView: false });
    if (problems.length) t.same(problems, [], `#${n}`);
    // Without undoing, what comes back is exactly the export view.
    t.same(back, asWritten(exportView(doc as DatasetDoc) as Record<string, unknown>, profile), `#${n}`);
    n++;
  }
  t.equal(n, 300);
});

t.test('the export view is undone: the stored document comes back', async (t) => {
  const doc = {
    '@id': DS,
    '@type': 'Dataset',
    title: { de: 'T' },
    politicalGeocodingURI: ['http://dcat-ap.de/def/politicalGeocoding/districtKey/05978'],
    spatial: ['https://sws.geonames.org/2820087/'],
  };
  const quads = [...datasetToQuads(doc as DatasetDoc, { profile: 'dcat-ap-de-2' })];
  t.ok(quads.some((q) => q.predicate.value.endsWith('/identifier') && q.object.value === DS), 'the export adds dct:identifier');
  t.same(datasetFromQuads(quads, DS).doc, doc);
});

// ---------------------------------------------------------------------------
// Quirks of real catalogs.

t.test('DCAT-AP.de 1.0 licences, namespaces and property names', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:title "Titel" ;
      <http://dcat-ap.de/def/dcatde/1_0/politicalGeocodingURI> <http://dcat-ap.de/def/politicalGeocoding/stateKey/05> ;
      <http://dcat-ap.de/def/dcatde/1.0.1/politicalGeocodingLevelURI> <http://dcat-ap.de/def/politicalGeocoding/Level/state> ;
      <http://dcat-ap.de/def/dcatde/1_0contributorID> <http://dcat-ap.de/def/contributors/openNRW> ;
      <http://dcat-ap.de/def/dcatde/1_0/geocodingText> "NRW" ;
      <http://dcat-ap.de/def/dcatde/1.0.1/legalbasisText> "UIG" ;
      <https://www.dcat-ap.de/def/dcatde/1.1/qualityProcessURI> <https://example.org/qs> ;
      dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://x.example/> ;
        dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2_0> ;
        <http://dcat-ap.de/def/dcatde/1_0/licenseAttributionByText> "Land NRW" ] ,
        [ a dcat:Distribution ; dcat:accessURL <https://y.example/> ; dct:license <http://dcat-ap.de/def/licenses/cc-by/4_0> ] .`);
  t.same(problems, []);
  t.same(doc.politicalGeocodingURI, ['http://dcat-ap.de/def/politicalGeocoding/stateKey/05']);
  t.same(doc.politicalGeocodingLevelURI, ['http://dcat-ap.de/def/politicalGeocoding/Level/state']);
  t.same(doc.contributorID, ['http://dcat-ap.de/def/contributors/openNRW'], 'the 1_0 namespace that lost its slash (Brandenburg)');
  t.same(doc.geocodingDescription, { de: 'NRW' });
  t.same(doc.legalBasis, { de: 'UIG' });
  t.equal(doc.qualityProcessURI, 'https://example.org/qs', 'https://www.dcat-ap.de/def/dcatde/1.1/');
  t.equal(doc.distribution?.[0].license, 'http://dcat-ap.de/def/licenses/dl-by-de/2.0');
  t.same(doc.distribution?.[0].licenseAttributionByText, { de: 'Land NRW' });
  t.equal(doc.distribution?.[1].license, 'http://dcat-ap.de/def/licenses/cc-by/4.0');
});

t.test('the current namespace wins over an older one', async (t) => {
  const { doc } = await readTurtle(`
    <${DS}> a dcat:Dataset ;
      <http://dcat-ap.de/def/dcatde/1_0/politicalGeocodingLevelURI> <http://dcat-ap.de/def/politicalGeocoding/Level/state> ;
      dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality> .`);
  t.same(doc.politicalGeocodingLevelURI, ['http://dcat-ap.de/def/politicalGeocoding/Level/municipality']);
});

t.test('formats, media types and URLs given as literals or other vocabularies', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dcat:distribution
      [ dcat:accessURL "https://a.example/data.csv" ; dct:format "CSV" ; dcat:mediaType "text/csv" ] ,
      [ dcat:accessURL <https://b.example/> ; dct:format <https://www.iana.org/assignments/media-types/application/json> ; dcat:mediaType "ZIP" ] ,
      [ dcat:accessURL <https://c.example/> ; dct:format [ a dct:IMT ; rdf:value "text/csv" ; <http://www.w3.org/2000/01/rdf-schema#label> "CSV" ] ] ,
      [ dcat:accessURL <https://d.example/> ; dct:format "Tabellenkalkulation" ] .`);
  const d = doc.distribution ?? [];
  t.same(d[0].accessURL, ['https://a.example/data.csv'], 'accessURL as a literal');
  t.equal(d[0].format, 'http://publications.europa.eu/resource/authority/file-type/CSV');
  t.equal(d[0].mediaType, 'https://www.iana.org/assignments/media-types/text/csv');
  t.equal(d[1].format, 'http://publications.europa.eu/resource/authority/file-type/JSON', 'an IANA IRI as dct:format');
  t.equal(d[1].mediaType, 'https://www.iana.org/assignments/media-types/application/zip', 'a file type code as media type');
  t.equal(d[2].format, 'http://publications.europa.eu/resource/authority/file-type/CSV', 'a DCAT-AP 1.1 IMT node');
  t.notOk('format' in d[3], 'an unknown format literal is dropped…');
  t.match(problems, [{ path: '/distribution/3/format', key: 'rdf.iri', message: /Tabellenkalkulation/ }], '…and reported');
});

t.test('vCard variants and agents without type', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ;
      dct:publisher [ foaf:name "Stadt Kamen"@de ] ;
      dct:creator [ a foaf:Person ; foaf:name "Erika" ; foaf:mbox "erika@kamen.de" ] ;
      dcat:contactPoint [ a vcard:Kind ; vcard:fn "Bürgerbüro" ; vcard:hasEmail "buergerbuero@kamen.de" ; vcard:hasTelephone "+49 2307 148-0" ] ,
        [ a vcard:Organization, vcard:Kind ; vcard:fn "IT" ; vcard:hasEmail <mailto:it@kamen.de> ; vcard:hasTelephone [ a vcard:Voice ; vcard:hasValue <tel:+492307148100> ] ] ,
        [ vcard:fn "Ohne Typ" ; vcard:hasEmail "mailto:x@kamen.de" ] .`);
  t.same(problems, []);
  t.same(doc.publisher, { name: { de: 'Stadt Kamen' } }, 'foaf:Agent without a type has no @type');
  t.equal(normalizeDataset(doc as Record<string, unknown>, ctx).publisher?.['@type'], 'Organization', 'which the catalog fills in');
  t.same(doc.creator, [{ '@type': 'Person', name: { de: 'Erika' }, mbox: 'mailto:erika@kamen.de' }]);
  t.same(doc.contactPoint, [
    { '@type': 'Kind', fn: 'Bürgerbüro', hasEmail: 'mailto:buergerbuero@kamen.de', hasTelephone: 'tel:+492307148-0' },
    { '@type': 'Organization', fn: 'IT', hasEmail: 'mailto:it@kamen.de', hasTelephone: 'tel:+492307148100' },
    { fn: 'Ohne Typ', hasEmail: 'mailto:x@kamen.de' },
  ]);
});

t.test('typed literals: dates, years, byte sizes in both datatypes', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:issued "2017"^^xsd:gYear ; dct:modified "2017-10-25 13:45:51" ;
      dct:temporal [ dcat:startDate "01.02.2016" ; <http://schema.org/endDate> "2016-12-31T00:00:00+0100"^^xsd:dateTime ] ;
      dcat:distribution [ dcat:accessURL <https://a.example/> ; dcat:byteSize "685246.0"^^xsd:decimal ; dct:issued "2017-02"^^xsd:gYearMonth ] ,
        [ dcat:accessURL <https://b.example/> ; dcat:byteSize "42"^^xsd:nonNegativeInteger ; dcat:spatialResolutionInMeters "0.5"^^xsd:decimal ] ,
        [ dcat:accessURL <https://c.example/> ; dcat:byteSize "12 MB" ; dct:modified "letzten Mittwoch" ] .`);
  t.equal(doc.issued, '2017');
  t.equal(doc.modified, '2017-10-25T13:45:51');
  t.same(doc.temporal, [{ startDate: '2016-02-01', endDate: '2016-12-31T00:00:00+01:00' }]);
  const d = doc.distribution ?? [];
  t.equal(d[0].byteSize, 685246, 'xsd:decimal with a fraction of zero (DCAT-AP.de 2.0)');
  t.equal(d[0].issued, '2017-02');
  t.equal(d[1].byteSize, 42, 'xsd:nonNegativeInteger (3.0)');
  t.equal(d[1].spatialResolutionInMeters, 0.5);
  t.notOk('byteSize' in d[2] || 'modified' in d[2]);
  t.match(problems, [
    { path: '/distribution/2/byteSize', key: 'rdf.integer', message: /12 MB/ },
    { path: '/distribution/2/modified', key: 'rdf.date', message: /letzten Mittwoch/ },
  ]);
});

t.test('languages: tagged texts keep their tag, plain ones get the catalog language', async (t) => {
  const body = `<${DS}> a dcat:Dataset ; dct:title "Bäume", "Trees"@en ; dcat:keyword "Umwelt", "Natur", "nature"@en, "Umwelt" .`;
  const de = await readTurtle(body);
  t.same(de.doc.title, { de: 'Bäume', en: 'Trees' });
  t.same(de.doc.keyword, { de: ['Umwelt', 'Natur'], en: ['nature'] });
  t.same((await readTurtle(body, { language: 'en' })).doc.title, { en: 'Bäume' }, 'two English titles: the first is kept');
  t.same((await readTurtle(body, { language: '@none' })).doc.title, { '@none': 'Bäume', en: 'Trees' });
});

t.test('several values where one is allowed; wrong kinds of terms', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:title "Eins"@de, "Zwei"@de ; dct:identifier "a", "b" ; dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
      dcat:keyword <http://bing.de> ; dct:identifier2 "unknown" ; <http://example.org/unknown> "ignored" ;
      dct:identifier <https://example.org/id/1> .`);
  t.same(doc.title, { de: 'Eins' });
  t.equal(doc.identifier, 'a');
  t.notOk('keyword' in doc);
  t.match(problems, [
    { path: '/title/de', key: 'rdf.single' },
    { path: '/keyword', message: /bing/ },
    { path: '/identifier', key: 'rdf.single', message: /3 values/ },
  ]);
  t.equal(problems.length, 3, 'unknown predicates are not problems');
});

t.test('provenance, rights and geometries as DCAT-AP 3.0 nodes or as literals', async (t) => {
  const GSP = 'http://www.opengis.net/ont/geosparql#';
  const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
  const nodes = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:provenance [ a dct:ProvenanceStatement ; <${RDFS}label> "Vom Grünflächenamt erhoben", "Surveyed by the parks department"@en ] ;
      dct:spatial [ a dct:Location ; locn:geometry [ a locn:Geometry ; <${GSP}asWKT> "POINT(7.69 51.54)"^^<${GSP}wktLiteral> ] ] ,
        [ a dct:Location ; locn:geometry <https://example.org/geometry/unna> ] ;
      dcat:distribution [ dcat:accessURL <https://a.example/> ; dct:rights <https://example.org/rights/frei> ] ,
        [ dcat:accessURL <https://b.example/> ; dct:rights [ a dct:RightsStatement ] ] .
    <https://example.org/geometry/unna> a locn:Geometry ; <${GSP}asGeoJSON> '{"type":"Point","coordinates":[7.65,51.53]}' .
    <https://example.org/rights/frei> a dct:RightsStatement ; <${RDFS}label> "Nutzung frei"@de .`);
  t.same(nodes.doc.provenance, { de: 'Vom Grünflächenamt erhoben', en: 'Surveyed by the parks department' }, 'a statement node: its labels by language');
  t.same(nodes.doc.spatial, [{ '@type': 'Location', geometry: 'POINT(7.69 51.54)' }, { '@type': 'Location', geometry: '{"type":"Point","coordinates":[7.65,51.53]}' }], 'a geometry node: its WKT or GeoJSON, blank or named');
  t.same(nodes.doc.distribution?.[0].rights, { de: 'Nutzung frei' }, 'a named rights statement');
  t.notOk('rights' in (nodes.doc.distribution?.[1] ?? {}), 'a statement without a text gives none');
  t.match(nodes.problems, [{ path: '/distribution/1/rights', key: 'rdf.literal', message: /blank node is not a text/ }]);
  t.equal(nodes.problems.length, 1);

  const literals = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:provenance "Vom Grünflächenamt erhoben" ;
      dct:spatial [ a dct:Location ; locn:geometry "POINT(7.69 51.54)"^^<${GSP}wktLiteral> ] ;
      dcat:distribution [ dcat:accessURL <https://a.example/> ; dct:rights "Nutzung frei"@de, "Free to use"@en ] .`);
  t.same(literals.doc.provenance, { de: 'Vom Grünflächenamt erhoben' }, 'a literal statement (2.0, real catalogs)');
  t.same(literals.doc.spatial, [{ '@type': 'Location', geometry: 'POINT(7.69 51.54)' }], 'a literal geometry');
  t.same(literals.doc.distribution?.[0].rights, { de: 'Nutzung frei', en: 'Free to use' });
  t.same(literals.problems, []);
});

t.test('rdf:List values are read as their members', async (t) => {
  const { doc } = await readTurtle(`<${DS}> a dcat:Dataset ; dcat:theme ( <http://publications.europa.eu/resource/authority/data-theme/ENVI> <http://publications.europa.eu/resource/authority/data-theme/TRAN> ) .`);
  t.same(doc.theme, ['http://publications.europa.eu/resource/authority/data-theme/ENVI', 'http://publications.europa.eu/resource/authority/data-theme/TRAN']);
});

t.test('a dataset and its distribution with one IRI (Destatis)', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:title "Wahl" ; dcat:distribution <${DS}> ; dcat:accessURL <https://wahl.example/ergebnis.html> .`);
  t.same(problems, []);
  t.same(doc.distribution, [{ '@id': DS, title: { de: 'Wahl' }, accessURL: ['https://wahl.example/ergebnis.html'] }]);
});

t.test('hostile graphs: cycles terminate, fan-out is bounded', async (t) => {
  const { namedNode, blankNode, literal, quad } = DataFactory;
  const p = (local: string) => namedNode(`http://www.w3.org/ns/dcat#${local}`);
  const dct = (local: string) => namedNode(`http://purl.org/dc/terms/${local}`);
  const ds = namedNode(DS);
  const a = blankNode('a');
  const b = blankNode('b');
  const cyclic: Quad[] = [
    quad(ds, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), p('Dataset')),
    quad(ds, p('distribution'), a),
    quad(a, p('accessURL'), namedNode('https://a.example/')),
    quad(a, p('accessService'), b),
    quad(b, dct('title'), literal('Dienst')),
    quad(b, p('accessService'), a),
    quad(b, dct('publisher'), b),
    quad(b, p('distribution'), ds),
    quad(ds, dct('publisher'), ds),
  ];
  const cycled = datasetFromQuads(cyclic, DS);
  t.same(cycled.doc.distribution?.[0].accessService?.[0].title, { de: 'Dienst' });

  // 300 distributions sharing 300 services: 90,000 nodes if each were copied.
  const fan: Quad[] = [quad(ds, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), p('Dataset'))];
  for (let i = 0; i < 300; i++) {
    fan.push(quad(ds, p('distribution'), blankNode(`d${i}`)), quad(blankNode(`d${i}`), p('accessURL'), namedNode(`https://a.example/${i}`)));
    for (let j = 0; j < 300; j++) fan.push(quad(blankNode(`d${i}`), p('accessService'), blankNode(`s${j}`)));
    fan.push(quad(blankNode(`s${i}`), dct('title'), literal(`S${i}`)));
  }
  const bounded = datasetFromQuads(new QuadGraph(fan), DS, { maxNodes: 2000 });
  t.match(bounded.problems, [{ key: 'rdf.size' }]);
  t.equal(bounded.problems.filter((x) => x.key === 'rdf.size').length, 1, 'reported once');

  const deep = datasetFromQuads(cyclic, DS, { maxDepth: 1 });
  t.notOk(deep.doc.distribution?.[0].accessService, 'nothing below the depth limit');
  t.match(deep.problems, [{ key: 'rdf.depth' }]);
});

t.test('ckanext-dcatde writes the address flat on the contact point', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dcat:contactPoint <https://example.org/contact> .
    <https://example.org/contact> a vcard:Organization ; vcard:fn "Bürgerbüro" ;
      vcard:hasStreetAddress "Rathausplatz 1" ; vcard:hasLocality "Unna" ; vcard:hasPostalCode "59423" ; vcard:hasCountryName "DE" .`);
  t.same(problems, []);
  t.same(doc.contactPoint, [
    { '@id': 'https://example.org/contact', '@type': 'Organization', fn: 'Bürgerbüro', hasAddress: { streetAddress: 'Rathausplatz 1', locality: 'Unna', postalCode: '59423', countryName: 'DE' } },
  ]);
  const nested = await readTurtle(`<${DS}> a dcat:Dataset ; dcat:contactPoint [ vcard:fn "X" ; vcard:hasAddress [ a vcard:Address ; vcard:locality "Kamen" ] ] .`);
  t.same(nested.doc.contactPoint, [{ fn: 'X', hasAddress: { '@type': 'Address', locality: 'Kamen' } }], 'the vCard 4 form');
});

t.test('IRIs of other vocabularies and spellings for the same concept', async (t) => {
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:language <http://id.loc.gov/vocabulary/iso639-1/de>, <http://lexvo.org/id/iso639-3/eng> ;
      dcat:distribution [ dcat:accessURL <https://b.example/> ; dct:license <http://www.opendefinition.org/licenses/cc-zero> ] ,
        [ dcat:accessURL <https://a.example/> ; dct:license <https://creativecommons.org/licenses/by/4.0> ;
        spdx:checksum [ spdx:algorithm <https://www.dcat-ap.de/def/hashAlgorithms/md/5> ; spdx:checksumValue "476a5533998c2b31c81c2d56a25b83a7"^^xsd:hexBinary ] ] .`);
  t.same(problems, []);
  t.same(doc.language, ['http://publications.europa.eu/resource/authority/language/DEU', 'http://publications.europa.eu/resource/authority/language/ENG'], 'Library of Congress and Lexvo language IRIs');
  t.equal(doc.distribution?.[0].license, 'http://dcat-ap.de/def/licenses/cc-zero', 'a CKAN licence id as Open Definition IRI (ckanext-dcat)');
  t.equal(doc.distribution?.[1].license, 'http://dcat-ap.de/def/licenses/cc-by/4.0', 'a licence by the URL of its text');
  t.equal(doc.distribution?.[1].checksum?.algorithm, 'http://dcat-ap.de/def/hashAlgorithms/md/5', 'https://www. spelling of dcat-ap.de');
});

t.test('unknown vocabulary values: kept for validation, or dropped on request', async (t) => {
  const body = `<${DS}> a dcat:Dataset ; dcat:theme <https://opendata.potsdam.de/id/theme/Politik>, <http://publications.europa.eu/resource/authority/data-theme/GOVE> .`;
  const kept = await readTurtle(body);
  t.same(kept.doc.theme, ['https://opendata.potsdam.de/id/theme/Politik', 'http://publications.europa.eu/resource/authority/data-theme/GOVE']);
  t.same(kept.problems, []);
  const stored = normalizeDataset(kept.doc as Record<string, unknown>, ctx);
  t.match(datasetProblems(stored).filter((p) => p.key === 'dataset.vocab'), [{ path: '/theme/0', message: /potsdam/ }], 'the catalog validation reports it');
  const dropped = await readTurtle(body, { unknownVocabulary: 'drop' });
  t.same(dropped.doc.theme, ['http://publications.europa.eu/resource/authority/data-theme/GOVE']);
  t.match(dropped.problems, [{ path: '/theme/0', key: 'rdf.iri', message: /potsdam/ }]);
});

// GovData's rule test cases (one file per rule, valid and invalid cases side by side).
const GOVDATA = 'govdata-testcases';
/** The graph of one case file, and the IRI of a case by its local name (relative IRIs resolve against the parse base). */
const byLocalName = async (file: string) => {
  const graph = new QuadGraph(await parseFile(`${GOVDATA}/${file}`));
  return { graph, iri: (local: string) => `http://example.org/${local}` };
};

t.test('GovData cases: political geocoding', async (t) => {
  const { graph, iri } = await byLocalName('dataset-politicalGeocodingURI.ttl');
  const read = (local: string) => datasetFromQuads(graph, iri(local));
  t.same(read('06-P-working_d_r_s').doc.politicalGeocodingURI, [
    'http://dcat-ap.de/def/politicalGeocoding/districtKey/01001',
    'http://dcat-ap.de/def/politicalGeocoding/regionalKey/010010000000',
    'http://dcat-ap.de/def/politicalGeocoding/stateKey/11',
  ]);
  const literal = read('08-F-multiple_one_wrong_type');
  t.same(literal.doc.politicalGeocodingURI, ['http://dcat-ap.de/def/politicalGeocoding/districtKey/01001'], 'the same IRI as a literal is the same value');
  t.same(literal.problems, []);
  t.notOk('politicalGeocodingURI' in read('07-W-No_politicalGeocodingURI').doc);
});

t.test('GovData cases: agents by reference, typed wrongly or given as names', async (t) => {
  const { graph, iri } = await byLocalName('dataset-originator-maintainer-contributor-creator.ttl');
  const read = (local: string) => datasetFromQuads(graph, iri(local));
  const multiple = read('01-P-working_multiple').doc;
  const bond = { '@id': iri('ex_agent'), '@type': 'Agent', name: { de: 'James Bond' } };
  const smith = { '@id': iri('ex_agent_smith'), '@type': 'Agent', name: { de: 'Smith' } };
  for (const key of ['originator', 'maintainer', 'contributor', 'creator'] as const) t.same(multiple[key], [bond, smith], key);
  t.same(read('05-Fs-wrong_type_1').doc.creator, [{ name: { de: 'James Bond' } }], 'a literal is the agent\'s name');
  t.same(read('04-Fs-wrong_type_2').doc.creator, [{ '@id': iri('ex_person'), '@type': 'Person' }], 'foaf:nick is not mapped');
  t.same(read('05-Fs-wrong_type_3').doc.creator, [{ '@id': iri('ex_organization'), name: { de: 'MI-6' } }], 'a misspelt class gives no @type');
});

t.test('GovData cases: contributor IDs', async (t) => {
  const { graph, iri } = await byLocalName('dataset-contributorID.ttl');
  const read = (local: string) => datasetFromQuads(graph, iri(local));
  t.same(read('03-F-contributorID_wrong_type').doc.contributorID, ['http://dcat-ap.de/def/contributors/transparenzportalHamburg']);
  t.same(read('05-PsFk-contributorID_with_other_IRI').doc.contributorID, ['http://dcat-ap.de/def/contributors/transparenzportalHamburg', 'https://opendata.umea.se/']);
  const relative = read('07-PsFk-contributorID_incorrect_IRI');
  t.same(relative.doc.contributorID, [iri('isthisancorrektIRI')], 'resolved against the base like any relative IRI');
});

t.test('GovData cases: licences of distributions', async (t) => {
  const { graph, iri } = await byLocalName('dashboard_db-tests_licenses.ttl');
  const read = (local: string) => resourceFromQuads(graph, iri(local), Distribution);
  t.equal(read('V-TEST-01').doc.license, 'http://dcat-ap.de/def/licenses/other-commercial');
  const two = read('I-TEST-02');
  t.equal(two.doc.license, 'http://dcat-ap.de/def/licenses/other-commercial', 'of two licences the first is kept');
  t.match(two.problems, [{ path: '/license', key: 'rdf.single' }]);
  t.equal(read('I-TEST-03').doc.license, 'http://dcat-ap.de/def/licenses/other-commercial', 'an IRI in angle brackets as a literal');
  t.equal(read('L-TEST-01').doc.license, 'http://dcat-ap.de/def/licenses/apache', 'a licence code');
  t.equal(read('L-TEST-02').doc.license, 'http://dcat-ap.de/def/licenses/apache', 'the URL of the licence text');
  t.notOk('license' in read('I-TEST-01').doc);
});

t.test('GovData cases: distribution status and checksums', async (t) => {
  const status = await byLocalName('v2.0_shapes_distribution-adms_status.ttl');
  const read = (local: string) => resourceFromQuads(status.graph, `https://example.org/${local}`, Distribution);
  t.equal(read('ok-2-distribution').doc.status, 'http://purl.org/adms/status/Completed');
  t.equal(read('bad-1-dist-noIRI').doc.status, 'http://purl.org/adms/status/Completed', 'the code "completed" as a literal');
  t.match(read('bad-2-dist-multipleStatus').problems, [{ path: '/status', key: 'rdf.single' }]);
  t.equal(read('bad-3-dist-notInList').doc.status, 'https://example.org/completed', 'kept for validation to report');

  const checksum = await byLocalName('distribution-checksum.ttl');
  t.same(resourceFromQuads(checksum.graph, checksum.iri('01-P-working'), Distribution).doc.checksum, {
    '@type': 'Checksum',
    algorithm: 'http://dcat-ap.de/def/hashAlgorithms/md/5',
    checksumValue: '476a5533998c2b31c81c2d56a25b83a7',
  });
});

t.test('GovData cases: periods of time in DCAT, schema.org and OWL-Time', async (t) => {
  const { graph } = await byLocalName('v2.0_shapes_periodoftime.ttl');
  const read = (local: string) => resourceFromQuads(graph, `https://example.org/${local}`, PeriodOfTime);
  t.same(read('ok-1-both-dcat').doc, { '@id': 'https://example.org/ok-1-both-dcat', '@type': 'PeriodOfTime', startDate: '1987-05-08', endDate: '2090-05-08' }, 'dcat');
  t.same(read('gray-1-both-schema').doc, { '@id': 'https://example.org/gray-1-both-schema', '@type': 'PeriodOfTime', startDate: '1987-05-08', endDate: '2090-05-08' }, 'schema.org');
  const time = read('ok-4-both-time');
  t.same(time.doc, { '@id': 'https://example.org/ok-4-both-time', '@type': 'PeriodOfTime' }, 'time:Instant without a date: nothing to map');
  t.match(time.problems, [{ path: '/startDate', key: 'rdf.date' }, { path: '/endDate', key: 'rdf.date' }]);
  t.match(read('bad-double-dcat-start').problems, [{ path: '/startDate', key: 'rdf.single' }]);
  const instant = await readTurtle(`<${DS}> a dcat:Dataset ; dct:temporal [ <http://www.w3.org/2006/time#hasBeginning> [ <http://www.w3.org/2006/time#inXSDDate> "2001-02-03"^^xsd:date ] ] .`);
  t.same(instant.doc.temporal, [{ startDate: '2001-02-03' }], 'a time:Instant with its date');
});

t.test('values beyond the schema\'s limits are dropped, not stored', async (t) => {
  const long = 'x'.repeat(100_001);
  const { doc, problems } = await readTurtle(`
    <${DS}> a dcat:Dataset ; dct:title "${long}"@de, "Kurz"@en ; dcat:keyword "${'k'.repeat(1001)}", "ok" ;
      dcat:landingPage <https://example.org/${'p'.repeat(5000)}>, <https://example.org/short> .`);
  t.same(doc.title, { en: 'Kurz' });
  t.same(doc.keyword, { de: ['ok'] });
  t.same(doc.landingPage, ['https://example.org/short']);
  t.match(problems, [{ path: '/title', key: 'rdf.text' }, { path: '/keyword', key: 'rdf.text' }, { path: '/landingPage/0', key: 'rdf.iri' }]);
  t.ok(problems.every((p) => p.message.length < 400), 'messages do not repeat the whole value');
});
