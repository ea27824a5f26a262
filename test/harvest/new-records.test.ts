import t from 'tap';
import { eq, inArray, sql } from 'drizzle-orm';
import { admin, create, dataset } from '../helpers/rest.js';
import { dcatSourceBench } from '../helpers/harvest.js';
import { datasets, distributions, harvestRecords, revisions } from '../../src/db/schema.js';

/**
 * The new records of a page are written together (one statement for their datasets,
 * distributions and revisions): each still gets what a single create gives it, and the
 * page's other records (invalid ones, conflicts, repeated titles) are handled as before.
 */

const FT = 'http://publications.europa.eu/resource/authority/file-type/';
const LIC = 'http://dcat-ap.de/def/licenses/dl-by-de/2.0';

function record(n: number, title: string | undefined, dists = 1): string {
  const uri = `https://geo.example.org/datasets/${n}`;
  const parts = [
    `<${uri}> a dcat:Dataset`,
    ...(title ? [`dct:title "${title}"@de`] : []),
    `dct:description "Beschreibung ${n} mit Umlauten: Straßenbäume in Bönen"@de`,
    `dct:identifier "geo-${n}"`,
    ...Array.from({ length: dists }, (_, i) => `dcat:distribution <${uri}/dist/${i}>`),
  ];
  const distText = Array.from(
    { length: dists },
    (_, i) => `<${uri}/dist/${i}> a dcat:Distribution; dcat:accessURL <https://geo.example.org/files/${n}-${i}.csv>; dct:format <${FT}CSV>; dct:license <${LIC}> .`,
  );
  return `${parts.join(';\n  ')} .\n${distText.join('\n')}`;
}

let body = '';
/** When set, the source answers ?page=n with pages[n-1] and hydra paging instead of `body`. */
let pages: string[] | undefined;
const PREFIXES = '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix hydra: <http://www.w3.org/ns/hydra/core#> .';
const bench = await dcatSourceBench(
  t,
  (url) => {
    if (!pages) return `${PREFIXES}\n${body}`;
    const n = Number(url.searchParams.get('page') ?? '1');
    const self = `${url.origin}${url.pathname}?page=${n}`;
    const next = n < pages.length ? `; hydra:next <${url.origin}${url.pathname}?page=${n + 1}>` : '';
    return `${PREFIXES}\n<${self}> a hydra:PagedCollection${next} .\n${pages[n - 1] ?? ''}`;
  },
  { name: 'geo', title: 'Geodaten', organization: 'bergkamen' },
);
const { app, sourceId } = bench;
const db = () => bench.db.database.db;

type Job = { id: string; status: string; pages: number; counts: Record<string, number>; error: string | null; errors: { kind: string; uri: string | null; reasons: string[] }[] };
const harvest = () => bench.harvest<Job>();

t.test('one page of new records: each is a complete dataset; invalid ones and conflicts are reported alone', async (t) => {
  // A steward's dataset holds the name the fourth record's title would give, and the URI of the sixth.
  await create(app, dataset({ name: 'schulen-in-bergkamen', organization: 'bergkamen' }));
  await create(app, dataset({ name: 'stewards-own', organization: 'bergkamen', '@id': 'https://geo.example.org/datasets/6' }));
  body = [
    record(1, 'Baumkataster Bergkamen', 3),
    record(2, 'Baumkataster Bergkamen'),
    record(3, 'Baumkataster Bergkamen', 2),
    record(4, 'Schulen in Bergkamen'),
    record(5, undefined),
    record(6, 'Gehört schon jemandem'),
    record(7, 'Haltestellen Bergkamen', 0),
  ].join('\n');
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, { created: 5, updated: 0, unchanged: 0, withdrawn: 0, failed: 1, conflicts: 1 });
  const invalid = job.errors.find((e) => e.kind === 'validation');
  t.equal(invalid?.uri, 'https://geo.example.org/datasets/5');
  t.match(invalid?.reasons.join(' '), /\/title/);
  t.match(job.errors.find((e) => e.kind === 'conflict')?.reasons.join(' '), /steward/);

  const uris = [1, 2, 3, 4, 7].map((n) => `https://geo.example.org/datasets/${n}`);
  const rows = await db().select().from(datasets).where(inArray(datasets.uri, uris));
  t.equal(rows.length, 5);
  const byUri = new Map(rows.map((r) => [r.uri, r]));
  t.same(
    uris.map((u) => byUri.get(u)?.name),
    ['baumkataster-bergkamen', 'baumkataster-bergkamen-2', 'baumkataster-bergkamen-3', 'schulen-in-bergkamen-2', 'haltestellen-bergkamen'],
    'names are free of each other and of existing datasets',
  );
  for (const r of rows) {
    t.equal(r.identifier, `geo-${r.uri.split('/').pop()}`, 'dct:identifier kept');
    t.equal(r.doc.organization, 'bergkamen');
    const revs = await db().select().from(revisions).where(eq(revisions.datasetId, r.id));
    t.same(
      revs.map((v) => [v.revision, v.action, v.face, v.harvestJobId]),
      [[1, 'create', 'harvest', job.id]],
      `${r.name}: one revision with the job`,
    );
    t.same(revs[0].doc, r.doc, 'the revision holds the stored document');
    const dists = await db().select().from(distributions).where(eq(distributions.datasetId, r.id));
    t.equal(dists.length, r.doc.distribution?.length ?? 0, `${r.name}: distribution rows`);
    t.ok(dists.every((d) => d.format === 'CSV' && d.license === LIC));
    const [rec] = await db().select().from(harvestRecords).where(eq(harvestRecords.datasetId, r.id));
    t.equal(rec?.sourceId, sourceId, 'bookkeeping of the source');
  }
  const found = await app.inject({ url: '/api/v1/datasets?q=Baumkataster&facets=license_id', headers: admin });
  t.equal(found.json().count, 3, 'searchable at once');
  const show = await app.inject({ url: '/api/3/action/package_show?id=baumkataster-bergkamen' });
  t.equal(show.json().result.resources.length, 3, 'the CKAN face sees the resources');
  const rdf = await app.inject({ url: `/dataset/baumkataster-bergkamen.ttl` });
  t.match(rdf.body, /geo\.example\.org\/datasets\/1/, 'the RDF face keeps the source URI');
});

t.test('the next run: unchanged records are skipped, a new one joins', async (t) => {
  body += `\n${record(8, 'Baumkataster Bergkamen')}`;
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.same(job.counts, { created: 1, updated: 0, unchanged: 5, withdrawn: 0, failed: 1, conflicts: 1 });
  const [row] = await db().select({ name: datasets.name }).from(datasets).where(eq(datasets.uri, 'https://geo.example.org/datasets/8'));
  t.equal(row?.name, 'baumkataster-bergkamen-4');
});

t.test('many records with one title on a page get base, base-2, … base-25 (more than one round of candidates)', async (t) => {
  body += `\n${Array.from({ length: 25 }, (_, i) => record(100 + i, 'Sitzungskalender')).join('\n')}`;
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.counts.created, 25);
  const rows = await db().select({ name: datasets.name }).from(datasets).where(inArray(datasets.uri, Array.from({ length: 25 }, (_, i) => `https://geo.example.org/datasets/${100 + i}`)));
  t.same(rows.map((r) => r.name).sort(), ['sitzungskalender', ...Array.from({ length: 24 }, (_, i) => `sitzungskalender-${i + 2}`)].sort());
});

t.test('one title on many pages: the numbers go on from page to page, past a name a steward holds', async (t) => {
  await create(app, dataset({ name: 'spielplaetze-bergkamen-5', organization: 'bergkamen' }));
  pages = [0, 1, 2].map((p) => [0, 1, 2].map((i) => record(200 + p * 3 + i, 'Spielplätze Bergkamen')).join('\n'));
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.counts.created, 9);
  t.equal(job.pages, 3);
  const uris = Array.from({ length: 9 }, (_, i) => `https://geo.example.org/datasets/${200 + i}`);
  const rows = await db().select({ name: datasets.name, uri: datasets.uri }).from(datasets).where(inArray(datasets.uri, uris));
  const byUri = new Map(rows.map((r) => [r.uri, r.name]));
  const page = (p: number) => uris.slice(p * 3, p * 3 + 3).map((u) => byUri.get(u) as string).sort();
  const base = 'spielplaetze-bergkamen';
  t.same(page(0), [base, `${base}-2`, `${base}-3`]);
  t.same(page(1), [`${base}-4`, `${base}-6`, `${base}-7`], 'the first free numbers, -5 skipped');
  t.same(page(2), [`${base}-10`, `${base}-8`, `${base}-9`]);
  pages = undefined;
});

t.test('a record the database refuses costs only itself: the rest of its batch is written one by one, the other half of the page stands', async (t) => {
  // 60 new records are written as two statements of 30; the database refuses one row of the second.
  const refused = 'https://geo.example.org/datasets/345';
  await db().execute(sql.raw(`CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`));
  await db().execute(sql.raw(`CREATE TRIGGER refuse_row BEFORE INSERT ON datasets FOR EACH ROW WHEN (NEW.uri = '${refused}') EXECUTE FUNCTION refuse_row()`));
  const uris = Array.from({ length: 60 }, (_, i) => `https://geo.example.org/datasets/${300 + i}`);
  body += `\n${uris.map((_, i) => record(300 + i, `Messstelle ${i} an der Seseke`)).join('\n')}`;
  const job = await harvest();
  t.equal(job.status, 'finished', job.error ?? '');
  t.equal(job.counts.created, 59);
  const failure = job.errors.find((e) => e.uri === refused);
  t.equal(failure?.kind, 'write');
  t.match(failure?.reasons.join(' '), /refused by the test/);
  const rows = await db().select({ id: datasets.id, uri: datasets.uri }).from(datasets).where(inArray(datasets.uri, uris));
  t.same(rows.map((r) => r.uri).sort(), uris.filter((u) => u !== refused).sort(), 'every other record is a dataset');
  const revs = await db().select({ id: revisions.datasetId }).from(revisions).where(inArray(revisions.datasetId, rows.map((r) => r.id)));
  t.equal(revs.length, 59, 'one revision each');

  await db().execute(sql.raw('DROP TRIGGER refuse_row ON datasets'));
  await db().execute(sql.raw('DROP FUNCTION refuse_row()'));
  const again = await harvest();
  t.equal(again.counts.created, 1, 'the next run brings the refused record');
  t.equal(again.counts.unchanged, job.counts.unchanged + 59);
});
