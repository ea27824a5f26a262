import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../../src/app.js';
import { testApp, testConfig } from '../../helpers/app.js';
import { admin, create, dataset } from '../../helpers/rest.js';
import { canonical, NS, ofType, parse, store, values } from './rdf.js';
import type { RdfFormat } from '../../../src/rdf/syntax/index.js';

// Page size 3 so that seven datasets make three pages.
const ctx = await testApp({ CATALOG_PAGE_SIZE: '3' });
const { app } = ctx;
t.teardown(() => ctx.close());

const created: { id: string; name: string; uri: string }[] = [];
for (let i = 0; i < 7; i++) {
  const { doc } = await create(app, dataset({ title: { de: `Straßenbäume Lünen ${i}`, en: `Street trees ${i}` }, versionInfo: '1.0', distribution: [{ title: 'CSV', accessURL: [`https://example.org/baeume-${i}.csv`], format: 'csv', license: 'dl-by-de/2.0', licenseAttributionByText: 'Stadt Lünen', byteSize: 1234 }] }));
  created.push({ id: doc.id, name: doc.name, uri: doc['@id'] as string });
}
const priv = (await create(app, dataset({ title: 'Interne Liste', private: true }))).doc;
const gone = (await create(app, dataset({ title: 'Zurückgezogen' }))).doc;
t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${gone.id}`, headers: admin })).statusCode, 200);
const publicUris = created.map((d) => d.uri).sort();

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const literalOf = (s: Awaited<ReturnType<typeof store>>, subject: string, p: string) => values(s, subject, NS.hydra + p).map((o) => o.value);

/** Follows hydra:next from a first URL; returns the dataset IRIs of every page and the pages' paging nodes. */
/** A Turtle page of the catalog (absolute or relative URL) and the URL of its next page. */
async function nextOf(url: string) {
  const s = await store('turtle', (await get(url.replace('http://catalog.test', ''))).body);
  const [paging] = ofType(s, NS.hydra + 'PagedCollection');
  return { s, next: literalOf(s, paging, 'next')[0] };
}

async function harvest(first: string, format: RdfFormat = 'turtle') {
  const seen: string[] = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url) {
    const res = await get(url.replace('http://catalog.test', ''));
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    const s = await store(format, res.body);
    seen.push(...ofType(s, NS.dcat + 'Dataset'));
    const [paging] = ofType(s, NS.hydra + 'PagedCollection');
    url = paging ? (literalOf(s, paging, 'next')[0] ?? literalOf(s, paging, 'nextPage')[0]) : undefined;
    if (++pages > 20) throw new Error('paging does not end');
  }
  return { seen, pages };
}

t.test('the catalog pages through every public dataset once, with hydra paging as ckanext-dcat writes it', async (t) => {
  const res = await get('/catalog.ttl');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/turtle; charset=utf-8/);
  const s = await store('turtle', res.body);
  const [paging] = ofType(s, NS.hydra + 'PagedCollection');
  t.equal(paging, 'http://catalog.test/catalog.ttl?page=1', 'the paging node is the current page URL, absolute from PUBLIC_URL');
  t.same(values(s, paging, NS.hydra + 'totalItems').map((o) => [o.value, (o as { datatype: { value: string } }).datatype.value]), [['7', NS.xsd + 'integer']]);
  t.same(literalOf(s, paging, 'itemsPerPage'), ['3']);
  for (const [a, b, v] of [
    ['firstPage', 'first', 'http://catalog.test/catalog.ttl?page=1'],
    ['lastPage', 'last', 'http://catalog.test/catalog.ttl?page=3'],
  ]) {
    t.same(literalOf(s, paging, a), [v], a);
    t.same(literalOf(s, paging, b), [v], b);
    t.equal(values(s, paging, NS.hydra + a)[0].termType, 'Literal', `${a} is a literal, as in ckanext-dcat`);
  }
  const next = literalOf(s, paging, 'next')[0];
  t.match(next, /^http:\/\/catalog\.test\/catalog\.ttl\?cursor=[^&]+&page=2$/);
  t.same(literalOf(s, paging, 'nextPage'), [next]);
  t.same(literalOf(s, paging, 'previous'), [], 'no previous page on page 1');
  const catalog = ofType(s, NS.dcat + 'Catalog');
  t.same(catalog, ['http://catalog.test/catalog']);
  t.equal(values(s, catalog[0], NS.dcat + 'dataset').length, 3, 'the catalog links the datasets of its page');
  t.same(values(s, catalog[0], NS.dct + 'title').map((o) => o.value), ['Open-Data-Katalog Smart Region Kreis Unna']);

  const { seen, pages } = await harvest('/catalog.ttl');
  t.equal(pages, 3);
  t.same([...seen].sort(), publicUris, 'every public dataset once; the private and the withdrawn one never');
  t.notOk(seen.includes(priv['@id'] as string));
  t.notOk(seen.includes(gone['@id'] as string));

  const last = await store('turtle', (await get('/catalog.ttl?page=3')).body);
  const lastPaging = 'http://catalog.test/catalog.ttl?page=3';
  t.same(literalOf(last, lastPaging, 'previous'), ['http://catalog.test/catalog.ttl?page=2']);
  t.same(literalOf(last, lastPaging, 'previousPage'), ['http://catalog.test/catalog.ttl?page=2']);
  t.same(literalOf(last, lastPaging, 'next'), [], 'no next page after the last');
  t.equal(ofType(last, NS.dcat + 'Dataset').length, 1);

  const beyond = await store('turtle', (await get('/catalog.ttl?page=9')).body);
  t.same(literalOf(beyond, 'http://catalog.test/catalog.ttl?page=9', 'previous'), ['http://catalog.test/catalog.ttl?page=3'], 'beyond the end, previous points at the last page');
  t.equal(ofType(beyond, NS.dcat + 'Dataset').length, 0);
});

t.test('a harvest following hydra:next misses nothing when a dataset of an earlier page is withdrawn meanwhile', async (t) => {
  const first = await store('turtle', (await get('/catalog.ttl')).body);
  const onFirst = ofType(first, NS.dcat + 'Dataset');
  const next = literalOf(first, 'http://catalog.test/catalog.ttl?page=1', 'next')[0];
  const victim = created.find((d) => d.uri === onFirst[0])!;
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${victim.id}`, headers: admin })).statusCode, 200);
  t.teardown(async () => {
    await app.inject({ method: 'POST', url: `/api/v1/datasets/${victim.id}/revisions/1/restore`, headers: admin });
  });
  const rest = await harvest(next);
  t.same([...onFirst, ...rest.seen].sort(), publicUris, 'pages 2 and 3 still hold every dataset after page 1');
});

t.test('a harvester following hydra:next gets each page as it is when asked, also when the page was read ahead', async (t) => {
  // Pages 1 and 2; answering page 2 (reached by its next link) reads page 3 ahead.
  const first = await store('turtle', (await get('/catalog.ttl')).body);
  const second = await store('turtle', (await get(literalOf(first, 'http://catalog.test/catalog.ttl?page=1', 'next')[0].replace('http://catalog.test', ''))).body);
  const [paging] = ofType(second, NS.hydra + 'PagedCollection');
  const third = literalOf(second, paging, 'next')[0].replace('http://catalog.test', '');
  const last = created.find((d) => d.uri === [...publicUris].sort((a, b) => (created.find((c) => c.uri === a)!.id < created.find((c) => c.uri === b)!.id ? -1 : 1)).at(-1))!;
  // The dataset of page 3 changes after the read-ahead began.
  const patched = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${last.id}`, headers: admin, payload: { title: { de: 'Straßenbäume Lünen, neu vermessen' } } });
  t.equal(patched.statusCode, 200);
  t.teardown(() => app.inject({ method: 'POST', url: `/api/v1/datasets/${last.id}/revisions/1/restore`, headers: admin }));
  const res = await get(third);
  t.equal(res.statusCode, 200);
  const page3 = await store('turtle', res.body);
  t.same(ofType(page3, NS.dcat + 'Dataset'), [last.uri], 'page 3 holds the last dataset by id');
  const german = values(page3, last.uri, NS.dct + 'title').filter((o) => (o as { language?: string }).language === 'de');
  t.same(german.map((o) => o.value), ['Straßenbäume Lünen, neu vermessen'], 'the title of now, not of when page 2 was answered');
  // Unchanged since: the page read ahead is the page a fresh read gives, byte for byte.
  const again = await store('turtle', (await get('/catalog.ttl')).body);
  const again2 = await get(literalOf(again, 'http://catalog.test/catalog.ttl?page=1', 'next')[0].replace('http://catalog.test', ''));
  const ahead = await get(literalOf(await store('turtle', again2.body), paging, 'next')[0].replace('http://catalog.test', ''));
  const fresh = await get(third);
  t.equal(ahead.body, fresh.body);
  t.equal(ahead.headers.etag, fresh.headers.etag);
});

t.test('rows read two pages ahead are not served once the catalog changed', async (t) => {
  // Ten public datasets: pages of 3, 3, 3 and 1.
  const extra: { id: string; uri: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const { doc } = await create(app, dataset({ title: `Parkplätze Werne ${i}` }));
    extra.push({ id: doc.id, uri: doc['@id'] as string });
  }
  t.teardown(async () => {
    for (const d of extra) await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${d.id}`, headers: admin });
  });
  const all = [...created, ...extra].sort((a, b) => (a.id < b.id ? -1 : 1));
  const p1 = await nextOf('/catalog.ttl');
  // Answering page 2 makes page 3 ahead, and that reads the rows of page 4.
  const p2 = await nextOf(p1.next);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const last = all.at(-1)!;
  t.equal((await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${last.id}`, headers: admin, payload: { title: { de: 'Parkplätze Werne, gezählt' } } })).statusCode, 200);
  t.teardown(() => app.inject({ method: 'POST', url: `/api/v1/datasets/${last.id}/revisions/1/restore`, headers: admin }));
  const p3 = await nextOf(p2.next);
  const p4 = await nextOf(p3.next);
  t.same(ofType(p4.s, NS.dcat + 'Dataset'), [last.uri], 'page 4 holds the last dataset by id');
  const german = values(p4.s, last.uri, NS.dct + 'title').filter((o) => (o as { language?: string }).language === 'de');
  t.same(german.map((o) => o.value), ['Parkplätze Werne, gezählt'], 'the rows of now');
  const seen = [p1, p2, p3, p4].flatMap((p) => ofType(p.s, NS.dcat + 'Dataset'));
  t.same(seen.sort(), all.map((d) => d.uri).sort(), 'every dataset once');
});

t.test('a harvester following hydra:next gets the total of now on every page, also on pages read ahead', async (t) => {
  const totalOf = (s: Awaited<ReturnType<typeof store>>) => Number(literalOf(s, ofType(s, NS.hydra + 'PagedCollection')[0], 'totalItems')[0]);
  // Ten public datasets: pages of 3, 3, 3 and 1.
  for (let i = 0; i < 3; i++) {
    const { doc } = await create(app, dataset({ title: `Radwege Kamen ${i}` }));
    t.teardown(() => app.inject({ method: 'DELETE', url: `/api/v1/datasets/${doc.id}`, headers: admin }));
  }
  const p1 = await nextOf('/catalog.ttl');
  const before = totalOf(p1.s);
  // Answering page 2 makes page 3 ahead, and that reads the rows of page 4, its total carried along.
  const p2 = await nextOf(p1.next);
  const p3 = await nextOf(p2.next);
  t.same([p2, p3].map((p) => totalOf(p.s)), [before, before], 'unchanged catalog: the total of page 1');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { doc } = await create(app, dataset({ title: 'Ladesäulen Bönen' }));
  t.teardown(() => app.inject({ method: 'DELETE', url: `/api/v1/datasets/${doc.id}`, headers: admin }));
  const p4 = await nextOf(p3.next);
  t.equal(totalOf(p4.s), before + 1, 'the dataset created meanwhile is counted');
});

t.test('pages written by the page-writer threads are byte for byte those written on the main thread', async (t) => {
  const single = await buildApp(testConfig({ CATALOG_PAGE_SIZE: '3', CATALOG_RENDER_THREADS: '0' }, ctx.db.url), { database: ctx.db.database });
  t.teardown(() => single.close());
  for (const ext of ['ttl', 'nt', 'rdf', 'jsonld']) {
    for (const query of ['', '?page=2', '?page=3&profile=dcat-ap-de-3']) {
      const [threaded, main] = await Promise.all([get(`/catalog.${ext}${query}`), single.inject({ method: 'GET', url: `/catalog.${ext}${query}` })]);
      t.equal(threaded.statusCode, 200);
      t.equal(threaded.body, main.body, `${ext}${query}`);
    }
  }
});

t.test('every format says the same, read by a second parser', async (t) => {
  const graphs: Record<string, string> = {};
  for (const [ext, format, type] of [
    ['ttl', 'turtle', 'text/turtle'],
    ['rdf', 'rdfxml', 'application/rdf+xml'],
    ['xml', 'rdfxml', 'application/rdf+xml'],
    ['jsonld', 'jsonld', 'application/ld+json'],
    ['nt', 'ntriples', 'application/n-triples'],
  ] as const) {
    const res = await get(`/catalog.${ext}?page=2`);
    t.equal(res.statusCode, 200, ext);
    t.match(res.headers['content-type'], new RegExp(`^${type.replace('+', '\\+')}; charset=utf-8`), ext);
    const quads = await parse(format, res.body);
    // The paging node names the URL it came from; the rest must be identical.
    graphs[ext] = await canonical(quads.filter((q) => !q.subject.value.startsWith('http://catalog.test/catalog.') && !q.object.value.startsWith('http://catalog.test/catalog.')));
    t.ok(quads.some((q) => q.predicate.value === NS.hydra + 'totalItems' && q.object.value === '7'), `${ext} has the paging block`);
  }
  t.ok(graphs.ttl.length > 1000);
  for (const ext of ['rdf', 'xml', 'jsonld', 'nt']) t.equal(graphs[ext], graphs.ttl, `${ext} is isomorphic to Turtle`);
  t.match((await get('/catalog.jsonld')).body, /"@context"/, 'JSON-LD carries its own @context inline');
});

t.test('content negotiation on /catalog and /dataset', async (t) => {
  const xml = await get('/catalog', { accept: 'application/rdf+xml' });
  t.equal(xml.statusCode, 200);
  t.match(xml.headers['content-type'], /^application\/rdf\+xml/);
  t.match(xml.headers.vary, /accept/i);
  t.match((await get('/catalog', { accept: 'application/ld+json;q=0.9, text/turtle;q=0.5' })).headers['content-type'], /^application\/ld\+json/);
  t.match((await get('/catalog')).headers['content-type'], /^text\/turtle/, 'no Accept: Turtle');

  const no = await get('/catalog', { accept: 'text/html' });
  t.equal(no.statusCode, 406);
  t.same(no.json().error.details.available, ['text/turtle', 'application/rdf+xml', 'application/ld+json', 'application/n-triples']);
  t.equal((await get(`/dataset/${created[0].id}`, { accept: 'image/png' })).statusCode, 406);

  const one = created[0];
  for (const ref of [one.id, one.name]) {
    const res = await get(`/dataset/${ref}`, { accept: 'text/turtle' });
    t.equal(res.statusCode, 200, ref);
    const s = await store('turtle', res.body);
    t.same(ofType(s, NS.dcat + 'Dataset'), [one.uri]);
  }
  for (const [ext, format] of [
    ['jsonld', 'jsonld'],
    ['ttl', 'turtle'],
    ['rdf', 'rdfxml'],
    ['nt', 'ntriples'],
  ] as const) {
    const res = await get(`/dataset/${one.id}.${ext}`, { accept: 'text/html' });
    t.equal(res.statusCode, 200, `the extension wins over Accept (${ext})`);
    t.same(ofType(await store(format, res.body), NS.dcat + 'Dataset'), [one.uri], ext);
  }
  t.equal((await get(`/dataset/${priv.id}.ttl`)).statusCode, 404, 'a private dataset is not there');
  t.equal((await get(`/dataset/${gone.id}.ttl`)).statusCode, 404, 'a withdrawn dataset is not there');
  t.equal((await get('/dataset/no-such-dataset')).statusCode, 404);
});

t.test('ETag, Last-Modified, 304 and HEAD', async (t) => {
  const first = await get('/catalog.rdf');
  const etag = first.headers.etag as string;
  const lastModified = first.headers['last-modified'] as string;
  t.ok(etag && lastModified);
  const again = await get('/catalog.rdf', { 'if-none-match': etag });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  t.equal((await get('/catalog.rdf', { 'if-modified-since': lastModified })).statusCode, 304);
  t.equal((await get('/catalog.ttl', { 'if-none-match': etag })).statusCode, 200, 'another format is another representation');
  t.equal((await get('/catalog.rdf?page=2', { 'if-none-match': etag })).statusCode, 200, 'another page too');

  const head = await app.inject({ method: 'HEAD', url: '/catalog.rdf' });
  t.equal(head.statusCode, 200);
  t.match(head.headers['content-type'], /^application\/rdf\+xml; charset=utf-8/);
  t.equal(head.headers.etag, etag);
  t.equal(head.body, '');
  t.equal((await app.inject({ method: 'HEAD', url: `/dataset/${priv.id}.rdf` })).statusCode, 404);

  const ds = await get(`/dataset/${created[1].id}.ttl`);
  t.equal((await get(`/dataset/${created[1].id}.ttl`, { 'if-none-match': ds.headers.etag as string })).statusCode, 304);
  const patched = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${created[1].id}`, headers: admin, payload: { keyword: ['Bäume'] } });
  t.equal(patched.statusCode, 200);
  const after = await get(`/dataset/${created[1].id}.ttl`, { 'if-none-match': ds.headers.etag as string });
  t.equal(after.statusCode, 200, 'a change gives a new ETag');
  t.match(after.body, /Bäume/);
  t.equal((await get('/catalog.rdf', { 'if-none-match': etag })).statusCode, 200, 'and a new catalog ETag');
});

t.test('parameters: q, fq, modified_since, profile; bad values are 400', async (t) => {
  const count = async (url: string) => {
    const s = await store('turtle', (await get(url)).body);
    const [p] = ofType(s, NS.hydra + 'PagedCollection');
    return p ? Number(literalOf(s, p, 'totalItems')[0]) : 0;
  };
  t.equal(await count('/catalog.ttl?fq=organization:unna'), 7);
  t.equal(await count('/catalog.ttl?fq=organization:kamen'), 0);
  t.equal(await count(`/catalog.ttl?q=${encodeURIComponent('name:' + created[2].name)}`), 1);
  t.equal(await count(`/catalog.ttl?q=${encodeURIComponent('Straßenbäume')}`), 7, 'free text with German stemming');
  t.equal(await count('/catalog.ttl?modified_since=2000-01-01'), 7);
  const future = await get('/catalog.ttl?modified_since=2999-01-01T00:00:00%2B02:00');
  t.equal(future.statusCode, 200);
  t.same(ofType(await store('turtle', future.body), NS.hydra + 'PagedCollection'), [], 'no paging node for an empty result');

  const withQ = await store('turtle', (await get('/catalog.ttl?fq=organization:unna&modified_since=2000-01-01')).body);
  t.match(literalOf(withQ, ofType(withQ, NS.hydra + 'PagedCollection')[0], 'next')[0], /\?fq=organization%3Aunna&modified_since=2000-01-01&cursor=.+&page=2$/, 'page links carry the query on');

  for (const bad of ['page=0', 'page=x', 'modified_since=yesterday', 'fq=organization:(unna', 'fq=nosuchfield:1', 'profile=dcat-ap-9', 'cursor=garbage']) {
    const res = await get(`/catalog.ttl?${bad}`);
    t.equal(res.statusCode, 400, bad);
    t.ok(res.json().error.message, bad);
  }

  const v2 = await store('turtle', (await get(`/dataset/${created[0].id}.ttl`)).body);
  const v3 = await store('turtle', (await get(`/dataset/${created[0].id}.ttl?profile=dcat-ap-de-3`)).body);
  t.same(values(v2, created[0].uri, NS.owl + 'versionInfo').map((o) => o.value), ['1.0'], '2.0: owl:versionInfo');
  t.same(values(v3, created[0].uri, NS.dcat + 'version').map((o) => o.value), ['1.0'], '3.0: dcat:version');
  const size = (s: typeof v2) => s.getObjects(null, `${NS.dcat}byteSize`, null).map((o) => (o as { datatype: { value: string } }).datatype.value);
  t.same(size(v2), [NS.xsd + 'decimal']);
  t.same(size(v3), [NS.xsd + 'nonNegativeInteger']);
  const c2 = await store('turtle', (await get('/catalog.ttl')).body);
  const c3 = await store('turtle', (await get('/catalog.ttl?profile=dcat-ap-de-3')).body);
  const versions = c2.getObjects(null, `${NS.owl}versionInfo`, null).length;
  t.ok(versions > 0);
  t.equal(c3.getObjects(null, `${NS.dcat}version`, null).length, versions, 'the catalog follows the profile too');
  t.equal(c3.getObjects(null, `${NS.owl}versionInfo`, null).length, 0);
  t.match(literalOf(c3, ofType(c3, NS.hydra + 'PagedCollection')[0], 'next')[0], /profile=dcat-ap-de-3/);
});

t.test('a page that cannot be written completely is an error status, never a 200', async (t) => {
  const big = 'Baumkataster mit Standorten, Arten und Pflanzjahren. '.repeat(800);
  const a = (await create(app, dataset({ title: 'Großes Kataster A', description: big }))).doc;
  const b = (await create(app, dataset({ title: 'Großes Kataster B', description: big }))).doc;
  const [lower, upper] = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1));
  // A row damaged outside the service: the title is no longer a language map.
  const db = ctx.db.database.db;
  await db.execute(sql`UPDATE datasets SET doc = jsonb_set(doc, '{title}', '42'::jsonb) WHERE id = ${upper.id}::uuid`);
  t.teardown(() => db.execute(sql`UPDATE datasets SET doc = jsonb_set(doc, '{title}', ${JSON.stringify({ de: 'Großes Kataster' })}::jsonb) WHERE id = ${upper.id}::uuid`));

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const fq = (ids: string[]) => encodeURIComponent(ids.map((id) => `id:${id}`).join(' OR '));

  // The page is written completely before its status is decided: damage anywhere on it is an
  // error status, never a 200 whose body a harvester would take for the whole page.
  for (const ids of [[upper.id], [lower.id, upper.id]]) {
    for (const format of ['ttl', 'rdf', 'jsonld', 'nt']) {
      const res = await fetch(`${address}/catalog.${format}?fq=${fq(ids)}`);
      t.equal(res.status, 500, `${format}, ${ids.length} dataset(s)`);
      t.match(await res.text(), /internal_error/);
    }
  }
  // The good dataset alone is still served.
  const good = await fetch(`${address}/catalog.ttl?fq=${fq([lower.id])}`);
  t.equal(good.status, 200);
  t.match(await good.text(), new RegExp(`dataset/${lower.id}> a dcat:Dataset`));
  // The same for one dataset.
  t.equal((await fetch(`${address}/dataset/${upper.id}.ttl`)).status, 500);
});

t.test('JSON-LD uses the terms of REST documents and means what the Turtle says', async (t) => {
  const res = await get('/catalog.jsonld?page=2');
  const doc = JSON.parse(res.body) as { '@context': unknown[]; '@graph': Record<string, unknown>[] };
  t.ok(Array.isArray(doc['@context']) && typeof doc['@context'][0] === 'object', 'the context inline, no URL to fetch');
  const datasets = doc['@graph'].filter((n) => n['@type'] === 'Dataset');
  t.equal(datasets.length, 3);
  // Pages follow the (random) ids: the street-tree dataset is looked for on every page.
  const all = [doc, ...(await Promise.all([1, 3].map(async (n) => JSON.parse((await get(`/catalog.jsonld?page=${n}`)).body) as typeof doc)))].flatMap((p) => p['@graph']);
  const d = all.find((n) => n['@type'] === 'Dataset' && /^Straßenbäume/.test(String((n.title as { de?: string } | undefined)?.de))) as Record<string, unknown>;
  t.match(d.title, { de: /^Straßenbäume Lünen \d$/, en: /^Street trees \d$/ }, 'title as a language map, as in REST documents');
  const distribution = d.distribution as Record<string, unknown>[];
  t.equal(distribution.length, 1, 'distributions nested under "distribution"');
  t.match(distribution[0], { '@type': 'Distribution', accessURL: [/^https:\/\/example\.org\/baeume-\d\.csv$/], license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', licenseAttributionByText: { de: 'Stadt Lünen' } });
  t.match(d.publisher, { name: { de: String } }, 'the publisher with its own terms');
  t.notOk(Object.keys(d).some((k) => k.startsWith('http://')), 'no full IRIs as keys where the context has a term');
  const paging = doc['@graph'].find((n) => n['@type'] === 'hydra:PagedCollection')!;
  t.equal(paging['hydra:totalItems'], 9, 'seven datasets and the two of the previous test');
  t.match(paging['hydra:next'], /^http:\/\/catalog\.test\/catalog\.jsonld\?cursor=.+&page=3$/);

  // jsonld.js (with a loader that refuses every URL) expands it to the quads of the Turtle page.
  const strip = (quads: Awaited<ReturnType<typeof parse>>) => quads.filter((q) => !q.subject.value.startsWith('http://catalog.test/catalog.') && !q.object.value.startsWith('http://catalog.test/catalog.'));
  const ttl = await canonical(strip(await parse('turtle', (await get('/catalog.ttl?page=2')).body)));
  t.equal(await canonical(strip(await parse('jsonld', res.body))), ttl, 'the same graph as Turtle');
  for (const profile of ['dcat-ap-de-3']) {
    const a = await canonical(strip(await parse('jsonld', (await get(`/catalog.jsonld?page=2&profile=${profile}`)).body)));
    const b = await canonical(strip(await parse('turtle', (await get(`/catalog.ttl?page=2&profile=${profile}`)).body)));
    t.equal(a, b, profile);
  }
  const one = JSON.parse((await get(`/dataset/${created[0].id}.jsonld`)).body) as { '@graph': Record<string, unknown>[] };
  t.match(one['@graph'][0], { '@id': created[0].uri, '@type': 'Dataset', title: { de: String } }, 'one dataset too');
});

t.test('a purge moves the catalog ETag and Last-Modified', async (t) => {
  const db = ctx.db.database.db;
  const victim = (await create(app, dataset({ title: 'Wird gelöscht', private: true }))).doc;
  // Every change an hour back, so that the purge is a later second than the last change.
  await db.execute(sql`UPDATE datasets SET metadata_modified = metadata_modified - interval '1 hour'`);
  // And the victim older than the rest: its purge leaves the newest dataset change where it was.
  await db.execute(sql`UPDATE datasets SET metadata_modified = metadata_modified - interval '1 hour' WHERE id = ${victim.id}::uuid`);
  const before = await get('/catalog.ttl');
  const etag = before.headers.etag as string;
  const lastModified = before.headers['last-modified'] as string;
  t.equal((await get('/catalog.ttl', { 'if-none-match': etag })).statusCode, 304);
  t.equal((await get('/catalog.ttl', { 'if-modified-since': lastModified })).statusCode, 304);

  const purged = await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${victim.id}?purge=true`, headers: admin });
  t.ok(purged.statusCode >= 200 && purged.statusCode < 300, `purged: ${purged.statusCode} ${purged.body}`);
  const afterEtag = await get('/catalog.ttl', { 'if-none-match': etag });
  t.equal(afterEtag.statusCode, 200, 'the old ETag no longer matches, though no visible dataset changed');
  t.not(afterEtag.headers.etag, etag);
  const afterDate = await get('/catalog.ttl', { 'if-modified-since': lastModified });
  t.equal(afterDate.statusCode, 200, 'If-Modified-Since the old Last-Modified is no longer 304');
  t.ok(Date.parse(afterDate.headers['last-modified'] as string) > Date.parse(lastModified), 'Last-Modified moved to the purge');
  t.equal((await get('/catalog.ttl', { 'if-none-match': afterEtag.headers.etag as string })).statusCode, 304, 'and is stable again');
});
