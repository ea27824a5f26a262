import t from 'tap';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { admin } from '../helpers/rest.js';
import { dcatSourceBench } from '../helpers/harvest.js';
import { validate, violations } from '../helpers/shacl.js';
import { datasets } from '../../src/db/schema.js';

/**
 * A DCAT source that describes a dcat:DatasetSeries as a node of its own (DCAT-AP.de's
 * 3.0 example): the harvested datasets carry the series' description, the 3.0 export
 * names a described dcat:DatasetSeries and passes the official shapes, and a change of
 * the series alone updates its datasets.
 */

const FIXTURE = readFileSync(new URL('../../../shared/fixtures/rdf/dcatapde-examples/v3.0-DatasetSeries.ttl', import.meta.url), 'utf8');
const SERIES = 'http://bienenland.example.org/rdf/series/87654321-0xyz-8472-0815-db732bcf6912';
const DATASETS = ['12345678', '22345678', '32345678'].map((n) => `http://bienenland.example.org/rdf/dataset/${n}-9abc-4729-9044-f4d4ceaed491`);
const TITLE = 'dcterms:title "Haushaltspläne Bienenland"@de';

let body = FIXTURE;
const bench = await dcatSourceBench(t, () => body, { name: 'bienenland', title: 'Bienenland', organization: 'kreis-unna' });
const { app } = bench;
const db = () => bench.db.database.db;

type Job = { status: string; error: string | null; records: number; counts: Record<string, number> };
const harvest = () => bench.harvest<Job>();
const counts = (c: Partial<Record<string, number>>) => ({ created: 0, updated: 0, unchanged: 0, withdrawn: 0, failed: 0, conflicts: 0, ...c });

type Series = { '@id': string; title: Record<string, string>; description: Record<string, string>; publisher?: { name: Record<string, string> }; contactPoint?: unknown[]; temporal?: unknown[]; spatial?: unknown[]; accrualPeriodicity?: string; issued?: string; modified?: string; applicableLegislation?: string[] };
type Doc = { title: Record<string, string>; publisher: { name: Record<string, string> }; inSeries?: (string | Series)[] };

async function harvested(uri: string): Promise<Doc> {
  const [row] = await db().select({ id: datasets.id }).from(datasets).where(eq(datasets.uri, uri));
  if (!row) throw new Error(`${uri} was not harvested`);
  return (await app.inject({ url: `/api/v1/datasets/${row.id}`, headers: admin })).json<Doc>();
}
const export3 = async () => (await app.inject({ url: '/catalog.ttl?profile=dcat-ap-de-3' })).body;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

t.test('the datasets of a series the page describes carry its description', async (t) => {
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.records, 3, 'the series node is no record of its own');
  t.same(job.counts, counts({ created: 3 }));
  t.equal((await db().select({ id: datasets.id }).from(datasets)).length, 3, 'and no dataset');
  for (const uri of DATASETS) {
    const doc = await harvested(uri);
    t.equal(doc.inSeries?.length, 1);
    const series = doc.inSeries?.[0] as Series;
    t.match(series, {
      '@id': SERIES,
      title: { de: 'Haushaltspläne Bienenland' },
      description: { de: 'Diese Datensatzserie umfasst die jährlich veröffentlichten Haushaltspläne aus Bienenland.' },
      publisher: { name: { de: 'Finanzministerium' } },
      contactPoint: [{ hasEmail: 'mailto:haushalt@example.com' }],
      temporal: [{ startDate: '2021-01-01' }],
      spatial: [{ geometry: /^POLYGON/ }],
      accrualPeriodicity: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
      issued: '2021-01-01',
      modified: '2023-07-21',
      applicableLegislation: ['https://www.recht.bund.de/eli/bund/bgbl-1/2023/411'],
    }, `${uri} is in the described series`);
    t.equal(doc.publisher.name.de, 'Kreis Unna', 'the dataset keeps its own publisher (the organization), not the series\'');
  }
});

t.test('the 3.0 export describes the series once and passes the official 3.0 shapes', async (t) => {
  const ttl = await export3();
  t.equal(occurrences(ttl, `dcat:inSeries <${SERIES}>`), 3, 'each dataset links the series');
  t.equal(occurrences(ttl, `<${SERIES}> a dcat:DatasetSeries`), 1, 'which the document describes once');
  t.match(ttl, /dct:title "Haushaltspläne Bienenland"@de/);
  t.same(violations(await validate('3.0', ttl)), [], 'zero violations under 3.0');
});

t.test('an unchanged series leaves its datasets unchanged', async (t) => {
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ unchanged: 3 }));
});

t.test('a change of the series alone updates its datasets', async (t) => {
  body = FIXTURE.replace(TITLE, 'dcterms:title "Haushaltspläne des Landes Bienenland"@de');
  t.not(body, FIXTURE);
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ updated: 3 }));
  for (const uri of DATASETS) t.same((((await harvested(uri)).inSeries?.[0]) as Series).title, { de: 'Haushaltspläne des Landes Bienenland' });
  const ttl = await export3();
  t.match(ttl, /dct:title "Haushaltspläne des Landes Bienenland"@de/);
  t.notMatch(ttl, /"Haushaltspläne Bienenland"/);
  t.same(violations(await validate('3.0', ttl)), [], 'still zero violations under 3.0');
});

t.test('a change of one dataset leaves the others of its series unchanged, even where the series lists its members', async (t) => {
  const members = `dcat:seriesMember ${DATASETS.map((d) => `<${d}>`).join(', ')} ; dcat:last <${DATASETS[2]}> ;`;
  body = body.replace('dcterms:title "Haushaltspläne des Landes Bienenland"@de ;', `$& ${members}`);
  let job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ updated: 3 }), 'the series\' own statements are part of each dataset\'s record');
  body = body.replace('dcterms:title "Haushaltsplan 2023"@de', 'dcterms:title "Haushaltsplan 2023 (beschlossen)"@de');
  job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ updated: 1, unchanged: 2 }), 'the members\' own descriptions are not');
  t.same((await harvested(DATASETS[2])).title, { de: 'Haushaltsplan 2023 (beschlossen)' });
});

t.test('a series described nowhere, or without a description, stays a bare IRI; a dataset without series gets none', async (t) => {
  const other = (name: string, extra: string) =>
    `<http://bienenland.example.org/rdf/dataset/${name}> a dcat:Dataset ; dcterms:title "${name}"@de ; dcterms:description "Ein weiterer Datensatz."@de ${extra}.`;
  body = [
    body, // as the run before left it: its datasets stay unchanged
    other('ohne-serie', ''),
    other('fremde-serie', '; dcat:inSeries <http://anderswo.example.org/series/steuern> '),
    other('kurze-serie', '; dcat:inSeries <http://bienenland.example.org/rdf/series/kurz> '),
    '<http://bienenland.example.org/rdf/series/kurz> a dcat:DatasetSeries ; dcterms:title "Nur ein Titel"@de .',
  ].join('\n');
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ created: 3, unchanged: 3 }), 'the new datasets are created, none fails; the others are unchanged');
  t.equal((await harvested('http://bienenland.example.org/rdf/dataset/ohne-serie')).inSeries, undefined);
  t.same((await harvested('http://bienenland.example.org/rdf/dataset/fremde-serie')).inSeries, ['http://anderswo.example.org/series/steuern']);
  t.same((await harvested('http://bienenland.example.org/rdf/dataset/kurze-serie')).inSeries, ['http://bienenland.example.org/rdf/series/kurz'], 'a series with a title only is kept as its IRI');
});
