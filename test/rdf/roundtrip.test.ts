import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { systemActor } from '../../src/auth/actor.js';
import { createDataset } from '../../src/catalog/datasets.js';
import { datasetsFromQuads } from '../../src/rdf/read.js';
import { formatFromExtension, parseRdf, type RdfFormat } from '../../src/rdf/syntax/index.js';
import { testApp } from '../helpers/app.js';
import { parse } from '../api/dcat/rdf.js';

/**
 * Real catalogs (../shared/fixtures/rdf) loaded through the model into the
 * catalog (by this helper until harvesting exists), exported through the
 * catalog endpoint in every syntax, re-parsed with a second parser and read
 * back: every dataset and distribution, and each of their properties, must
 * come back as it was stored.
 */

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/rdf/', import.meta.url));
const FILES = [
  'brandenburg-catalog.rdf',
  'destatis-catalog.rdf',
  'ckanext-dcatde-metadata_max_only_valid_uris.rdf',
  'ckanext-dcatde-metadata_max_1_0.rdf',
  'sh-ckan-catalog-single.xml',
  'dcatapde-examples/v2.0-dcat_ap_de-RefImp_RDF_ADVANCED.rdf',
  'dcatapde-examples/v2.0-ex-23-dataservice.rdf',
  'dcatapde-examples/v3.0-DatasetSeries.ttl',
];
const SERIES = 'http://bienenland.example.org/rdf/series/87654321-0xyz-8472-0815-db732bcf6912';

const ctx = await testApp({ CATALOG_PAGE_SIZE: '1000' });
t.teardown(() => ctx.close());
const db = ctx.db.database.db;
const actor = systemActor('harvest');

type Doc = Record<string, unknown>;
const stored = new Map<string, Doc>();
const refused: string[] = [];
for (const file of FILES) {
  const format: RdfFormat = file.endsWith('.xml') ? 'rdfxml' : (formatFromExtension(file) as RdfFormat);
  for (const { doc } of datasetsFromQuads(await parseRdf(readFileSync(FIXTURES + file), format, { baseIRI: 'http://example.org/' }))) {
    if (!doc['@id']) continue;
    try {
      const s = await createDataset(db, ctx.config, actor, doc as Doc, { organization: 'kreis-unna', uri: doc['@id'] });
      stored.set(s.uri, s.doc as unknown as Doc);
    } catch (err) {
      refused.push(`${file} ${doc['@id']}: ${(err as Error).message}`);
    }
  }
}

// Classes with a single type: their "@type" says nothing, and the reader writes it where the stored document has none.
const SINGLE_CLASS = new Set(['Address', 'Identifier', 'Checksum', 'PeriodOfTime', 'Location', 'DataService', 'Distribution', 'DatasetSeries']);
const untyped = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(untyped)
    : typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === '@type' && SINGLE_CLASS.has(x as string))).map(([k, x]) => [k, untyped(x)]))
      : v;

/** The document without what only the catalog's record holds. */
function comparable(doc: Doc): Doc {
  const { '@context': _c, id: _i, name: _n, organization: _o, private: _p, state: _s, revision: _r, metadataCreated: _mc, metadataModified: _mm, ...rest } = doc;
  const dists = (rest.distribution as Doc[] | undefined)?.map(({ id: _id, ...d }) => d);
  // dcatap:applicableLegislation is 3.0 only; the export here is 2.0.
  const series = (rest.inSeries as (string | Doc)[] | undefined)?.map((x) => (typeof x === 'object' ? (({ applicableLegislation: _l, ...r }) => r)(x) : x));
  return untyped(JSON.parse(JSON.stringify({ ...rest, ...(dists ? { distribution: dists } : {}), ...(series ? { inSeries: series } : {}) }))) as Doc;
}

t.test('the fixtures load through the model', async (t) => {
  t.ok(stored.size >= 200, `${stored.size} datasets stored, ${refused.length} refused by validation`);
  for (const must of ['ckanext-dcatde-metadata_max_only_valid_uris.rdf', 'dcatapde-examples/v2.0-dcat_ap_de-RefImp_RDF_ADVANCED.rdf']) {
    t.same(refused.filter((r) => r.startsWith(must)), [], `${must}: every dataset accepted`);
  }
  // DCAT-AP.de's 3.0 series example: each member holds the dcat:DatasetSeries it is in, as the graph describes it.
  const members = [...stored.values()].filter((d) => (d.inSeries as Doc[] | undefined)?.some((s) => s['@id'] === SERIES));
  t.equal(members.length, 3, 'the three members of the series example');
  t.match(members[0].inSeries, [{ '@id': SERIES, title: { de: 'Haushaltspläne Bienenland' }, accrualPeriodicity: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL', temporal: [{ startDate: '2021-01-01' }] }]);
});

for (const [ext, format] of [
  ['rdf', 'rdfxml'],
  ['ttl', 'turtle'],
  ['jsonld', 'jsonld'],
  ['nt', 'ntriples'],
] as const) {
  t.test(`every dataset, distribution and property survives /catalog.${ext}`, async (t) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/catalog.${ext}` });
    t.equal(res.statusCode, 200);
    const back = new Map(datasetsFromQuads(await parse(format, res.body)).map((r) => [r.doc['@id'] as string, r.doc as Doc]));
    t.equal(back.size, stored.size, 'as many datasets as stored');
    let distributions = 0;
    for (const [uri, doc] of stored) {
      const read = back.get(uri);
      if (!t.ok(read, `${uri} is in the export`)) continue;
      distributions += ((doc.distribution as unknown[]) ?? []).length;
      t.same(comparable(read as Doc), comparable(doc), uri);
    }
    t.ok(distributions >= 200, `${distributions} distributions compared`);
  });
}
