import { Parser } from 'n3';
import t from 'tap';
import { RenderPool } from '../../../src/api/dcat/render-pool.js';
import { pageJob } from '../../../src/api/dcat/render.js';
import { plainTerms } from '../../../src/rdf/syntax/terms.js';

// A stored document with two nodes that have no IRI (a period of time, a contact point): the
// mapping gives them fresh blank nodes, in whichever thread writes the page.
const doc = {
  title: { de: 'Baumkataster Kamen' },
  description: { de: 'Standorte und Arten der Straßenbäume.' },
  publisher: { '@id': 'https://www.kamen.de', '@type': 'Organization', name: { de: 'Stadt Kamen' } },
  temporal: [{ startDate: '2020-01-01', endDate: '2024-12-31' }],
  contactPoint: [{ '@type': 'Organization', fn: 'Grünflächenamt', hasEmail: 'mailto:gruen@kamen.de' }],
  distribution: [],
};
const uri = (n: number) => `http://catalog.test/dataset/${n}`;
const catalog = plainTerms.namedNode('http://catalog.test/catalog');
// The head (catalog, paging) is made on the main thread, with a blank node of its own.
const headBlank = plainTerms.blankNode();
const head = [
  plainTerms.quad(catalog, plainTerms.namedNode('http://purl.org/dc/terms/spatial'), headBlank),
  plainTerms.quad(headBlank, plainTerms.namedNode('http://www.w3.org/2000/01/rdf-schema#label'), plainTerms.literal('Kreis Unna', 'de')),
];
const job = (format: 'ntriples' | 'turtle') =>
  pageJob(format, { profile: 'dcat-ap-de-2' }, head, [1, 2].map((n) => ({ uri: uri(n), docText: JSON.stringify(doc) })));

const blanks = (nt: string) => new Set(new Parser({ format: 'N-Triples' }).parse(nt).flatMap((q) => [q.subject, q.object].filter((x) => x.termType === 'BlankNode').map((x) => x.value)));

t.test('a page written in a thread is the page written on the main thread, with blank nodes of its own', async (t) => {
  const threads = new RenderPool(1);
  const main = new RenderPool(0);
  t.teardown(() => Promise.all([threads.close(), main.close()]));
  const [a, b] = await Promise.all([threads.render(job('ntriples')), main.render(job('ntriples'))]);
  const inThread = a.toString('utf8');
  const onMain = b.toString('utf8');
  // Two datasets × (period + contact point) + the head's node: five distinct blank nodes, none shared.
  t.equal(blanks(inThread).size, 5);
  t.equal(blanks(onMain).size, 5);
  // The same triples apart from the labels.
  const unlabel = (nt: string) => nt.replace(/_:\w+/g, '_:b').split('\n').sort().join('\n');
  t.equal(unlabel(inThread), unlabel(onMain));
  t.match(inThread, /"Grünflächenamt"/, 'UTF-8 crosses the thread boundary intact');
});

t.test('a page that cannot be written fails alone; the thread goes on writing', async (t) => {
  const pool = new RenderPool(1);
  t.teardown(() => pool.close());
  const bad = pageJob('turtle', { profile: 'dcat-ap-de-2' }, head, [{ uri: uri(3), docText: JSON.stringify({ ...doc, title: 42 }) }]);
  await t.rejects(pool.render(bad), /title/);
  const good = await pool.render(job('turtle'));
  t.match(good.toString('utf8'), /Baumkataster Kamen/);
});

t.test('pages of very different sizes, one after another, come out whole in every format', async (t) => {
  const threads = new RenderPool(1);
  const main = new RenderPool(0);
  t.teardown(() => Promise.all([threads.close(), main.close()]));
  // A writer's buffer starts as large as its last pages and grows when a page needs more: a large
  // page first (growing past the first room), a small one after it, then a larger one again.
  const long = { ...doc, description: { de: 'Straßenbäume, Grünflächen und Spielplätze in Kamen. '.repeat(40) } };
  const sized = (format: 'ntriples' | 'turtle' | 'rdfxml' | 'jsonld', n: number) =>
    pageJob(format, { profile: 'dcat-ap-de-2' }, head, Array.from({ length: n }, (_, i) => ({ uri: uri(100 + i), docText: JSON.stringify(long) })));
  // Blank node labels differ by thread and count: `_:x` (N-Triples, Turtle, JSON-LD), rdf:nodeID="x" (RDF/XML).
  const unlabel = (text: string) => text.replace(/_:\w+/g, '_:b').replace(/nodeID="[^"]+"/g, 'nodeID="b"');
  for (const format of ['ntriples', 'turtle', 'rdfxml', 'jsonld'] as const) {
    for (const n of [60, 1, 200, 3]) {
      const [a, b] = await Promise.all([threads.render(sized(format, n)), main.render(sized(format, n))]);
      const text = a.toString('utf8');
      t.equal(unlabel(text), unlabel(b.toString('utf8')), `${format}, ${n} datasets: thread and main thread agree`);
      t.equal(text.split('Straßenbäume, Grünflächen').length - 1, 40 * n, `${format}, ${n} datasets: every description whole`);
    }
  }
});
