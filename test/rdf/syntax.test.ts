import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { DataFactory, Parser as N3Parser } from 'n3';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { SaxesParser } from 'saxes';
import t from 'tap';
import {
  createJsonLdNodeWriter,
  createWriter,
  formatFromExtension,
  formatFromMediaType,
  negotiate,
  parseRdf,
  parseRdfStream,
  RdfSyntaxError,
  serialize,
  writeJsonLdNodes,
  writeQuads,
  type RdfFormat,
} from '../../src/rdf/syntax/index.js';

const { namedNode, blankNode, literal, quad } = DataFactory;

// rdf-canonize (RDFC-1.0, a dependency of jsonld) has no type declarations; this is the part we use.
interface RdfCanonize {
  canonize(dataset: PlainQuad[], options: { algorithm: 'RDFC-1.0' }): Promise<string>;
  NQuads: { parse(nquads: string): PlainQuad[] };
}
const rdfCanonize = createRequire(import.meta.url)('rdf-canonize') as RdfCanonize;

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

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';

function plain(t: PlainTerm, normalize?: (t: PlainTerm) => string): PlainTerm {
  if (t.termType !== 'Literal') return { termType: t.termType, value: t.value };
  const value = normalize ? normalize(t) : t.value;
  return t.language ? { termType: 'Literal', value, language: t.language, datatype: { termType: 'NamedNode', value: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' } } : { termType: 'Literal', value, datatype: { termType: 'NamedNode', value: t.datatype!.value } };
}

/** Canonical N-Quads (RDFC-1.0): equal strings ⇔ isomorphic graphs, blank nodes included. */
async function canonical(quads: Iterable<RDF.Quad | PlainQuad>, normalize?: (t: PlainTerm) => string): Promise<string> {
  const dataset = [...quads].map((q) => ({
    subject: plain(q.subject),
    predicate: plain(q.predicate),
    object: plain(q.object as PlainTerm, normalize),
    graph: { termType: 'DefaultGraph', value: '' },
  }));
  return rdfCanonize.canonize(dataset, { algorithm: 'RDFC-1.0' });
}

/** Triples only in one of two graphs, after canonicalisation; both empty ⇔ isomorphic. */
async function graphDiff(actual: Iterable<RDF.Quad | PlainQuad>, expected: Iterable<RDF.Quad | PlainQuad>): Promise<{ missing: string[]; unexpected: string[] }> {
  const [a, e] = await Promise.all([canonical(actual), canonical(expected)]);
  const aLines = new Set(a.split('\n'));
  const eLines = new Set(e.split('\n'));
  return { missing: [...eLines].filter((l) => !aLines.has(l)), unexpected: [...aLines].filter((l) => !eLines.has(l)) };
}
const ISOMORPHIC = { missing: [], unexpected: [] };

// ---------------------------------------------------------------------------------------------
// A quad set with everything that tends to break serialisers.

const ex = (path: string) => namedNode(`http://example.org/${path}`);
const dcat = (local: string) => namedNode(DCAT + local);
const dct = (local: string) => namedNode(`http://purl.org/dc/terms/${local}`);
const typed = (value: string, type: string) => literal(value, namedNode(XSD + type));

const dataset = ex('dataset?id=1&lang=de%20DE');
const publisher = blankNode('pub');
const contact = blankNode('contact');
const TRICKY: RDF.Quad[] = [
  quad(dataset, namedNode(RDF_TYPE), dcat('Dataset')),
  quad(dataset, dct('title'), literal('Bevölkerung & Fläche <2024> "zitiert" \'einfach\'\nZeile 2', 'de')),
  quad(dataset, dct('title'), literal('Population & area', 'en')),
  quad(dataset, dct('description'), literal('Tab\there, CR\r\nLF, a ]]> b, trailing spaces  ')),
  quad(dataset, dct('issued'), typed('2024-01-31', 'date')),
  quad(dataset, dcat('spatialResolutionInMeters'), typed('12.50', 'decimal')),
  quad(dataset, dcat('byteSize'), typed('1024', 'nonNegativeInteger')),
  quad(dataset, ex('ns/count'), typed('42', 'integer')),
  quad(dataset, ex('ns/big'), typed('123456789012345678901234567890', 'integer')),
  quad(dataset, ex('ns/flag'), typed('true', 'boolean')),
  quad(dataset, ex('ns/ratio'), typed('1.5E0', 'double')),
  quad(dataset, dcat('keyword'), literal('')),
  quad(dataset, dcat('keyword'), literal('😀 Emoji, ß, ÄÖÜ, «Anführung»')),
  quad(dataset, dcat('landingPage'), namedNode('http://example.org/search?q=a&b=%C3%A4#frag')),
  quad(dataset, dct('publisher'), publisher),
  quad(dataset, ex('ns/1st-prop'), literal('predicate local name starts with a digit')),
  quad(dataset, namedNode('http://example.org/ns#prop.with.dots-and-dash'), literal('dots')),
  quad(dataset, namedNode('urn:example:prop'), literal('a URN predicate')),
  quad(publisher, namedNode(RDF_TYPE), namedNode('http://xmlns.com/foaf/0.1/Organization')),
  quad(publisher, namedNode('http://xmlns.com/foaf/0.1/name'), literal('Kreis Unna', 'de')),
  quad(publisher, namedNode('http://www.w3.org/2006/vcard/ns#hasEmail'), namedNode('mailto:info@kreis-unna.de')),
  quad(contact, namedNode('http://www.w3.org/2006/vcard/ns#fn'), literal('Ansprechpartner:in')),
  quad(contact, namedNode(RDF_TYPE), namedNode('http://www.w3.org/2006/vcard/ns#Organization')),
  // The dataset again, after other subjects: a second node for the same subject.
  quad(dataset, dcat('contactPoint'), contact),
];

const FORMATS: RdfFormat[] = ['turtle', 'ntriples', 'rdfxml', 'jsonld'];

/** The library parsers, used directly (not through our wrappers), as the independent check. */
async function rdfxmlLibraryParse(text: string): Promise<RDF.Quad[]> {
  const parser = new RdfXmlParser({ baseIRI: 'http://base.example/' });
  const quads: RDF.Quad[] = [];
  parser.on('data', (q: RDF.Quad) => quads.push(q));
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
  });
  parser.end(text);
  await done;
  return quads;
}

function xmlWellFormedErrors(text: string): string[] {
  const errors: string[] = [];
  const sax = new SaxesParser({ xmlns: true });
  sax.on('error', (e) => errors.push(e.message));
  sax.write(text).close();
  return errors;
}

t.test('round trip of tricky quads through every writer', async (t) => {
  for (const format of FORMATS) {
    t.test(format, async (t) => {
      const text = await serialize(format, TRICKY);
      t.same(await graphDiff(await parseRdf(text, format), TRICKY), ISOMORPHIC, 'our parser reads back the same graph');
      switch (format) {
        case 'turtle': {
          t.same(await graphDiff(new N3Parser({ format: 'text/turtle' }).parse(text), TRICKY), ISOMORPHIC, 'N3.js reads the same graph');
          // Hand check of the escaping (no second Turtle parser is installed).
          t.ok(text.includes(String.raw`"Bevölkerung & Fläche <2024> \"zitiert\" 'einfach'\nZeile 2"@de`), 'string escapes');
          t.ok(text.includes('<http://example.org/dataset?id=1&lang=de%20DE>'), 'IRI written verbatim');
          t.match(text, /^@prefix dcat: <http:\/\/www\.w3\.org\/ns\/dcat#>\.$/m, 'prefixes declared');
          break;
        }
        case 'ntriples': {
          t.same(await graphDiff(rdfCanonize.NQuads.parse(text), TRICKY), ISOMORPHIC, 'rdf-canonize N-Quads parser reads the same graph');
          t.same(await graphDiff(new N3Parser({ format: 'application/n-triples' }).parse(text), TRICKY), ISOMORPHIC, 'N3.js reads the same graph');
          const lines = text.split('\n').filter((l) => l !== '');
          t.equal(lines.length, TRICKY.length, 'one line per triple');
          t.ok(lines.every((l) => /^(?:<[^<>"{}|^`\\\s]*>|_:[A-Za-z0-9_]+) <[^<>\s]*> (?:<[^<>\s]*>|_:[A-Za-z0-9_]+|"(?:[^"\\\n\r]|\\.)*"(?:@[a-z-]+|\^\^<[^>]+>)?) \.$/u.test(l)), 'every line is an N-Triples statement');
          break;
        }
        case 'rdfxml': {
          t.same(xmlWellFormedErrors(text), [], 'saxes: well-formed, namespace-valid XML');
          t.ok(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n'), 'XML declaration');
          t.same(await graphDiff(await rdfxmlLibraryParse(text), TRICKY), ISOMORPHIC, 'rdfxml-streaming-parser reads the same graph');
          t.match(text, /<dcat:Dataset rdf:about="http:\/\/example\.org\/dataset\?id=1&amp;lang=de%20DE">/, 'typed node element, & escaped in attribute');
          t.match(text, /<dct:title xml:lang="de">Bevölkerung &amp; Fläche &lt;2024&gt; "zitiert" 'einfach'\nZeile 2<\/dct:title>/, 'xml:lang and text escaping');
          t.match(text, /<dct:issued rdf:datatype="http:\/\/www\.w3\.org\/2001\/XMLSchema#date">2024-01-31<\/dct:issued>/, 'rdf:datatype');
          t.match(text, /CR&#13;\nLF, a \]\]&gt; b/, 'CR kept as a reference, ]]> broken up');
          t.match(text, /<foaf:Organization rdf:nodeID="pub">/, 'blank node subject with rdf:nodeID');
          t.match(text, /<(ns\d+):st-prop xmlns:\1="http:\/\/example\.org\/ns\/1">/, 'awkward local name gets a generated namespace');
          t.equal(text.match(/rdf:about="http:\/\/example\.org\/dataset/g)?.length, 2, 'one node element per run of the same subject');
          break;
        }
        case 'jsonld': {
          const doc = JSON.parse(text) as { '@graph': Array<Record<string, unknown>> };
          t.equal(doc['@graph'].length, 4, 'one node object per run of the same subject');
          t.same(await graphDiff((await jsonld.toRDF(doc as jsonld.JsonLdDocument)) as unknown as PlainQuad[], TRICKY), ISOMORPHIC, 'jsonld.toRDF reads the same graph');
          t.match(text, /"http:\/\/example\.org\/ns\/count":\[\{"@value":42\}\]/, 'canonical integer as a JSON number');
          t.match(text, /"http:\/\/example\.org\/ns\/flag":\[\{"@value":true\}\]/, 'boolean as a JSON boolean');
          t.match(text, /\{"@value":"12\.50","@type":"http:\/\/www\.w3\.org\/2001\/XMLSchema#decimal"\}/, 'decimal stays a typed string');
          t.match(text, /\{"@value":"123456789012345678901234567890","@type":"http:\/\/www\.w3\.org\/2001\/XMLSchema#integer"\}/, 'unsafe integer stays a typed string');
          break;
        }
      }
    });
  }
});

t.test('empty graphs give valid empty documents', async (t) => {
  for (const format of FORMATS) {
    const text = await serialize(format, []);
    t.same(await parseRdf(text, format), [], format);
  }
  t.same(xmlWellFormedErrors(await serialize('rdfxml', [])), []);
});

t.test('writers repair what no syntax can carry', async (t) => {
  const s = ex('s');
  t.test('XML-forbidden control characters are dropped from RDF/XML', async (t) => {
    const text = await serialize('rdfxml', [quad(s, ex('p'), literal('a\u0001b\u000Bc\uFFFEd\uD800e', 'de'))]);
    t.same(xmlWellFormedErrors(text), []);
    const [q] = await parseRdf(text, 'rdfxml');
    t.equal(q.object.value, 'abcde');
  });
  t.test('the other writers keep control characters', async (t) => {
    for (const format of ['turtle', 'ntriples', 'jsonld'] as const) {
      const [q] = await parseRdf(await serialize(format, [quad(s, ex('p'), literal('a\u0001b'))]), format);
      t.equal(q.object.value, 'a\u0001b', format);
    }
  });
  t.test('IRIs with spaces are percent-encoded, blank node labels made safe', async (t) => {
    const quads = [quad(namedNode('tel:+49 40 4 28'), ex('p'), blankNode('has space/and:colon')), quad(blankNode('has space/and:colon'), ex('q'), literal('x'))];
    for (const format of FORMATS) {
      const back = await parseRdf(await serialize(format, quads), format);
      const p = back.find((q) => q.predicate.value === 'http://example.org/p');
      const q = back.find((q) => q.predicate.value === 'http://example.org/q');
      t.equal(back.length, 2, format);
      t.equal(p?.subject.value, 'tel:+49%2040%204%2028', format);
      t.ok(p && q && p.object.equals(q.subject), `${format}: blank node identity kept`);
    }
  });
  t.test('RDF/XML: a predicate without QName form errors, or is skipped on request', async (t) => {
    const quads = [quad(s, ex('ns/'), literal('x')), quad(s, ex('ok'), literal('y'))];
    await t.rejects(serialize('rdfxml', quads), RdfSyntaxError);
    const text = await serialize('rdfxml', quads, { unwritable: 'skip' });
    const back = await parseRdf(text, 'rdfxml');
    t.same(back.map((q) => q.predicate.value), ['http://example.org/ok']);
  });
  t.test('RDF/XML: rdf:li and rdf: types are not misread', async (t) => {
    const rdf = (l: string) => namedNode(`http://www.w3.org/1999/02/22-rdf-syntax-ns#${l}`);
    const quads = [quad(s, rdf('type'), rdf('Seq')), quad(s, rdf('_1'), literal('one'))];
    const text = await serialize('rdfxml', quads);
    t.match(text, /<rdf:Description rdf:about="http:\/\/example\.org\/s">/);
    t.same(await graphDiff(await rdfxmlLibraryParse(text), quads), ISOMORPHIC, 'same graph');
    await t.rejects(serialize('rdfxml', [quad(s, rdf('li'), literal('x'))]), RdfSyntaxError);
  });
  t.test('terms no format can carry are refused', async (t) => {
    const literalSubject = quad(literal('x') as unknown as RDF.Quad_Subject, ex('p'), literal('y'));
    for (const format of FORMATS) await t.rejects(serialize(format, [literalSubject]), { name: 'RdfSyntaxError', format }, format);
  });
  t.test('prefixes Turtle cannot declare are left out', async (t) => {
    const text = await serialize('turtle', [quad(s, ex('p'), literal('x'))], { prefixes: { 'bad prefix': 'http://example.org/', ex: 'http://example.org/' } });
    t.notMatch(text, /bad prefix/);
    t.match(text, /ex:p "x"/);
  });
  t.test('named graphs are flattened into the default graph', async (t) => {
    const quads = [quad(s, ex('p'), literal('x'), ex('g'))];
    for (const format of FORMATS) t.equal((await parseRdf(await serialize(format, quads), format))[0].graph.termType, 'DefaultGraph', format);
  });
});

t.test('JSON-LD: ready node objects and a context', async (t) => {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const context = { dcat: DCAT, dct: 'http://purl.org/dc/terms/' };
  await writeJsonLdNodes([{ '@id': 'http://example.org/a', '@type': 'dcat:Dataset', 'dct:title': { '@value': 'A', '@language': 'de' } }, { '@id': 'http://example.org/b', 'dcat:keyword': ['x', 'y'] }], sink, { context });
  const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  t.same(doc['@context'], context);
  const quads = await parseRdf(JSON.stringify(doc), 'jsonld');
  t.equal(quads.length, 4);
  t.ok(quads.some((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`));

  // The quad writer with a context: the body stays expanded and means the same.
  const text = await serialize('jsonld', TRICKY, { context });
  t.match(text, /^\{\n  "@context": \{"dcat":/);
  t.same(await graphDiff(await parseRdf(text, 'jsonld'), TRICKY), ISOMORPHIC, 'context does not change the meaning');
});

t.test('JSON-LD: texts and IRIs are quoted exactly as JSON.stringify quotes them', async (t) => {
  // The writer quotes strings itself where nothing needs escaping; every other string must still
  // come out as JSON.stringify writes it: quotes, backslashes, controls, lone surrogates.
  const texts = ['plain', '', 'Bevölkerung – „Zahlen“ 😀', 'a "quoted" word', 'back\\slash', 'line\nbreak', 'tab\t', 'bell\u0007', 'del\u007f', 'sep\u2028', 'lone \ud800 high', 'lone \udc00 low'];
  const s = namedNode('http://example.org/s');
  const quads = texts.flatMap((text, i) => [quad(s, ex(`ns/t${i}`), literal(text)), quad(s, ex(`ns/l${i}`), literal(text, 'de'))]);
  quads.push(quad(s, ex('ns/iri'), namedNode('http://example.org/\ud800/x')));
  for (const batch of [false, true]) {
    const output = await serialize('jsonld', (batch ? [quads] : quads) as Iterable<RDF.Quad>, { context: { ex: 'http://example.org/ns/' }, compact: true });
    const node = (JSON.parse(output) as { '@graph': Record<string, unknown>[] })['@graph'][0];
    texts.forEach((text, i) => {
      // Named by index: a raw U+2028 in an assertion's name would break the TAP line.
      t.equal(node[`ex:t${i}`], text, `text ${i} as a plain string`);
      t.same(node[`ex:l${i}`], { '@value': text, '@language': 'de' }, `text ${i} with a language`);
      t.ok(text.length === 0 || output.includes(JSON.stringify(text)), `text ${i} as JSON.stringify writes it`);
    });
    t.same(node['ex:iri'], { '@id': 'http://example.org/\ud800/x' }, 'an IRI with a lone surrogate');
  }
});

t.test('JSON-LD compacted to the context: its terms, nested nodes, and the same graph', async (t) => {
  const context = {
    '@version': 1.1,
    dcat: DCAT,
    dct: 'http://purl.org/dc/terms/',
    xsd: XSD,
    Dataset: 'dcat:Dataset',
    title: { '@id': 'dct:title', '@container': '@language' },
    keyword: { '@id': 'dcat:keyword', '@container': '@language' },
    issued: { '@id': 'dct:issued', '@type': 'xsd:date' },
    landingPage: { '@id': 'dcat:landingPage', '@type': '@id', '@container': '@set' },
    publisher: { '@id': 'dct:publisher', '@context': { Organization: 'http://xmlns.com/foaf/0.1/Organization', name: { '@id': 'http://xmlns.com/foaf/0.1/name', '@container': '@language' } } },
    contactPoint: { '@id': 'dcat:contactPoint', '@container': '@set' },
    name: null,
  };
  // Quad by quad (no nesting) and as one batch (nested), as the catalog export writes a dataset.
  for (const [label, source] of [
    ['single quads', TRICKY],
    ['one batch', [TRICKY]],
  ] as const) {
    const text = await serialize('jsonld', source as Iterable<RDF.Quad>, { context, compact: true });
    const doc = JSON.parse(text) as { '@context': unknown; '@graph': Record<string, unknown>[] };
    t.same(doc['@context'], context, `${label}: the context inline`);
    // jsonld.js with no document loader at all: nothing remote is needed.
    t.same(await graphDiff((await jsonld.toRDF(doc as jsonld.JsonLdDocument)) as unknown as PlainQuad[], TRICKY), ISOMORPHIC, `${label}: jsonld.js expands it to the same graph`);
    const node = doc['@graph'].find((n) => n['@id'] === 'http://example.org/dataset?id=1&lang=de%20DE')!;
    t.equal(node['@type'], 'Dataset', label);
    t.same(node.title, { de: 'Bevölkerung & Fläche <2024> "zitiert" \'einfach\'\nZeile 2', en: 'Population & area' }, `${label}: a language map`);
    t.same(node.keyword, { '@none': ['', '😀 Emoji, ß, ÄÖÜ, «Anführung»'] }, `${label}: plain strings in a language map`);
    t.equal(node.issued, '2024-01-31', `${label}: coerced datatype`);
    t.same(node.landingPage, ['http://example.org/search?q=a&b=%C3%A4#frag'], `${label}: @set of IRIs`);
    t.same(node['dcat:byteSize'], { '@value': '1024', '@type': 'xsd:nonNegativeInteger' }, `${label}: no term fits: compact IRI, expanded value`);
    t.equal(node['http://example.org/ns/count'], 42, label);
    if (label === 'one batch') {
      t.same(node.publisher, { '@type': 'Organization', name: { de: 'Kreis Unna' }, 'http://www.w3.org/2006/vcard/ns#hasEmail': { '@id': 'mailto:info@kreis-unna.de' } }, 'the publisher nested, in its scoped context, without blank node id');
      t.same(node.contactPoint, [{ '@type': 'http://www.w3.org/2006/vcard/ns#Organization', 'http://www.w3.org/2006/vcard/ns#fn': 'Ansprechpartner:in' }], 'a node referenced once later in the batch is nested too');
      t.equal(doc['@graph'].length, 1);
    } else t.same(node.publisher, { '@id': '_:pub' }, 'quad by quad: a reference');
  }
  t.throws(() => createWriter('jsonld', { context: { p: { '@id': 'http://x/p', '@reverse': 'x' } }, compact: true }), TypeError, 'an unsupported context is refused, not misread');
  t.throws(() => createWriter('jsonld', { context: 'https://example.org/context.jsonld', compact: true }), TypeError);
});

// ---------------------------------------------------------------------------------------------
// Real documents.

const FIXTURES = new URL('../../../shared/fixtures/rdf/', import.meta.url);
// Files the fixture README calls broken (expected to fail with RdfSyntaxError). It names none:
// metadata_max_1_0.rdf has an IRI with spaces, which we accept like raptor and rdflib do.
const BROKEN = new Set<string>();

function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['', 'dcatapde-examples/', 'govdata-testcases/']) {
    for (const name of readdirSync(new URL(dir, FIXTURES))) if (/\.(rdf|xml|ttl|jsonld)$/.test(name)) files.push(dir + name);
  }
  return files.sort();
}

t.test('fixture files parse', async (t) => {
  const files = fixtureFiles();
  t.ok(files.length > 60, 'found the fixtures');
  for (const file of files) {
    const url = new URL(file, FIXTURES);
    const format = formatFromExtension(file)!;
    if (BROKEN.has(file)) {
      await t.rejects(parseRdf(readFileSync(url), format, { baseIRI: url.href }), RdfSyntaxError, file);
      continue;
    }
    const quads = await parseRdf(readFileSync(url), format, { baseIRI: url.href });
    t.ok(quads.length > 0, `${file}: ${quads.length} triples`);
  }
});

/** dcat:Dataset subjects, counted on the parsed graph. */
function datasetSubjects(quads: RDF.Quad[]): number {
  return new Set(quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`).map((q) => q.subject.value)).size;
}

/** The same, counted independently on the XML text: typed node elements plus rdf:type properties. */
function datasetsInXml(text: string): number {
  return (text.match(/<dcat:Dataset[\s>]/g)?.length ?? 0) + (text.match(/<rdf:type rdf:resource="http:\/\/www\.w3\.org\/ns\/dcat#Dataset"\s*\/>/g)?.length ?? 0);
}

t.test('catalog dataset counts match an independent count', async (t) => {
  for (const [file, expected] of [
    ['destatis-catalog.rdf', 135],
    ['brandenburg-catalog.rdf', 112],
  ] as const) {
    const text = readFileSync(new URL(file, FIXTURES), 'utf8');
    t.equal(datasetsInXml(text), expected, `${file}: regex count`);
    t.equal(datasetSubjects(await parseRdf(text, 'rdfxml')), expected, `${file}: parsed`);
  }
});

t.test('streamed parsing in small chunks equals parsing the whole text', async (t) => {
  const url = new URL('brandenburg-catalog.rdf', FIXTURES);
  const whole = await parseRdf(readFileSync(url, 'utf8'), 'rdfxml');
  // 1 KiB chunks split many multi-byte characters (umlauts) between chunks.
  const streamed: RDF.Quad[] = [];
  for await (const q of parseRdfStream(createReadStream(url, { highWaterMark: 1024 }), 'rdfxml')) streamed.push(q);
  t.equal(streamed.length, whole.length);
  t.same(
    streamed.filter((q) => q.object.termType === 'Literal').map((q) => q.object.value),
    whole.filter((q) => q.object.termType === 'Literal').map((q) => q.object.value),
    'literals identical',
  );
  const ttl = new URL('dcatapde-examples/v3.0-Dataset-und-Distribution.ttl', FIXTURES);
  const ttlStreamed: RDF.Quad[] = [];
  for await (const q of parseRdfStream(createReadStream(ttl, { highWaterMark: 256 }), 'turtle', { baseIRI: ttl.href })) ttlStreamed.push(q);
  t.same(await graphDiff(ttlStreamed, await parseRdf(readFileSync(ttl), 'turtle', { baseIRI: ttl.href })), ISOMORPHIC, 'turtle streamed in 256-byte chunks');
});

t.test('the standard examples say the same in RDF/XML, Turtle and JSON-LD', async (t) => {
  const base = 'dcatapde-examples/v2.0-dcat_ap_de-RefImp_';
  for (const kind of ['SIMPLE', 'ADVANCED']) {
    const [xml, ttl, json] = await Promise.all([
      parseRdf(readFileSync(new URL(`${base}RDF_${kind}.rdf`, FIXTURES)), 'rdfxml'),
      parseRdf(readFileSync(new URL(`${base}TTL_${kind}.ttl`, FIXTURES)), 'turtle'),
      parseRdf(readFileSync(new URL(`${base}JSONLD_${kind}.jsonld`, FIXTURES)), 'jsonld'),
    ]);
    t.same(await graphDiff(json, ttl), ISOMORPHIC, `${kind}: JSON-LD = Turtle`);
    // The ADVANCED RDF/XML writes byte sizes as "935108.0" and checksums in upper case where the
    // others write "935108" and lower case: equal values, different lexical forms. Compare values.
    const values = (l: PlainTerm) => {
      if (l.datatype?.value === `${XSD}decimal`) return String(Number(l.value));
      if (l.datatype?.value === `${XSD}hexBinary`) return l.value.toUpperCase();
      return l.value;
    };
    t.equal(await canonical(xml, values), await canonical(ttl, values), `${kind}: RDF/XML = Turtle, up to lexical forms`);
  }
});

t.test('fixtures survive being written and read back in every format', async (t) => {
  for (const file of ['ckanext-dcatde-metadata_max_1_0.rdf', 'sh-ckan-catalog-single.xml', 'dcatapde-examples/v3.0-DatasetSeries.ttl']) {
    const url = new URL(file, FIXTURES);
    const quads = await parseRdf(readFileSync(url), formatFromExtension(file)!, { baseIRI: url.href });
    for (const format of FORMATS) {
      const text = await serialize(format, quads);
      const back = await parseRdf(text, format);
      t.equal(back.length, quads.length, `${file} as ${format}`);
    }
  }
  // The 1.0 file's telephone IRI has spaces: N3.js rejects it verbatim, so the writers escape it.
  const nt = await serialize('ntriples', await parseRdf(readFileSync(new URL('ckanext-dcatde-metadata_max_1_0.rdf', FIXTURES)), 'rdfxml'));
  t.ok(nt.includes('<tel:+49%2040%204%2028%2040%20-%203494>'));
  t.ok(new N3Parser({ format: 'application/n-triples' }).parse(nt).length > 0);
});

t.test('syntax errors are RdfSyntaxError with a line number', async (t) => {
  const ttl = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated ;\n';
  const e1 = await parseRdf(ttl, 'turtle').catch((e: unknown) => e);
  t.type(e1, RdfSyntaxError);
  t.match(e1, { format: 'turtle', line: 3 });
  const nt = '<http://example.org/a> <http://example.org/b> "ok" .\n<http://example.org/a> <b> .\n';
  t.match(await parseRdf(nt, 'ntriples').catch((e: unknown) => e), { name: 'RdfSyntaxError', format: 'ntriples', line: 2 });
  const xml = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://example.org/a">\n</rdf:RDF>\n';
  t.match(await parseRdf(xml, 'rdfxml').catch((e: unknown) => e), { name: 'RdfSyntaxError', format: 'rdfxml', line: 4 });
  t.match(await parseRdf('{\n  "@id": "http://example.org/a",\n  oops\n}', 'jsonld').catch((e: unknown) => e), { name: 'RdfSyntaxError', format: 'jsonld', line: 3 });
  t.match(await parseRdf('[1,', 'jsonld').catch((e: unknown) => e), { name: 'RdfSyntaxError', format: 'jsonld' });
});

t.test('size limit', async (t) => {
  const url = new URL('brandenburg-catalog.rdf', FIXTURES);
  await t.rejects(parseRdf(createReadStream(url), 'rdfxml', { maxBytes: 100_000 }), { name: 'RdfSyntaxError', message: /larger than the limit of 100000 bytes/ });
  await t.rejects(parseRdf(readFileSync(url), 'rdfxml', { maxBytes: 100_000 }), RdfSyntaxError);
  await t.rejects(parseRdf('{"@id": "http://example.org/a"}', 'jsonld', { maxBytes: 10 }), RdfSyntaxError);
  t.ok((await parseRdf(readFileSync(url), 'rdfxml', { maxBytes: 1_000_000 })).length > 0, 'under the limit');
});

// ---------------------------------------------------------------------------------------------
// Hostile input. A local HTTP server counts requests: any fetch would show up there.

t.test('hostile documents', async (t) => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.setHeader('content-type', 'application/ld+json');
    res.end('{"@context": {"p": "http://evil.example/p"}}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">';

  /** Collects what a parse yields before it fails, to prove nothing leaked into literals. */
  async function attempt(text: string, format: RdfFormat): Promise<{ quads: RDF.Quad[]; error?: unknown }> {
    const quads: RDF.Quad[] = [];
    try {
      for await (const q of parseRdfStream(text, format)) quads.push(q);
      return { quads };
    } catch (error) {
      return { quads, error };
    }
  }

  t.test('XXE with a file entity is rejected and /etc/passwd never appears', async (t) => {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    t.match(passwd, /root:/, 'the file exists, so a leak would be visible');
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n${RDF_OPEN}\n<rdf:Description rdf:about="http://example.org/a"><dct:title>&xxe;</dct:title></rdf:Description></rdf:RDF>`;
    const { quads, error } = await attempt(doc, 'rdfxml');
    t.type(error, RdfSyntaxError);
    t.match(error, { format: 'rdfxml', message: /DOCTYPE with an internal subset/, line: 2 });
    t.same(quads, [], 'failed before any triple');
    // The same markup through plain saxes: it never reads the DTD; the reference is an error, left as text.
    const texts: string[] = [];
    const sax = new SaxesParser({ xmlns: true });
    const errors: string[] = [];
    sax.on('error', (e) => errors.push(e.message));
    sax.on('text', (s) => texts.push(s));
    sax.write(doc).close();
    t.match(errors.join(' '), /undefined entity/);
    t.notOk(texts.join('').includes('root:'), 'saxes does not resolve external entities either');
  });

  t.test('XXE over HTTP and external parameter entities make no request', async (t) => {
    for (const dtd of [`<!ENTITY xxe SYSTEM "${origin}/secret">`, `<!ENTITY % remote SYSTEM "${origin}/evil.dtd"> %remote;`]) {
      const doc = `<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ ${dtd} ]>\n${RDF_OPEN}<rdf:Description rdf:about="http://example.org/a"><dct:title>&xxe;</dct:title></rdf:Description></rdf:RDF>`;
      const { error } = await attempt(doc, 'rdfxml');
      t.type(error, RdfSyntaxError);
    }
  });

  t.test('billion laughs fails fast with an error', async (t) => {
    let entities = '<!ENTITY lol0 "lol">\n';
    for (let i = 1; i <= 10; i++) entities += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">\n`;
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities}]>\n${RDF_OPEN}<rdf:Description rdf:about="http://example.org/a"><dct:title>&lol10;</dct:title></rdf:Description></rdf:RDF>`;
    const { quads, error } = await attempt(doc, 'rdfxml');
    t.type(error, RdfSyntaxError);
    t.match(error, { message: /DOCTYPE with an internal subset/ });
    t.same(quads, []);
    // Even one internal entity is refused: rdfxml-streaming-parser alone would expand it.
    const single = `<!DOCTYPE rdf:RDF [<!ENTITY x "expanded">]>${RDF_OPEN}<rdf:Description rdf:about="http://example.org/a"><dct:title>&x;</dct:title></rdf:Description></rdf:RDF>`;
    await t.rejects(parseRdf(single, 'rdfxml'), RdfSyntaxError);
  });

  t.test('a DOCTYPE without internal subset is ignored, undeclared entities are errors', async (t) => {
    const external = `<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "${origin}/rdf.dtd">\n${RDF_OPEN}<rdf:Description rdf:about="http://example.org/a"><dct:title>ok &amp; fine</dct:title></rdf:Description></rdf:RDF>`;
    const quads = await parseRdf(external, 'rdfxml');
    t.equal(quads[0].object.value, 'ok & fine', 'external DTD not loaded, document parsed');
    const undeclared = `${RDF_OPEN}<rdf:Description rdf:about="http://example.org/a"><dct:title>&nbsp;</dct:title></rdf:Description></rdf:RDF>`;
    await t.rejects(parseRdf(undeclared, 'rdfxml'), { name: 'RdfSyntaxError', message: /undefined entity/ });
  });

  t.test('JSON-LD: remote contexts are refused, bundled ones served', async (t) => {
    const remote = { '@context': `${origin}/context.jsonld`, '@id': 'http://example.org/a', p: 'x' };
    await t.rejects(parseRdf(JSON.stringify(remote), 'jsonld'), { name: 'RdfSyntaxError', message: /remote context http:\/\/127\.0\.0\.1:\d+\/context\.jsonld is not bundled/ });
    const imported = { '@context': { '@version': 1.1, '@import': `${origin}/import.jsonld` }, '@id': 'http://example.org/a' };
    await t.rejects(parseRdf(JSON.stringify(imported), 'jsonld'), RdfSyntaxError, '@import refused too');
    await t.rejects(parseRdf(JSON.stringify(`${origin}/document.jsonld`), 'jsonld'), RdfSyntaxError, 'a bare URL is not loaded');
    const contexts = new Map([['https://example.org/context.jsonld', { '@context': { title: 'http://purl.org/dc/terms/title' } }]]);
    const bundled = { '@context': 'https://example.org/context.jsonld', '@id': 'http://example.org/a', title: 'Titel' };
    const quads = await parseRdf(JSON.stringify(bundled), 'jsonld', { contexts });
    t.same(quads.map((q) => [q.predicate.value, q.object.value]), [['http://purl.org/dc/terms/title', 'Titel']]);
    const fixture = readFileSync(new URL('ckanext-dcat-catalog_with_at_graph.jsonld', FIXTURES));
    t.ok((await parseRdf(fixture, 'jsonld')).length > 0, 'inline contexts need no loader');
  });

  t.test('JSON-LD: depth limit', async (t) => {
    const deep = `{"@id": "http://example.org/a", "http://example.org/p": ${'['.repeat(5000)}1${']'.repeat(5000)}}`;
    await t.rejects(parseRdf(deep, 'jsonld'), { name: 'RdfSyntaxError', message: /nested deeper than 64 levels/ });
    const nested = { '@id': 'http://example.org/a', 'http://example.org/p': { 'http://example.org/p': { 'http://example.org/p': 'x' } } };
    await t.rejects(parseRdf(JSON.stringify(nested), 'jsonld', { maxDepth: 2 }), RdfSyntaxError);
    t.equal((await parseRdf(JSON.stringify(nested), 'jsonld')).length, 3);
  });

  t.test('no request reached the server', async (t) => {
    t.equal(requests, 0);
  });
});

// ---------------------------------------------------------------------------------------------

t.test('Accept negotiation', async (t) => {
  const cases: Array<[string | undefined, RdfFormat | undefined, string]> = [
    [undefined, 'turtle', 'no header: first supported'],
    ['', 'turtle', 'empty header'],
    ['*/*', 'turtle', 'anything'],
    ['text/turtle', 'turtle', 'exact'],
    ['TEXT/Turtle; charset=UTF-8', 'turtle', 'case and parameters'],
    ['application/rdf+xml;q=0.9, text/turtle;q=0.5', 'rdfxml', 'q-values'],
    ['text/turtle;q=0.5, application/rdf+xml;q=0.9', 'rdfxml', 'q-values, order irrelevant'],
    ['application/*', 'rdfxml', 'type wildcard: first supported application type'],
    ['application/*;q=0.5, application/ld+json', 'jsonld', 'exact beats wildcard'],
    ['application/ld+json, */*', 'jsonld', 'equal q: the more specific match'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'rdfxml', 'a browser: application/xml alias'],
    ['application/n-triples, text/turtle', 'ntriples', 'equal q and specificity: client order'],
    ['text/turtle;q=0, */*', 'rdfxml', 'q=0 excludes'],
    ['*/*;q=0', undefined, 'nothing acceptable'],
    ['text/html', undefined, '406'],
    ['application/trig', undefined, 'TriG is not offered'],
    ['text/n3', 'turtle', 'alias text/n3'],
    ['text/xml', 'rdfxml', 'alias text/xml'],
    ['application/json', 'jsonld', 'alias application/json'],
    ['text/*', 'turtle', 'text/* does not reach rdfxml through the text/xml alias'],
    ['application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted,x", text/turtle;q=0.1', 'jsonld', 'quoted comma in a parameter'],
    ['text/turtle;q=abc, application/rdf+xml;q=0.1', 'rdfxml', 'an unreadable q drops that range'],
    ['garbage, , ;q=1', undefined, 'malformed ranges are ignored'],
  ];
  for (const [accept, expected, why] of cases) t.equal(negotiate(accept), expected, `${why}: ${accept}`);
  t.equal(negotiate('application/ld+json', ['turtle']), undefined, 'restricted to what the route supports');
  t.equal(negotiate('*/*', ['jsonld', 'turtle']), 'jsonld', "the route's order decides ties");

  t.equal(formatFromExtension('ttl'), 'turtle');
  t.equal(formatFromExtension('.rdf'), 'rdfxml');
  t.equal(formatFromExtension('XML'), 'rdfxml');
  t.equal(formatFromExtension('catalog.jsonld'), 'jsonld');
  t.equal(formatFromExtension('nt'), 'ntriples');
  t.equal(formatFromExtension('csv'), undefined);
  t.equal(formatFromMediaType('application/rdf+xml; charset=utf-8'), 'rdfxml');
  t.equal(formatFromMediaType('text/xml'), 'rdfxml');
  t.equal(formatFromMediaType('application/trig'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Streaming: many quads, page after page, into one sink.

function* manyQuads(n: number): Generator<RDF.Quad> {
  for (let i = 0; i < n; i++) {
    const s = namedNode(`http://example.org/dataset/${Math.floor(i / 10)}`);
    yield i % 10 === 0 ? quad(s, namedNode(RDF_TYPE), dcat('Dataset')) : quad(s, dct(`p${i % 10}`), literal(`Wert ${i} – äöü & <x>`, 'de'));
  }
}

function countingSink(): { sink: Writable; bytes: () => number; tail: () => string } {
  let bytes = 0;
  let last = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      last = (last + chunk.toString('utf8')).slice(-64);
      cb();
    },
  });
  return { sink, bytes: () => bytes, tail: () => last };
}

t.test('200,000 quads stream through the Turtle and RDF/XML writers', async (t) => {
  for (const format of ['turtle', 'rdfxml'] as const) {
    const { sink, bytes, tail } = countingSink();
    await writeQuads(format, manyQuads(200_000), sink);
    t.ok(bytes() > 200_000 * 20, `${format}: ${bytes()} bytes`);
    if (format === 'rdfxml') t.match(tail(), /<\/rdf:RDF>\n$/);
    else t.match(tail(), /\.\n$/);
  }
});

t.test('pages written one after another into one writer, honouring backpressure', async (t) => {
  async function* pages(): AsyncGenerator<RDF.Quad[]> {
    const all = [...manyQuads(5000)];
    for (let i = 0; i < all.length; i += 1000) {
      await new Promise((r) => setImmediate(r)); // as if fetched from the database
      yield all.slice(i, i + 1000);
    }
  }
  for (const format of FORMATS) {
    const writer = createWriter(format);
    const out = new PassThrough();
    const collected: Buffer[] = [];
    const done = pipeline(writer, out, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) collected.push(chunk);
    });
    for await (const page of pages()) {
      for (const q of page) if (!writer.write(q)) await once(writer, 'drain');
    }
    writer.end();
    await done;
    const back = await parseRdf(Buffer.concat(collected), format);
    t.equal(back.length, 5000, format);
  }
});

t.test('writeQuads can leave the destination open', async (t) => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeQuads('ntriples', manyQuads(3), out, { end: false });
  t.notOk(out.writableEnded);
  out.end('# trailer\n');
  await once(out, 'end');
  t.match(Buffer.concat(chunks).toString('utf8'), /# trailer\n$/);
});

t.test('writer errors reach the pipeline', async (t) => {
  const { sink } = countingSink();
  await t.rejects(writeQuads('rdfxml', [quad(ex('s'), ex('p/'), literal('x'))], sink), RdfSyntaxError);
  await t.rejects(pipeline(Readable.from([42]), createJsonLdNodeWriter(), countingSink().sink), TypeError);
});
