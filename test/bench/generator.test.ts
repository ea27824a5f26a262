import t from 'tap';
import { Compile } from 'typebox/compile';
import { Dataset } from '../../src/domain/model.js';
import { PARTNERS, geocodingLevelUriOf, geocodingUriOf } from '../../src/domain/region.js';
import { normalizeDataset } from '../../src/catalog/normalize.js';
import { datasetProblems } from '../../src/catalog/validate.js';
import { loadConfig } from '../../src/config/index.js';
import { FILE_TYPE, LICENSE, THEME, generateDatasets, mulberry32, type GeneratedDataset } from '../../bench/lib/generator.js';

const N = 1000;
const docs = [...generateDatasets(N, 42)];
const text = (d: GeneratedDataset) => `${Object.values(d.title ?? {}).join(' ')} ${Object.values(d.description ?? {}).join(' ')} ${Object.values(d.keyword ?? {}).flat().join(' ')}`;
const words = new Set(docs.flatMap((d) => text(d).split(/[^\p{L}]+/u)));

t.test('mulberry32 is deterministic and spreads over [0, 1)', async (t) => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const xs = Array.from({ length: 1000 }, () => a());
  t.same(Array.from({ length: 1000 }, () => b()), xs);
  t.ok(xs.every((x) => x >= 0 && x < 1));
  t.not(mulberry32(8)(), xs[0], 'another seed, another sequence');
});

t.test('same seed, same documents; another seed, others', async (t) => {
  t.same([...generateDatasets(200, 42)], docs.slice(0, 200));
  t.notSame([...generateDatasets(50, 43)], docs.slice(0, 50));
});

t.test('streams: a generator, not an array', async (t) => {
  const it = generateDatasets(3, 1);
  t.type(it.next, 'function');
  t.notOk(Array.isArray(it));
  t.equal([...it].length, 3);
});

t.test('every document passes the Dataset schema', async (t) => {
  const check = Compile(Dataset);
  const failing = docs.filter((d) => !check.Check(d));
  t.equal(failing.length, 0, failing.length ? JSON.stringify([...check.Errors(failing[0])].slice(0, 3)) : 'all valid');
});

t.test('every document passes the catalog validation after normalization', async (t) => {
  const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://catalog.test' });
  const problems = docs.slice(0, 300).flatMap((d) => {
    const p = PARTNERS.find((x) => x.name === d.organization);
    const org = { id: '00000000-0000-4000-8000-000000000000', name: d.organization, title: p?.title ?? '', homepage: null, email: null, politicalGeocodingUri: null, politicalGeocodingLevelUri: null };
    return datasetProblems(normalizeDataset(d, { config, org, id: '00000000-0000-4000-8000-000000000001', now: new Date(0) }));
  });
  t.same(problems, []);
});

t.test('names are unique and URL-safe', async (t) => {
  t.equal(new Set(docs.map((d) => d.name)).size, N);
  t.ok(docs.every((d) => /^[a-z0-9_-]{2,100}$/.test(d.name)));
});

t.test('all eleven organizations, with their political geocoding', async (t) => {
  t.same(new Set(docs.map((d) => d.organization)), new Set(PARTNERS.map((p) => p.name)));
  for (const d of docs.slice(0, 100)) {
    const p = PARTNERS.find((x) => x.name === d.organization);
    if (!p) throw new Error(`unknown organization ${d.organization}`);
    t.same(d.politicalGeocodingURI, [geocodingUriOf(p)]);
    t.same(d.politicalGeocodingLevelURI, [geocodingLevelUriOf(p)]);
  }
});

t.test('themes, formats, licences from the controlled vocabularies', async (t) => {
  const themes = new Set(docs.flatMap((d) => d.theme ?? []));
  const dists = docs.flatMap((d) => d.distribution ?? []);
  const formats = new Set(dists.map((d) => d.format));
  const licenses = new Set(dists.map((d) => d.license));
  t.ok(themes.size >= 8, `${themes.size} themes`);
  t.ok([...themes].every((x) => x.startsWith(THEME)));
  t.ok(formats.size >= 8, `${formats.size} formats`);
  t.ok([...formats].every((x) => x?.startsWith(FILE_TYPE)));
  t.ok(licenses.size >= 5, `${licenses.size} licences`);
  t.ok([...licenses].every((x) => x?.startsWith(LICENSE)));
  t.ok(dists.every((d) => d.mediaType && d.accessURL?.length));
});

t.test('1 to 8 distributions, all counts present', async (t) => {
  const counts = new Set(docs.map((d) => d.distribution?.length ?? 0));
  t.same([...counts].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
});

t.test('temporal, spatial, contact point, frequency, language on every document', async (t) => {
  for (const d of docs) {
    if (!(d.temporal?.length && d.spatial?.length && d.contactPoint?.length && d.accrualPeriodicity && d.language?.length && d.keyword)) {
      t.fail(`incomplete: ${d.name}`);
      return;
    }
  }
  t.pass('complete');
});

t.test('German stemming cases, umlauts and ß occur', async (t) => {
  const pairs = [
    ['Haltestelle', 'Haltestellen'],
    ['Schule', 'Schulen'],
    ['Baum', 'Bäume'],
    ['Kindergarten', 'Kindergärten'],
    ['Verkehr', 'Verkehrs'],
    ['Straße', 'Straßen'],
    ['Denkmal', 'Denkmäler'],
  ];
  for (const [sg, pl] of pairs) t.ok(words.has(sg) && words.has(pl), `${sg} and ${pl}`);
  t.ok([...words].some((w) => /ß/.test(w)), 'ß');
  t.ok([...words].some((w) => /[äöü]/.test(w)) && [...words].some((w) => /[ÄÖÜ]/.test(w)), 'umlauts, lower and upper case');
});
