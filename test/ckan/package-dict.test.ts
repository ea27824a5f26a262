import t, { type Test } from 'tap';
import type { StoredDataset } from '../../src/catalog/datasets.js';
import { ckanTime, packageDict, resourceDict, DATASET_RULES, DATASET_SKIP, RESOURCE_RULES, RESOURCE_SKIP, type Dict } from '../../src/ckan/package.js';
import { flattener, toFlat, type Rule } from '../../src/ckan/extras.js';
import { Rng } from '../../bench/lib/generator.js';
import { corpus, corpusOrganizations, VARIANT_COUNT } from '../helpers/ckan-corpus.js';
import { oracleCkanTime, oraclePackageDict, oracleResourceDict } from '../helpers/ckan-dict-oracle.js';
import { Fuzz } from '../helpers/ckan-fuzz.js';

/**
 * Every package and resource dict must stay byte for byte what the
 * reference gives (test/helpers/ckan-dict-oracle.ts: the dicts as built
 * before their fast paths, over the rules' own definition): over generated
 * catalogs, over the shapes the generator does not make, and over random
 * documents. The fast paths themselves are held to the definition they
 * replace: the compiled flattening to toFlat, ckanTime to Date.
 */

/** The JSON an answer carries, or that the call throws (a 500 whose body does not name the error). */
function outcome(fn: () => unknown): string {
  try {
    return JSON.stringify(fn());
  } catch (err) {
    return `threw ${(err as Error).name}`;
  }
}

/** Where two texts part, with some context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: …${a.slice(Math.max(0, i - 80), i + 80)}… vs …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

interface Case {
  label: string;
  expected: () => unknown;
  actual: () => unknown;
}

function compare(t: Test, cases: Iterable<Case>, what: string): void {
  let n = 0;
  const failures: string[] = [];
  for (const c of cases) {
    n++;
    const want = outcome(c.expected);
    const got = outcome(c.actual);
    if (want !== got && failures.length < 5) failures.push(`${c.label}: ${firstDifference(got, want)}`);
  }
  t.same(failures, [], `${what}: ${n} compared`);
}

const langs = ['de', 'en'];

t.test('package dicts of generated datasets, every variant, both key orders and languages', async (t) => {
  const entries = [...corpus(VARIANT_COUNT * 30, 3), ...corpus(VARIANT_COUNT * 10, 5, 'input')];
  function* cases(): Generator<Case> {
    for (const lang of langs) {
      for (const [i, e] of entries.entries()) {
        const ctx = { lang, organization: i % 5 === 4 ? undefined : e.organization, creatorUserId: i % 3 === 0 ? 'f7a8c0c2-0000-4000-8000-000000000001' : undefined };
        yield { label: `${e.stored.name} (${lang})`, expected: () => oraclePackageDict(e.stored, ctx), actual: () => packageDict(e.stored, ctx) };
      }
    }
  }
  compare(t, cases(), 'package dicts');
});

t.test('resource dicts, as resource_show answers them', async (t) => {
  const entries = corpus(VARIANT_COUNT * 10, 9);
  function* cases(): Generator<Case> {
    for (const lang of langs) {
      for (const e of entries) {
        const dists = (e.stored.doc.distribution ?? []) as unknown as Dict[];
        for (const [i, d] of dists.entries()) yield { label: `${e.stored.name}#${i} (${lang})`, expected: () => oracleResourceDict(d, i, e.stored.id, lang), actual: () => resourceDict(d, i, e.stored.id, lang) };
      }
    }
  }
  compare(t, cases(), 'resource dicts');
});

t.test('package dicts of random documents', async (t) => {
  const fuzz = new Fuzz(new Rng(20261207));
  const base = corpus(1, 1)[0].stored;
  const datasetTerms = [...DATASET_RULES.map((r) => r.term), 'keyword', 'theme', 'distribution', '@id', '@type', 'id', 'name', 'state'];
  const resourceTerms = [...RESOURCE_RULES.map((r) => r.term), 'id', '@id', '@type', 'accessService', 'checksum'];
  function* cases(): Generator<Case> {
    for (let i = 0; i < 6000; i++) {
      const doc = fuzz.node(datasetTerms);
      if (fuzz.rng.chance(0.8)) doc.distribution = Array.from({ length: fuzz.rng.int(0, 3) }, () => fuzz.node(resourceTerms));
      const stored = { ...base, doc } as unknown as StoredDataset;
      const lang = fuzz.rng.pick(langs);
      const ctx = { lang, organization: corpusOrganizations[i % corpusOrganizations.length] };
      yield { label: `random #${i} ${JSON.stringify(doc).slice(0, 300)}`, expected: () => oraclePackageDict(stored, ctx), actual: () => packageDict(stored, ctx) };
    }
  }
  compare(t, cases(), 'random package dicts');
});

t.test('resource dicts of random distributions', async (t) => {
  const fuzz = new Fuzz(new Rng(77));
  const terms = [...RESOURCE_RULES.map((r) => r.term), 'id', '@id', '@type', 'accessService', 'checksum'];
  function* cases(): Generator<Case> {
    for (let i = 0; i < 20000; i++) {
      const dist = fuzz.node(terms);
      const lang = fuzz.rng.pick(langs);
      yield { label: `random #${i} ${JSON.stringify(dist)}`, expected: () => oracleResourceDict(dist, i % 4, 'd', lang), actual: () => resourceDict(dist, i % 4, 'd', lang) };
    }
  }
  compare(t, cases(), 'random resource dicts');
});

t.test('the compiled flattening gives what toFlat gives, key for key and in order', async (t) => {
  const fuzz = new Fuzz(new Rng(4242));
  const sets: [string, readonly Rule[], ReadonlySet<string>][] = [
    ['dataset', DATASET_RULES, DATASET_SKIP],
    ['resource', RESOURCE_RULES, RESOURCE_SKIP],
  ];
  for (const [what, rules, skip] of sets) {
    const flat = flattener(rules, skip);
    const terms = [...rules.map((r) => r.term), ...[...skip].slice(0, 3)];
    function* cases(): Generator<Case> {
      for (let i = 0; i < 30000; i++) {
        const node = fuzz.node(terms);
        const lang = fuzz.rng.pick(['de', 'en']);
        yield { label: `${what} #${i} ${lang} ${JSON.stringify(node)}`, expected: () => Object.entries(toFlat(node, rules, lang, skip)), actual: () => Object.entries(flat(node, lang)) };
      }
    }
    compare(t, cases(), `${what} nodes`);
  }
});

t.test('CKAN timestamps, of real and of impossible dates', async (t) => {
  const rng = new Rng(31);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  function* cases(): Generator<Case> {
    for (let i = 0; i < 20000; i++) {
      const ms = rng.chance(0.3) ? Math.floor(rng.next() * 1000) * 1000 : Math.floor((rng.next() * 2 - 0.5) * 253402300799999);
      const valid = new Date(ms).toISOString();
      // Field by field, some out of range: Date rolls 02-30 over into March, rejects month 13.
      const odd = `${pad(rng.int(0, 9999), 4)}-${pad(rng.int(0, 13))}-${pad(rng.int(0, 32))}T${pad(rng.int(0, 24))}:${pad(rng.int(0, 60))}:${pad(rng.int(0, 60))}.${pad(rng.int(0, 999), 3)}Z`;
      const other = rng.pick(['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000+01:00', '2024-02-29', '2024-02-29T00:00:00.000z', 'x', '', '+012345-01-01T00:00:00.000Z', '1900-02-29T12:00:00.000Z', '2000-02-29T12:00:00.000Z']);
      for (const value of [valid, odd, other, new Date(ms)]) yield { label: String(value), expected: () => oracleCkanTime(value), actual: () => ckanTime(value) };
    }
  }
  compare(t, cases(), 'timestamps');
});
