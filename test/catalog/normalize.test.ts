import t from 'tap';
import { mergePatch, normalizeDataset, slugify } from '../../src/catalog/normalize.js';
import { datasetProblems } from '../../src/catalog/validate.js';
import { testConfig } from '../helpers/app.js';

const config = testConfig();
const org = { id: '00000000-0000-0000-0000-000000000001', name: 'unna', title: 'Kreisstadt Unna', homepage: null, email: 'info@unna.de', politicalGeocodingUri: null, politicalGeocodingLevelUri: null };
const ctx = { config, org, id: '00000000-0000-0000-0000-0000000000aa', now: new Date('2025-01-02T03:04:05Z') };

t.test('slugs follow CKAN rules', async (t) => {
  t.equal(slugify('Grünflächen & Straßenbäume in Fröndenberg/Ruhr'), 'gruenflaechen-strassenbaeume-in-froendenberg-ruhr');
  t.equal(slugify('Café Élysée'), 'cafe-elysee');
  t.equal(slugify('!'), 'dataset');
  t.equal(slugify('x'), 'dataset-x');
  t.ok(slugify('a'.repeat(300)).length <= 100);
  t.match(slugify('Ölpreise 2024 – Übersicht'), /^[a-z0-9_-]{2,100}$/);
});

t.test('merge patch (RFC 7386)', async (t) => {
  t.same(mergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 }, f: [1] }), { a: 1, b: { d: 3, e: 4 }, f: [1] });
  t.same(mergePatch({ a: [1, 2] }, { a: [3] }), { a: [3] }, 'arrays are replaced');
});

t.test('server-managed fields and organization defaults', async (t) => {
  const doc = normalizeDataset({ title: 'T', description: 'D', keyword: ['k'], state: 'deleted', revision: 99, distribution: [{ accessURL: ['https://x'], id: 'not-ours' }] }, ctx);
  t.same(doc.title, { de: 'T' });
  t.same(doc.keyword, { de: ['k'] });
  t.equal(doc['@id'], `http://catalog.test/dataset/${ctx.id}`);
  t.equal(doc.issued, '2025-01-02T03:04:05Z');
  t.equal(doc.modified, '2025-01-02T03:04:05Z');
  t.notOk('state' in doc || 'revision' in doc, 'record metadata is not taken from the client');
  t.match(doc.publisher, { '@id': 'http://catalog.test/organization/unna', mbox: 'mailto:info@unna.de', type: 'http://purl.org/adms/publishertype/LocalAuthority' });
  t.not(doc.distribution?.[0].id, 'not-ours', 'an id that is not one of the dataset\'s is replaced');
  t.same(doc.contributorID, [config.catalog.contributorId]);
  const given = normalizeDataset({ title: 'T', description: 'D', issued: '2020-01-01', publisher: { name: 'Someone else' } }, ctx);
  t.equal(given.issued, '2020-01-01', 'a given issued date stays');
  t.same(given.publisher, { name: { de: 'Someone else' }, '@type': 'Organization' });
});

t.test('vocabulary aliases become canonical IRIs; unknown values are problems', async (t) => {
  const doc = normalizeDataset({ title: 'T', description: 'D', language: ['de'], distribution: [{ accessURL: ['https://x'], format: 'csv', license: 'dl-de-by-2.0' }] }, ctx);
  t.same(doc.language, ['http://publications.europa.eu/resource/authority/language/DEU']);
  t.equal(doc.distribution?.[0].format, 'http://publications.europa.eu/resource/authority/file-type/CSV');
  t.equal(doc.distribution?.[0].license, 'http://dcat-ap.de/def/licenses/dl-by-de/2.0');
  t.same(datasetProblems(doc), []);
  const bad = normalizeDataset({ title: 'T', description: 'D', distribution: [{ accessURL: ['https://x'], format: 'no-such-format' }] }, ctx);
  t.match(datasetProblems(bad), [{ path: '/distribution/0/format', key: 'dataset.vocab' }]);
});

t.test('an update keeps the ids and URIs of the distributions it continues', async (t) => {
  const base = `http://catalog.test/dataset/${ctx.id}/distribution/`;
  const first = normalizeDataset(
    {
      title: 'T',
      description: 'D',
      distribution: [
        { accessURL: ['https://x/a.csv'] },
        { '@id': 'https://source.test/dist/b', accessURL: ['https://x/b.json'] },
        { accessURL: ['https://x/page'], downloadURL: ['https://x/c1.xml'] },
        { accessURL: ['https://x/page'], downloadURL: ['https://x/c2.xml'] },
      ],
    },
    ctx,
  );
  const [a, b, c1, c2] = first.distribution ?? [];
  t.equal(a['@id'], `${base}${a.id}`, 'a minted URI follows the id');
  t.equal(b['@id'], 'https://source.test/dist/b', 'a brought URI stays');
  const existing = new Set((first.distribution ?? []).map((d) => d.id as string));
  const update = (distribution: Record<string, unknown>[]) =>
    normalizeDataset({ title: 'T2', description: 'D', distribution }, { ...ctx, previous: first, existingDistributionIds: existing }).distribution ?? [];

  // As a harvester sends it: no ids, the source's URIs, a changed title, another order and a new distribution.
  const next = update([
    { accessURL: ['https://x/page'], downloadURL: ['https://x/c2.xml'] },
    { '@id': 'https://source.test/dist/b', accessURL: ['https://x/b-moved.json'], title: 'B' },
    { accessURL: ['https://x/new.pdf'] },
    { accessURL: ['https://x/a.csv'], title: 'A' },
  ]);
  t.same(
    next.map((d) => [d.id, d['@id']]),
    [
      [c2.id, c2['@id']],
      [b.id, 'https://source.test/dist/b'],
      [next[2].id, `${base}${next[2].id}`],
      [a.id, a['@id']],
    ],
    'matched by @id, else by access and download URL; the new one gets a new id',
  );
  t.notOk([a, b, c1, c2].some((d) => d.id === next[2].id), 'the new id is new');
  t.not(c1.id, next[0].id, 'same accessURL but another downloadURL is another distribution');

  const twice = update([{ accessURL: ['https://x/a.csv'] }, { accessURL: ['https://x/a.csv'] }]);
  t.equal(twice[0].id, a.id, 'the first of two equal distributions continues the previous one');
  t.not(twice[1].id, a.id, 'a previous distribution is claimed once');

  const explicit = update([{ accessURL: ['https://x/a.csv'] }, { id: a.id, accessURL: ['https://x/other.csv'] }]);
  t.equal(explicit[1].id, a.id, 'an explicit id the dataset has wins');
  t.equal(explicit[1]['@id'], a['@id']);
  t.not(explicit[0].id, a.id, 'and is not matched a second time by URL');

  const minted = update([{ '@id': a['@id'], accessURL: ['https://x/elsewhere.csv'] }]);
  t.not(minted[0].id, a.id, 'a minted URI alone does not match');
  t.equal(minted[0]['@id'], `${base}${minted[0].id}`, 'and follows the new id');

  const fresh = normalizeDataset({ title: 'T', description: 'D', distribution: [{ accessURL: ['https://x/a.csv'] }] }, ctx).distribution ?? [];
  t.not(fresh[0].id, a.id, 'without a previous document every distribution is new');
});

t.test('series: a node with only @id is its IRI; a described one gets the dataset\'s publisher', async (t) => {
  const doc = normalizeDataset(
    { title: 'T', description: 'D', inSeries: ['https://s.test/a', { '@id': 'https://s.test/b' }, { '@id': 'https://s.test/c', title: 'Reihe', description: 'R' }] },
    ctx,
  );
  t.same(doc.inSeries?.slice(0, 2), ['https://s.test/a', 'https://s.test/b']);
  t.match(doc.inSeries?.[2], { '@id': 'https://s.test/c', title: { de: 'Reihe' }, publisher: { '@id': 'http://catalog.test/organization/unna' } });
  const own = normalizeDataset({ title: 'T', description: 'D', inSeries: [{ title: 'Reihe', publisher: { name: 'Land NRW' } }] }, ctx);
  t.match(own.inSeries?.[0], { publisher: { name: { de: 'Land NRW' } } }, 'a series keeps its own publisher');
  t.same(datasetProblems(doc), []);
});
