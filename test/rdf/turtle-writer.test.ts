import type * as RDF from '@rdfjs/types';
import { DataFactory, Parser as N3Parser } from 'n3';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import t from 'tap';
import { formatFromExtension, parseRdf, RdfSyntaxError, serialize } from '../../src/rdf/syntax/index.js';
import { blankLabel, safeIri } from '../../src/rdf/syntax/terms.js';

const { namedNode, blankNode, literal, quad } = DataFactory;

// rdf-canonize (RDFC-1.0, a dependency of jsonld) has no type declarations; this is the part we use.
interface PlainTerm {
  termType: string;
  value: string;
  datatype?: { termType: 'NamedNode'; value: string };
  language?: string;
}
interface PlainQuad {
  subject: PlainTerm;
  predicate: PlainTerm;
  object: PlainTerm;
  graph: PlainTerm;
}
const rdfCanonize = createRequire(import.meta.url)('rdf-canonize') as { canonize(dataset: PlainQuad[], options: { algorithm: 'RDFC-1.0' }): Promise<string> };

function plain(t: RDF.Term): PlainTerm {
  if (t.termType !== 'Literal') return { termType: t.termType, value: t.value };
  return { termType: 'Literal', value: t.value, language: t.language, datatype: { termType: 'NamedNode', value: t.datatype.value } };
}

/** Triples only in one of two graphs, after RDFC-1.0 canonicalisation; both empty ⇔ isomorphic. */
async function graphDiff(actual: RDF.Quad[], expected: RDF.Quad[]): Promise<{ missing: string[]; unexpected: string[] }> {
  const canonical = (quads: RDF.Quad[]) =>
    rdfCanonize.canonize(
      quads.map((q) => ({ subject: plain(q.subject), predicate: plain(q.predicate), object: plain(q.object), graph: { termType: 'DefaultGraph', value: '' } })),
      { algorithm: 'RDFC-1.0' },
    );
  const [a, e] = await Promise.all([canonical(actual), canonical(expected)]);
  const aLines = new Set(a.split('\n'));
  const eLines = new Set(e.split('\n'));
  return { missing: [...eLines].filter((l) => !aLines.has(l)), unexpected: [...aLines].filter((l) => !eLines.has(l)) };
}
const ISOMORPHIC = { missing: [], unexpected: [] };

/** N3.js's parser used directly, not through our wrapper: the independent reader. */
const n3Parse = (text: string) => new N3Parser({ format: 'text/turtle' }).parse(text);

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const ex = (path: string) => namedNode(`http://example.org/${path}`);
const dct = (local: string) => namedNode(DCT + local);
const typed = (value: string, type: string) => literal(value, namedNode(type.includes(':') ? type : XSD + type));

// Local parts after a declared namespace (dct:) that a prefixed name must not carry, or
// where a strict writer falls back to <IRI>; and some it may.
const LOCALS = ['title', 'a/b', 'a#b', 'a(b)', 'a.b', 'a.', '.a', 'a..b', '', '1st', '007', '_x', '-x', 'x-', 'a%20b', 'a%C3%A4', 'straße', 'Ä', 'a:b', "a'b", 'a~b', 'a!b', 'a,b', 'a;b', 'a=b', 'a?b', 'a&b', 'a*b', 'a+b', 'a$b', 'a@b', '😀'];

const s = ex('dataset/1');
const bnode = blankNode('b0');
const odd = blankNode('has space/and:colon');
const AWKWARD: RDF.Quad[] = [
  quad(s, namedNode(RDF_TYPE), namedNode(`${DCAT}Dataset`)),
  quad(s, namedNode(RDF_TYPE), namedNode(`${DCAT}Resource`)),
  // Literals: escapes, controls, non-ASCII, a long multi-line text on one line.
  quad(s, dct('title'), literal('Bevölkerung & Fläche <2024> "zitiert" \'einfach\' \\ Backslash\\', 'de')),
  quad(s, dct('title'), literal('Population', 'en-gb')),
  quad(s, dct('title'), literal('Bevölkerung', 'de-de')),
  quad(s, dct('description'), literal('Tab\there, CR\r\nLF\n, \b\f \u0000 \u0001 \u001A \u001F \u007F end')),
  quad(s, dct('description'), literal(`""" triple quotes """ and "" and a trailing quote"`)),
  quad(s, dct('description'), literal(`${'Zeile mit Umlauten äöüß und "Zitat"\n'.repeat(5000)}Ende`)),
  quad(s, dct('description'), literal('😀 Emoji, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, ÄÖÜ, «Anführung», \u2028 line separator')),
  quad(s, dct('description'), literal('')),
  quad(s, dct('description'), literal('with explicit xsd:string', namedNode(`${XSD}string`))),
  // Datatypes: the bare forms where the lexical form allows them, else quoted.
  quad(s, ex('v'), typed('42', 'integer')),
  quad(s, ex('v'), typed('-7', 'integer')),
  quad(s, ex('v'), typed('+007', 'integer')),
  quad(s, ex('v'), typed('4 2', 'integer')),
  quad(s, ex('v'), typed('1.5', 'decimal')),
  quad(s, ex('v'), typed('.5', 'decimal')),
  quad(s, ex('v'), typed('5.', 'decimal')),
  quad(s, ex('v'), typed('1024', 'decimal')),
  quad(s, ex('v'), typed('1e3', 'double')),
  quad(s, ex('v'), typed('-1.5E-2', 'double')),
  quad(s, ex('v'), typed('INF', 'double')),
  quad(s, ex('v'), typed('true', 'boolean')),
  quad(s, ex('v'), typed('True', 'boolean')),
  quad(s, ex('v'), typed('1', 'boolean')),
  quad(s, dct('issued'), typed('2024-01-31', 'date')),
  quad(s, ex('v'), typed('POINT(7.6 51.5)', 'http://www.opengis.net/ont/geosparql#wktLiteral')),
  quad(s, ex('v'), typed('x', 'http://example.org/dt#a(b)')),
  quad(s, ex('v'), typed('x', `${DCT}a.`)),
  quad(s, ex('v'), typed('x', 'urn:example:datatype')),
  // IRIs that look like prefixed names must stay IRIs (scheme "dct", "dcat").
  quad(s, ex('v'), namedNode('dct:title')),
  quad(s, namedNode('dcat:keyword'), literal('a predicate with scheme dcat')),
  quad(s, ex('v'), namedNode('urn:example:x')),
  quad(s, ex('v'), namedNode('http://example.org/straße?q=ä&x=%20#frag')),
  quad(s, ex('v'), namedNode('http://example.org/😀')),
  quad(s, ex('v'), namedNode(RDF_TYPE)),
  quad(s, ex('v'), namedNode(DCT)),
  // Blank nodes: labels that are valid as they are and labels that are not.
  quad(s, dct('publisher'), bnode),
  quad(s, dct('publisher'), odd),
  quad(s, dct('publisher'), blankNode('n3-12')),
  quad(s, dct('publisher'), blankNode('x_1')),
  quad(bnode, namedNode(RDF_TYPE), namedNode('http://xmlns.com/foaf/0.1/Organization')),
  quad(bnode, namedNode('http://xmlns.com/foaf/0.1/name'), literal('Kreis Unna', 'de')),
  quad(odd, ex('v'), bnode),
  quad(blankNode('n3-12'), ex('v'), blankNode('x_1')),
  quad(blankNode('x_1'), ex('v'), literal('x_1')),
  // The dataset again after other subjects: a second block for the same subject.
  quad(s, dct('modified'), typed('2024-02-01T10:00:00Z', 'dateTime')),
];
// Every awkward local as subject, predicate and object after the dct: namespace.
for (const local of LOCALS) AWKWARD.push(quad(dct(local), dct(local), dct(local)));

t.test('awkward quads: N3.js reads back exactly the graph written', async (t) => {
  const text = await serialize('turtle', AWKWARD);
  const back = n3Parse(text);
  t.equal(back.length, AWKWARD.length, 'no triple lost or merged');
  t.same(await graphDiff(back, AWKWARD), ISOMORPHIC, 'N3.js reads the same graph');
  t.same(await graphDiff(await parseRdf(text, 'turtle'), AWKWARD), ISOMORPHIC, 'our parser reads the same graph');
});

t.test('what the Turtle looks like', async (t) => {
  const text = await serialize('turtle', AWKWARD);
  t.match(text, /^@prefix dcat: <http:\/\/www\.w3\.org\/ns\/dcat#>\.$/m, 'prefixes declared');
  t.ok(text.startsWith('@prefix '), 'the prefix block comes first');
  t.ok(text.includes('<http://example.org/dataset/1> a dcat:Dataset, dcat:Resource;\n    dct:title '), '`a` for rdf:type, `,` for the same predicate, `;` for the next');
  t.ok(text.includes(String.raw`"Bevölkerung & Fläche <2024> \"zitiert\" 'einfach' \\ Backslash\\"@de`), 'quotes and backslashes escaped, umlauts as they are');
  t.ok(text.includes(String.raw`"Tab\there, CR\r\nLF\n, \b\f \u0000 \u0001 \u001A \u001F \u007F end"`), 'controls escaped');
  t.ok(text.includes('"Population"@en-gb'), 'language tag');
  t.equal(text.split('\n').filter((l) => l.includes('Zeile mit Umlauten')).length, 1, 'a long multi-line text stays on one line');
  t.ok(text.includes('"with explicit xsd:string";'), 'xsd:string is not written');
  t.ok(text.includes('<http://example.org/v> 42, -7, +007, "4 2"^^xsd:integer, 1.5, .5, "5."^^xsd:decimal, "1024"^^xsd:decimal, 1e3, -1.5E-2, "INF"^^xsd:double, true, "True"^^xsd:boolean, "1"^^xsd:boolean;'), 'bare numbers and booleans only where the grammar reads them');
  t.ok(text.includes('"POINT(7.6 51.5)"^^gsp:wktLiteral'), 'prefixed datatype');
  t.ok(text.includes('"x"^^<http://example.org/dt#a(b)>, "x"^^<http://purl.org/dc/terms/a.>, "x"^^<urn:example:datatype>'), 'unprefixable datatypes as IRIs');
  t.ok(text.includes('<dct:title>'), 'an IRI that looks like a prefixed name stays an IRI');
  t.ok(text.includes('<dcat:keyword> "a predicate with scheme dcat"'), 'also as predicate');
  t.ok(text.includes(', rdf:type, <http://purl.org/dc/terms/>;'), 'rdf:type as object is not `a`; the bare namespace is an IRI');
  t.match(text, /dct:publisher _:b0, _:x_[A-Za-z0-9_]+, _:x_n3_2d_12, _:x_x_5f_1\.$/m, 'blank node labels made valid, distinct');
  t.ok(text.includes('dct:title dct:title dct:title.'), 'prefixed names where the local part is safe');
  t.ok(text.includes('dct:1st dct:1st dct:1st.') && text.includes('dct:_x dct:_x dct:_x.') && text.includes('dct:a.b dct:a.b dct:a.b.') && text.includes('dct:x- dct:x- dct:x-.'), 'digits first, underscore, inner dot, trailing dash');
  for (const local of ['a/b', 'a#b', 'a(b)', 'a.', '.a', 'a..b', '', '-x', 'a%20b', 'straße', 'a:b', "a'b", 'a~b', '😀']) {
    const iri = `<${DCT}${local}>`;
    t.ok(text.includes(`${iri} ${iri} ${iri}.`), `"${local}" written as <IRI>`);
  }
  t.ok(text.endsWith('.\n'), 'the last statement is closed');
});

t.test('terms Turtle cannot carry', async (t) => {
  const text = await serialize('turtle', [quad(namedNode('tel:+49 40 <4> "28"'), ex('p'), literal('x'))]);
  t.equal(n3Parse(text)[0].subject.value, 'tel:+49%2040%20%3C4%3E%20%2228%22', 'IRI characters no syntax allows are percent-encoded');
  await t.rejects(serialize('turtle', [quad(s, ex('p'), literal('x', 'de DE'))]), RdfSyntaxError, 'an impossible language tag is an error, not a broken document');
  await t.rejects(serialize('turtle', [quad(literal('x') as unknown as RDF.Quad_Subject, ex('p'), literal('y'))]), RdfSyntaxError, 'literal subject');
  const prefixed = await serialize('turtle', [quad(ex('x'), ex('p'), literal('x'))], { prefixes: { ex: 'http://example.org/', rel: 'relative/', 'bad prefix': 'http://example.org/' } });
  t.notMatch(prefixed, /rel:|bad prefix/, 'relative namespaces and impossible prefixes are not declared');
  t.ok(prefixed.includes('ex:x ex:p "x".'), 'the others are used');
  const other = await serialize('turtle', [quad(namedNode('http://example.org/ns_item1'), namedNode('http://example.org/ns_item/2'), literal('x'))], { prefixes: { n: 'http://example.org/ns_' } });
  t.ok(other.includes('n:item1 <http://example.org/ns_item/2> "x".'), 'a namespace not ending in / or #');
  t.same(await graphDiff(n3Parse(other), [quad(namedNode('http://example.org/ns_item1'), namedNode('http://example.org/ns_item/2'), literal('x'))]), ISOMORPHIC);
});

t.test('empty graph', async (t) => {
  const text = await serialize('turtle', []);
  t.ok(text.startsWith('@prefix dcat: '));
  t.same(n3Parse(text), []);
});

// ---------------------------------------------------------------------------------------------
// Real documents: parsed with our parser, written, read back by N3.js.

const FIXTURES = new URL('../../../shared/fixtures/rdf/', import.meta.url);

/** A triple as text, blank node labels included: for an exact comparison. */
function key(q: RDF.Quad, label: (t: RDF.Term) => string): string {
  const o = q.object;
  const object = o.termType === 'Literal' ? `"${o.value}"@${o.language}^^${o.datatype.value}` : label(o);
  return `${label(q.subject)} ${label(q.predicate)} ${object}`;
}

t.test('every fixture: our parser → our Turtle → N3.js gives the same triples', async (t) => {
  const files: string[] = [];
  for (const dir of ['', 'dcatapde-examples/', 'govdata-testcases/']) {
    for (const name of readdirSync(new URL(dir, FIXTURES))) if (/\.(rdf|xml|ttl|jsonld)$/.test(name)) files.push(dir + name);
  }
  t.ok(files.length > 60, 'found the fixtures');
  // Blank node labels are read as written ("_:" prefix), so the triples compare exactly: the
  // writer's only changes are the documented repairs (safe labels, percent-encoded IRIs).
  const written = (t: RDF.Term) => (t.termType === 'BlankNode' ? `_:${blankLabel(t.value)}` : `<${safeIri(t.value)}>`);
  const read = (t: RDF.Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : `<${t.value}>`);
  for (const file of files.sort()) {
    const url = new URL(file, FIXTURES);
    const quads = await parseRdf(readFileSync(url), formatFromExtension(file)!, { baseIRI: url.href });
    const back = new N3Parser({ format: 'text/turtle', blankNodePrefix: '_:' }).parse(await serialize('turtle', quads));
    const expected = new Set(quads.map((q) => key(q, written)));
    const actual = new Set(back.map((q) => key(q, read)));
    t.same({ count: back.length, missing: [...expected].filter((k) => !actual.has(k)), unexpected: [...actual].filter((k) => !expected.has(k)) }, { count: quads.length, missing: [], unexpected: [] }, `${file}: ${quads.length} triples`);
  }
});
