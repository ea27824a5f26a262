import t from 'tap';
import type { InjectOptions } from 'fastify';
import { eq } from 'drizzle-orm';
import { testApp } from '../../helpers/app.js';
import { auditLog, datasets, revisions } from '../../../src/db/schema.js';
import { admin, bearer, create, CSV, dataset, DL_BY, userWithRole } from '../../helpers/rest.js';

const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;
const db = ta.db.database.db;

const editor = await userWithRole(app, 'editor-unna', 'unna', 'editor');
const editorKamen = await userWithRole(app, 'editor-kamen', 'kamen', 'editor');
const member = await userWithRole(app, 'member-unna', 'unna', 'member');

const rowCount = async () => (await db.select().from(datasets)).length;
const revCount = async () => (await db.select().from(revisions)).length;

t.test('create, read, list: the happy path', async (t) => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: { ...bearer(editor), 'content-type': 'application/ld+json' }, payload: JSON.stringify({ '@context': 'http://catalog.test/context.jsonld', ...dataset({ title: 'Bäume in Unna: Straßenbäume' }) }) });
  t.equal(r.statusCode, 201, r.body);
  const doc = r.json();
  t.match(doc.id, /^[0-9a-f-]{36}$/);
  t.equal(doc.name, 'baeume-in-unna-strassenbaeume', 'slug from the title with umlauts transliterated');
  t.equal(doc['@context'], 'http://catalog.test/context.jsonld');
  t.equal(doc['@id'], `http://catalog.test/dataset/${doc.id}`);
  t.equal(doc['@type'], 'Dataset');
  t.same(doc.title, { de: 'Bäume in Unna: Straßenbäume' }, 'plain string becomes a language map');
  t.same(doc.keyword, { de: ['Haushalt', 'Finanzen'] });
  t.equal(doc.revision, 1);
  t.equal(doc.state, 'active');
  t.equal(doc.organization, 'unna');
  t.equal(doc.publisher['@id'], 'http://catalog.test/organization/unna', 'publisher defaults to the organization');
  t.equal(doc.publisher.type, 'http://purl.org/adms/publishertype/LocalAuthority');
  t.same(doc.politicalGeocodingURI, ['http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978036']);
  t.ok(doc.issued && doc.modified && doc.metadataCreated && doc.metadataModified);
  const dist = doc.distribution[0];
  t.match(dist.id, /^[0-9a-f-]{36}$/);
  t.equal(dist['@id'], `http://catalog.test/dataset/${doc.id}/distribution/${dist.id}`);
  t.equal(r.headers.location, `http://catalog.test/api/v1/datasets/${doc.id}`);
  t.ok(r.headers.etag);

  const byName = await app.inject({ url: `/api/v1/datasets/${doc.name}`, headers: { accept: 'application/ld+json' } });
  t.equal(byName.statusCode, 200);
  t.match(byName.headers['content-type'], /application\/ld\+json/);
  t.equal(byName.json().id, doc.id);
  t.equal(byName.headers.etag, r.headers.etag);
  const plain = await app.inject({ url: `/api/v1/datasets/${doc.id}` });
  t.match(plain.headers['content-type'], /application\/json/);

  const second = await create(app, dataset({ title: 'Bäume in Unna: Straßenbäume' }));
  t.equal(second.doc.name, 'baeume-in-unna-strassenbaeume-2', 'a taken slug gets a suffix');

  const own = await create(app, dataset({ '@id': 'https://open.unna.de/id/dataset/1', name: 'own-uri' }));
  t.equal(own.doc['@id'], 'https://open.unna.de/id/dataset/1', 'a dataset with its own URI keeps it');
  t.equal((await app.inject({ url: `/api/v1/datasets/${encodeURIComponent('https://open.unna.de/id/dataset/1')}` })).json().name, 'own-uri', 'readable by URI');

  const list = await app.inject({ url: '/api/v1/datasets?organization=unna&limit=2' });
  t.equal(list.statusCode, 200);
  t.ok(list.json().count >= 3);
  t.equal(list.json().results.length, 2);
  t.match(list.json().next, /^http:\/\/catalog\.test\/api\/v1\/datasets\?.*cursor=/);
  // Built from each document's JSON: the bytes JSON.stringify gives the whole answer, with their length.
  t.equal(Number(list.headers['content-length']), list.rawPayload.length);
  t.ok(list.rawPayload.equals(Buffer.from(JSON.stringify(list.json()))), 'the same bytes as one JSON.stringify');
  t.match(list.headers['content-type'], /^application\/json; charset=utf-8/);
});

t.test('one dataset in every RDF syntax, with the same content', async (t) => {
  const { doc } = await create(app, dataset({ title: { de: 'Bäume & Sträucher <Kreis>', en: 'Trees' }, versionInfo: '1.0' }));
  const { parseRdf } = await import('../../../src/rdf/syntax/index.js');
  const title = 'http://purl.org/dc/terms/title';
  for (const [accept, format] of [
    ['text/turtle', 'turtle'],
    ['application/rdf+xml', 'rdfxml'],
    ['application/n-triples', 'ntriples'],
  ] as const) {
    const r = await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: { accept } });
    t.equal(r.statusCode, 200, accept);
    t.match(r.headers['content-type'], accept);
    t.ok(r.headers.etag);
    const quads = await parseRdf(r.body, format, { baseIRI: 'http://catalog.test/' });
    const of = (p: string) => quads.filter((q) => q.subject.value === doc['@id'] && q.predicate.value === p);
    t.same(
      of(title).map((q) => `${q.object.value}@${(q.object as { language?: string }).language}`).sort(),
      ['Bäume & Sträucher <Kreis>@de', 'Trees@en'],
      `${format}: both titles with their languages`,
    );
    t.same(of('http://www.w3.org/1999/02/22-rdf-syntax-ns#type').map((q) => q.object.value), ['http://www.w3.org/ns/dcat#Dataset']);
    t.equal(of('http://www.w3.org/2002/07/owl#versionInfo')[0]?.object.value, '1.0');
    const dist = of('http://www.w3.org/ns/dcat#distribution')[0]?.object.value;
    t.ok(quads.some((q) => q.subject.value === dist && q.predicate.value === 'http://purl.org/dc/terms/license' && q.object.value === DL_BY), `${format}: distribution licence`);
    const publisher = of('http://purl.org/dc/terms/publisher')[0]?.object.value;
    t.same(
      quads.filter((q) => q.subject.value === publisher && q.predicate.value.endsWith('#type')).map((q) => q.object.value).sort(),
      ['http://xmlns.com/foaf/0.1/Agent', 'http://xmlns.com/foaf/0.1/Organization'],
      'the publisher is a typed foaf:Agent',
    );
    t.notOk(quads.some((q) => q.object.value === doc.name), 'record metadata is not RDF');
  }
  const none = await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: { accept: 'image/png' } });
  t.equal(none.statusCode, 406);
  t.equal(none.json().error.code, 'not_acceptable');
  t.ok(none.json().error.details.available.includes('text/turtle'));
});

t.test('bad input changes nothing', async (t) => {
  const { doc, etag } = await create(app, dataset({ name: 'fixed-name' }));
  const rows = await rowCount();
  const revs = await revCount();
  const cases: [string, { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: InjectOptions['payload'] | object }, number, string][] = [
    ['malformed JSON', { method: 'POST', url: '/api/v1/datasets', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"title": ' }, 400, 'malformed_json'],
    ['wrong type', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ distribution: [{ accessURL: 'not-an-array' }] }) }, 400, 'validation_failed'],
    ['unknown property', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ colour: 'blue' }) }, 400, 'validation_failed'],
    ['no token', { method: 'POST', url: '/api/v1/datasets', payload: dataset() }, 401, 'unauthorized'],
    ['bad token', { method: 'POST', url: '/api/v1/datasets', headers: bearer('kuc_nope'), payload: dataset() }, 401, 'unauthorized'],
    ['wrong organization', { method: 'POST', url: '/api/v1/datasets', headers: bearer(editor), payload: dataset({ organization: 'kamen' }) }, 403, 'forbidden'],
    ['taken name', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ name: 'fixed-name' }) }, 409, 'conflict'],
    ['taken URI', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ '@id': doc['@id'] }) }, 409, 'conflict'],
    ['described series without title', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ inSeries: [{ '@id': 'https://example.org/series/1', description: 'Reihe' }] }) }, 422, 'invalid_dataset'],
    ['no title', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ title: undefined }) }, 422, 'invalid_dataset'],
    ['distribution without accessURL', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ distribution: [{ title: 'x' }] }) }, 422, 'invalid_dataset'],
    ['unknown organization', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ organization: 'atlantis' }) }, 422, 'invalid_dataset'],
    ['unknown id', { method: 'PUT', url: '/api/v1/datasets/no-such-dataset', headers: admin, payload: dataset() }, 404, 'not_found'],
    ['stale ETag', { method: 'PUT', url: `/api/v1/datasets/${doc.id}`, headers: { ...admin, 'if-match': '"stale"' }, payload: dataset() }, 412, 'precondition_failed'],
    ['rename to a taken name', { method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { name: 'own-uri' } }, 409, 'conflict'],
    ['patch away the description', { method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { description: null } }, 422, 'invalid_dataset'],
    ['patch with a wrong type', { method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { private: 'yes' } }, 400, 'validation_failed'],
    ['patch with an unknown property', { method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { colour: 'blue' } }, 400, 'validation_failed'],
    ['patch a distribution with a wrong type', { method: 'PATCH', url: `/api/v1/datasets/${doc.id}/distributions/${(doc.distribution as { id: string }[])[0].id}`, headers: admin, payload: { accessURL: 'x' } }, 400, 'validation_failed'],
    ['unknown format', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ distribution: [{ accessURL: ['https://x.de/a'], format: 'no-such-format' }] }) }, 422, 'invalid_dataset'],
    ['unknown frequency', { method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ accrualPeriodicity: 'sometimes' }) }, 422, 'invalid_dataset'],
    ['stale ETag on delete', { method: 'DELETE', url: `/api/v1/datasets/${doc.id}`, headers: { ...admin, 'if-match': '"stale"' } }, 412, 'precondition_failed'],
  ];
  for (const [what, req, status, code] of cases) {
    const r = await app.inject(req as InjectOptions);
    t.equal(r.statusCode, status, `${what}: ${r.body}`);
    t.equal(r.json().error.code, code, what);
    t.type(r.json().error.message, 'string');
  }
  const wrong = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ distribution: [{ accessURL: 'x' }] }) });
  t.match(wrong.json().error.details, [{ path: /\/distribution\/0\/accessURL/ }], 'wrong type names the path');
  const wrongPatch = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { private: 'yes' } });
  t.same(wrongPatch.json().error.details, [{ path: '/private', message: 'must be boolean' }], 'a wrong type in a patch names the path too');
  const missing = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ title: undefined, description: '' }) });
  t.match(missing.json().error.details, [{ path: '/title', key: 'dataset.required', messageDe: /Pflicht/ }, { path: '/description' }]);
  t.equal(await rowCount(), rows, 'no dataset row added');
  t.equal(await revCount(), revs, 'no revision written');
  const now = await app.inject({ url: `/api/v1/datasets/${doc.id}` });
  t.equal(now.headers.etag, etag, 'the dataset is unchanged');
});

t.test('body size limit', async (t) => {
  const big = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ description: 'x'.repeat(1_100_000) }) });
  t.equal(big.statusCode, 413);
});

t.test('update, patch, ETags and concurrent writers', async (t) => {
  const { doc, etag } = await create(app, dataset(), bearer(editor));
  const distId = (doc.distribution as { id: string }[])[0].id;
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${doc.id}`,
    headers: { ...bearer(editor), 'if-match': etag },
    payload: { ...doc, title: 'Haushaltsplan 2025', distribution: [...(doc.distribution as object[]), { accessURL: ['https://example.org/b.json'] }] },
  });
  t.equal(put.statusCode, 200, put.body);
  const updated = put.json();
  t.equal(updated.revision, 2);
  t.equal(updated.id, doc.id);
  t.equal(updated.name, doc.name, 'name kept');
  t.equal(updated.metadataCreated, doc.metadataCreated, 'metadata_created kept');
  t.equal(updated.distribution[0].id, distId, 'a distribution sent back keeps its id');
  t.not(updated.distribution[1].id, distId);
  t.not(put.headers.etag, etag);

  // Two clients read the same version; the second write is refused.
  const a = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: { ...bearer(editor), 'if-match': put.headers.etag as string, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ keyword: ['A'] }) });
  const b = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: { ...admin, 'if-match': put.headers.etag as string }, payload: { keyword: ['B'] } });
  t.equal(a.statusCode, 200, a.body);
  t.equal(b.statusCode, 412);
  const now = (await app.inject({ url: `/api/v1/datasets/${doc.id}` })).json();
  t.same(now.keyword, { de: ['A'] });
  t.equal(now.title.de, 'Haushaltsplan 2025', 'patch leaves the rest');
  t.equal(now.revision, 3);
});

t.test('distributions', async (t) => {
  const { doc } = await create(app, dataset(), bearer(editor));
  const base = `/api/v1/datasets/${doc.id}/distributions`;
  const add = await app.inject({ method: 'POST', url: base, headers: bearer(editor), payload: { accessURL: ['https://example.org/c.csv'], format: CSV, license: DL_BY } });
  t.equal(add.statusCode, 201, add.body);
  const distId = add.json().id;
  t.match(add.headers.location, new RegExp(`${base}/${distId}$`));
  t.equal((await app.inject({ url: base })).json().length, 2);
  const patch = await app.inject({ method: 'PATCH', url: `${base}/${distId}`, headers: bearer(editor), payload: { title: 'Neu' } });
  t.equal(patch.statusCode, 200, patch.body);
  t.same(patch.json().title, { de: 'Neu' });
  t.equal(patch.json().id, distId);
  const bad = await app.inject({ method: 'PUT', url: `${base}/${distId}`, headers: bearer(editor), payload: { title: 'ohne URL' } });
  t.equal(bad.statusCode, 422);
  const del = await app.inject({ method: 'DELETE', url: `${base}/${distId}`, headers: bearer(editor) });
  t.equal(del.statusCode, 204);
  t.equal((await app.inject({ url: `${base}/${distId}` })).statusCode, 404);
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).json().revision, 4);
});

t.test('revisions, withdraw and restore round trip', async (t) => {
  const { doc } = await create(app, dataset({ title: 'Version eins' }), bearer(editor));
  await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor), payload: { title: 'Version zwei' } });
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor) });
  t.equal(del.statusCode, 200);
  t.equal(del.json().state, 'deleted');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).statusCode, 404, 'withdrawn: gone for anonymous');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: bearer(member) })).statusCode, 404, 'and for members');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor) })).json().state, 'deleted', 'editors still read it');
  const listed = (await app.inject({ url: '/api/v1/datasets?limit=1000', headers: bearer(editor) })).json().results.map((d: { id: string }) => d.id);
  t.notOk(listed.includes(doc.id), 'hidden from lists');

  const revs = await app.inject({ url: `/api/v1/datasets/${doc.id}/revisions`, headers: bearer(editor) });
  t.equal(revs.statusCode, 200);
  t.match(revs.json(), [
    { revision: 3, action: 'withdraw', face: 'rest', userName: 'editor-unna', tokenLabel: 'editor-unna test token' },
    { revision: 2, action: 'patch' },
    { revision: 1, action: 'create' },
  ]);
  const one = await app.inject({ url: `/api/v1/datasets/${doc.id}/revisions/1`, headers: bearer(editor) });
  t.same(one.json().doc.title, { de: 'Version eins' });
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}/revisions/9`, headers: bearer(editor) })).statusCode, 404);

  const restore = await app.inject({ method: 'POST', url: `/api/v1/datasets/${doc.id}/revisions/1/restore`, headers: bearer(editor) });
  t.equal(restore.statusCode, 200, restore.body);
  t.equal(restore.json().state, 'active');
  t.equal(restore.json().revision, 4);
  t.same(restore.json().title, { de: 'Version eins' });
  t.equal(restore.json().distribution[0].id, (doc.distribution as { id: string }[])[0].id, 'distribution ids come back too');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).statusCode, 200, 'public again');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}/revisions/4` })).json().action, 'restore');
});

t.test('private datasets are invisible without a role', async (t) => {
  const { doc } = await create(app, dataset({ private: true, title: 'Geheime Liste' }), bearer(editor));
  for (const [who, headers, status] of [
    ['anonymous', {}, 404],
    ['editor of another organization', bearer(editorKamen), 404],
    ['member', bearer(member), 200],
    ['sysadmin', admin, 200],
  ] as const) {
    t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers })).statusCode, status, who);
    const ids = (await app.inject({ url: '/api/v1/datasets?q=Geheime', headers })).json().results.map((d: { id: string }) => d.id);
    t.equal(ids.includes(doc.id), status === 200, `${who}: in the list`);
  }
  const w = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editorKamen), payload: { title: 'x' } });
  t.equal(w.statusCode, 404, 'a write to an invisible dataset is 404, not 403');
});

t.test('moving between organizations needs editor rights in both', async (t) => {
  const both = await userWithRole(app, 'editor-both', 'unna', 'editor');
  await app.inject({ method: 'PUT', url: '/api/v1/organizations/kamen/members/editor-both', headers: admin, payload: { role: 'editor' } });
  const { doc } = await create(app, dataset(), bearer(editor));
  const refused = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor), payload: { organization: 'kamen' } });
  t.equal(refused.statusCode, 403);
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).json().organization, 'unna');
  const moved = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(both), payload: { organization: 'kamen', publisher: null, politicalGeocodingURI: null, politicalGeocodingLevelURI: null } });
  t.equal(moved.statusCode, 200, moved.body);
  t.equal(moved.json().organization, 'kamen');
  t.equal(moved.json().publisher['@id'], 'http://catalog.test/organization/kamen', 'publisher follows when removed');
  t.same(moved.json().politicalGeocodingURI, ['http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978020']);
  t.equal((await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor), payload: { title: 'x' } })).statusCode, 403, 'the old editor lost it');
});

t.test('purge is for sysadmins and is logged', async (t) => {
  const { doc } = await create(app, dataset(), bearer(editor));
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${doc.id}?purge=true`, headers: bearer(editor) })).statusCode, 403);
  const r = await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${doc.id}?purge=true`, headers: admin });
  t.equal(r.statusCode, 204);
  t.equal((await db.select().from(datasets).where(eq(datasets.id, doc.id))).length, 0);
  t.equal((await db.select().from(revisions).where(eq(revisions.datasetId, doc.id))).length, 0);
  const [log] = await db.select().from(auditLog).where(eq(auditLog.targetId, doc.id));
  t.match(log, { action: 'dataset.purge', userName: 'admin', targetType: 'dataset', details: { name: doc.name, organization: 'unna' } });
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: admin })).statusCode, 404);
});

t.test('OpenAPI documents the routes', async (t) => {
  const spec = (await app.inject({ url: '/openapi.json' })).json();
  for (const p of ['/api/v1/datasets', '/api/v1/datasets/{id}', '/api/v1/datasets/{id}/distributions/{distributionId}', '/api/v1/datasets/{id}/revisions/{n}/restore', '/api/v1/organizations/{id}/members', '/api/v1/users/me', '/api/v1/tokens']) {
    t.ok(spec.paths[p], p);
  }
  t.ok(spec.paths['/api/v1/datasets'].post.requestBody);
});

t.test('short vocabulary forms are resolved; an unknown value is a 422 that writes nothing', async (t) => {
  const ok = await app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: admin,
    payload: dataset({ language: ['de'], accrualPeriodicity: 'monatlich', theme: ['gove'], distribution: [{ accessURL: ['https://www.unna.de/x.csv'], format: 'text/csv', license: 'dl-de-by-2.0' }] }),
  });
  t.equal(ok.statusCode, 201, ok.body);
  const doc = ok.json();
  t.same(doc.language, ['http://publications.europa.eu/resource/authority/language/DEU']);
  t.equal(doc.accrualPeriodicity, 'http://publications.europa.eu/resource/authority/frequency/MONTHLY');
  t.same(doc.theme, ['http://publications.europa.eu/resource/authority/data-theme/GOVE']);
  t.equal(doc.distribution[0].format, CSV);
  t.equal(doc.distribution[0].license, DL_BY);

  const before = [await rowCount(), await revCount()];
  for (const [bad, path] of [
    [{ distribution: [{ accessURL: ['https://x.de/a'], license: 'my-own-licence' }] }, '/distribution/0/license'],
    [{ theme: ['WEATHER'] }, '/theme/0'],
    [{ language: ['klingon'] }, '/language/0'],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset(bad) });
    t.equal(r.statusCode, 422, JSON.stringify(bad));
    t.match(r.json().error.details, [{ path, key: 'dataset.vocab' }]);
  }
  t.same([await rowCount(), await revCount()], before);
});
