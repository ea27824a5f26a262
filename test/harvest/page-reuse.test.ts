import t from 'tap';
import { eq } from 'drizzle-orm';
import { admin } from '../helpers/rest.js';
import { dcatSourceBench } from '../helpers/harvest.js';
import { datasets } from '../../src/db/schema.js';

/**
 * A page whose body is the same as when all its records were harvested is not parsed
 * again; anything that makes that doubtful (a changed body, other settings, a record
 * withdrawn here) reads it as usual.
 */

const LIC = 'http://dcat-ap.de/def/licenses/dl-by-de/2.0';
const titles = new Map<number, string>(Array.from({ length: 6 }, (_, i) => [i + 1, `Messstelle ${i + 1} in Holzwickede`]));
let dropped: number | undefined;

function record(n: number): string {
  const uri = `https://umwelt.example.org/ds/${n}`;
  return `<${uri}> a dcat:Dataset; dct:title "${titles.get(n)}"@de; dct:description "Messwerte der Station ${n}"@de; dcat:distribution <${uri}/csv> .
<${uri}/csv> a dcat:Distribution; dcat:accessURL <https://umwelt.example.org/files/${n}.csv>; dct:license <${LIC}> .`;
}

function catalog(url: URL): string {
  const page = Number(url.searchParams.get('page') ?? '1');
  const base = `${url.origin}/catalog.ttl`;
  const ids = (page === 1 ? [1, 2, 3] : [4, 5, 6]).filter((n) => n !== dropped);
  const paging = `<${base}?page=${page}> a hydra:PagedCollection${page === 1 ? `; hydra:nextPage "${base}?page=2"` : ''} .`;
  return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n${ids.map(record).join('\n')}\n${paging}`;
}

const bench = await dcatSourceBench(t, catalog, { name: 'umwelt', title: 'Umweltdaten', organization: 'holzwickede' });
const { app, sourceId } = bench;
const db = () => bench.db.database.db;

type Job = { status: string; pages: number; records: number; counts: Record<string, number>; error: string | null; log: { msg: string }[] };
async function harvest(): Promise<Job & { reused: number }> {
  const job = await bench.harvest<Job>();
  const m = /(\d+) page\(s\) unchanged since the last run were not parsed again/.exec(job.log.map((l) => l.msg).join('\n'));
  return { ...job, reused: m ? Number(m[1]) : 0 };
}
const counts = (c: Partial<Record<string, number>>) => ({ created: 0, updated: 0, unchanged: 0, withdrawn: 0, failed: 0, conflicts: 0, ...c });
const stateOf = async (n: number) => (await db().select({ state: datasets.state, title: datasets.title }).from(datasets).where(eq(datasets.uri, `https://umwelt.example.org/ds/${n}`)))[0];

t.test('first run reads both pages', async (t) => {
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, counts({ created: 6 }));
  t.equal(job.reused, 0);
});

t.test('an unchanged source: both pages reused, every record counted unchanged', async (t) => {
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.pages, 2);
  t.equal(job.records, 6);
  t.same(job.counts, counts({ unchanged: 6 }));
  t.equal(job.reused, 2);
});

t.test('a changed record: its page is read again, the other one reused', async (t) => {
  titles.set(5, 'Messstelle 5 in Holzwickede (verlegt)');
  const job = await harvest();
  t.same(job.counts, counts({ updated: 1, unchanged: 5 }));
  t.equal(job.reused, 1);
  t.equal((await stateOf(5))?.title, 'Messstelle 5 in Holzwickede (verlegt)');
});

t.test('a dataset withdrawn here: its page is read again and brings it back', async (t) => {
  const [row] = await db().select({ id: datasets.id }).from(datasets).where(eq(datasets.uri, 'https://umwelt.example.org/ds/2'));
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${row.id}`, headers: admin });
  t.equal(del.statusCode, 200, del.body);
  const job = await harvest();
  t.equal(job.reused, 1, 'only the page without it');
  t.equal((await stateOf(2))?.state, 'active');
});

t.test('other source settings: no page is reused', async (t) => {
  const patched = await app.inject({ method: 'PATCH', url: `/api/v1/harvest-sources/${sourceId}`, headers: admin, payload: { config: { defaultThemes: ['http://publications.europa.eu/resource/authority/data-theme/ENVI'] } } });
  t.equal(patched.statusCode, 200, patched.body);
  const job = await harvest();
  t.equal(job.reused, 0);
  t.same(job.counts, counts({ updated: 6 }), 'the settings shape every record');
});

t.test('a record the source drops: its page changes, the dataset is withdrawn after the complete run', async (t) => {
  dropped = 4;
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.reused, 1);
  t.same(job.counts, counts({ unchanged: 5, withdrawn: 1 }));
  t.equal((await stateOf(4))?.state, 'deleted');
});
