import t from 'tap';
import { listAnswerBytes } from '../../../src/api/ckan/json.js';
import { Rng } from '../../../bench/lib/generator.js';
import { corpus } from '../../helpers/ckan-corpus.js';
import { packageDict } from '../../../src/ckan/package.js';

/** A list answer's bytes are the serializer's: JSON.stringify of the envelope, in UTF-8. */

const HELP = 'http://catalog.test/api/3/action/help_show?name=package_search';
const serializer = (result: unknown) => Buffer.from(JSON.stringify({ help: HELP, success: true, result }));

t.test('package_search results: the serializer bytes, with characters beyond Latin-1', async (t) => {
  const dicts = corpus(60, 21).map((e) => packageDict(e.stored, { lang: 'de', organization: e.organization }));
  for (const rows of [2, 20, 60]) {
    const result = { count: 1234, facets: { organization: { unna: 3 } }, search_facets: {}, results: dicts.slice(0, rows), sort: 'score desc, metadata_modified desc' };
    const bytes = listAnswerBytes(HELP, result);
    t.ok(bytes?.equals(serializer(result)), `${rows} rows`);
  }
  const list = listAnswerBytes(HELP, dicts.slice(0, 30));
  t.ok(list?.equals(serializer(dicts.slice(0, 30))), 'a list of dicts (current_package_list_with_resources)');
});

t.test('what is not a list of objects is left to the serializer', async (t) => {
  for (const result of [null, 'x', 3, [], ['a', 'b'], [{ a: 1 }], { a: 1 }, { results: [] }, { results: [{ a: 1 }] }, { results: ['a', 'b'] }, [1, { a: 1 }], { toJSON: () => [{ a: 1 }, { b: 2 }] }]) {
    t.equal(listAnswerBytes(HELP, result), undefined, JSON.stringify(result));
  }
});

t.test('random lists: every value JSON.stringify treats specially', async (t) => {
  const rng = new Rng(5);
  const odd = [
    undefined,
    null,
    () => 1,
    Symbol('s'),
    new Date(Date.UTC(2024, 1, 29, 12)),
    -0,
    1e21,
    0.1,
    NaN,
    'ä – € 𝄞',
    '\ud800 lone surrogate',
    '"quoted" \\ \n\t\u2028',
    { toJSON: () => 'custom' },
    [undefined, () => 1, 'x'],
    { 2: 'b', 1: 'a', z: 1, '': 0 },
    { nested: { deep: [1, { x: undefined }] } },
  ];
  const value = (): unknown => rng.pick(odd);
  const record = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = rng.int(0, 5); i > 0; i--) out[rng.pick(['a', 'b', '10', '2', 'ü', '"k"', 'results', 'sort'])] = value();
    if (rng.chance(0.2)) out[Symbol.for('hidden') as unknown as string] = 'not serialized';
    return out;
  };
  let n = 0;
  for (let i = 0; i < 3000; i++) {
    const items = [record(), ...Array.from({ length: rng.int(1, 6) }, () => (rng.chance(0.8) ? record() : value()))];
    const result = rng.chance(0.5) ? items : { ...record(), results: items, ...(rng.chance(0.5) ? { after: value() } : {}) };
    const bytes = listAnswerBytes(HELP, result);
    if (!bytes) continue;
    n++;
    const want = serializer(result);
    if (!bytes.equals(want)) {
      t.fail(`differs: ${want.toString()} / ${bytes.toString()}`);
      return;
    }
  }
  t.ok(n > 2000, `${n} lists compared`);
});
