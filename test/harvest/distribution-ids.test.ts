import t from 'tap';
import { eq } from 'drizzle-orm';
import { admin } from '../helpers/rest.js';
import { dcatSourceBench } from '../helpers/harvest.js';
import { datasets } from '../../src/db/schema.js';

/** A changed DCAT record, re-harvested, keeps the ids and URIs of its distributions (issue 6). */

const DS = 'https://daten.kamen.example/dataset/baumkataster';
let version = 1;

/** One dataset: a named distribution (the source's URI), two blank ones; version 2 changes titles, adds one, drops one. */
function catalog(): string {
  const dist = (node: string, url: string, title: string) =>
    `${node} a dcat:Distribution ; dct:title "${title}"@de ; dcat:accessURL <${url}> ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .`;
  const v2 = version === 2;
  const dists = [
    dist('<https://daten.kamen.example/dist/baeume-csv>', 'https://daten.kamen.example/baeume.csv', v2 ? 'Bäume (CSV, aktualisiert)' : 'Bäume (CSV)'),
    dist('_:json', 'https://daten.kamen.example/baeume.json', v2 ? 'Bäume (JSON, neu erzeugt)' : 'Bäume (JSON)'),
    v2 ? dist('_:pdf', 'https://daten.kamen.example/baeume.pdf', 'Bäume (PDF)') : dist('_:old', 'https://daten.kamen.example/baeume-2019.csv', 'Bäume 2019'),
  ];
  const links = dists.map((d) => d.split(' ')[0]).join(', ');
  return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${DS}> a dcat:Dataset ; dct:title "Baumkataster Kamen${v2 ? ' 2025' : ''}"@de ; dct:description "Alle Bäume der Stadt Kamen."@de ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ; dcat:distribution ${links} .
${dists.join('\n')}
`;
}

const bench = await dcatSourceBench(t, () => catalog(), { name: 'kamen-dcat', title: 'Kamen DCAT', organization: 'kamen' });
const { app } = bench;
const db = () => bench.db.database.db;
const harvest = () => bench.harvest<{ status: string; error: string | null; counts: Record<string, number> }>();

type Dist = { id: string; '@id': string; accessURL: string[]; title: Record<string, string> };
async function harvested(): Promise<{ id: string; distribution: Dist[] }> {
  const [row] = await db().select({ id: datasets.id }).from(datasets).where(eq(datasets.uri, DS));
  const res = await app.inject({ url: `/api/v1/datasets/${row.id}`, headers: admin });
  return res.json();
}
const byUrl = (ds: { distribution: Dist[] }, file: string) => ds.distribution.find((d) => d.accessURL[0].endsWith(`/${file}`));

t.test('a changed record re-harvested keeps its distributions\' ids and URIs', async (t) => {
  const first = await harvest();
  t.equal(first.status, 'finished', first.error ?? '');
  t.equal(first.counts.created, 1);
  const before = await harvested();
  const csv = byUrl(before, 'baeume.csv') as Dist;
  const json = byUrl(before, 'baeume.json') as Dist;
  const old = byUrl(before, 'baeume-2019.csv') as Dist;
  t.equal(csv['@id'], 'https://daten.kamen.example/dist/baeume-csv', 'the source\'s distribution URI is kept');
  t.equal(json['@id'], `http://catalog.test/dataset/${before.id}/distribution/${json.id}`, 'a blank distribution gets a minted URI');

  version = 2;
  const second = await harvest();
  t.equal(second.status, 'finished', second.error ?? '');
  t.equal(second.counts.updated, 1, 'the changed record is one update');
  const after = await harvested();
  t.equal(after.distribution.length, 3);
  const csv2 = byUrl(after, 'baeume.csv') as Dist;
  const json2 = byUrl(after, 'baeume.json') as Dist;
  const pdf = byUrl(after, 'baeume.pdf') as Dist;
  t.same([csv2.id, csv2['@id']], [csv.id, csv['@id']], 'matched by the source\'s URI: same id and URI');
  t.same([json2.id, json2['@id']], [json.id, json['@id']], 'matched by its access URL: same id and minted URI');
  t.same(json2.title, { de: 'Bäume (JSON, neu erzeugt)' }, 'with the new metadata');
  t.notOk([csv.id, json.id, old.id].includes(pdf.id), 'the new distribution gets a new id');
  t.notOk(byUrl(after, 'baeume-2019.csv'), 'the dropped distribution is gone');
  const resource = await app.inject({ url: `/api/3/action/resource_show?id=${json.id}` });
  t.equal(resource.json().result?.url, 'https://daten.kamen.example/baeume.json', 'the CKAN resource id still resolves');

  const third = await harvest();
  t.equal(third.counts.unchanged, 1, 'an unchanged re-run writes nothing');
});
