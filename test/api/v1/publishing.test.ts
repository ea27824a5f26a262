import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { testApp } from '../../helpers/app.js';
import { datasets, revisions } from '../../../src/db/schema.js';
import { admin, bearer, CC_ZERO, create, dataset, JSON_FORMAT, THEME, userWithRole } from '../../helpers/rest.js';

/** Concurrency, paging under writes, filters and German full text, moves, validation messages, OpenAPI coverage. */
const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;
const db = ta.db.database.db;

const editor = await userWithRole(app, 'ed-unna', 'unna', 'editor');
const adminUnna = await userWithRole(app, 'adm-unna', 'unna', 'admin');
const editorKamen = await userWithRole(app, 'ed-kamen', 'kamen', 'editor');
const both = await userWithRole(app, 'ed-both', 'unna', 'editor');
await app.inject({ method: 'PUT', url: '/api/v1/organizations/kamen/members/ed-both', headers: admin, payload: { role: 'editor' } });

const count = async (table: typeof datasets | typeof revisions) => Number((await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n);
const revisionsOf = async (id: string) => (await db.select().from(revisions).where(eq(revisions.datasetId, id))).map((r) => r.revision).sort((a, b) => a - b);

t.test('concurrent writers on one ETag: exactly one wins, the others get 412 and write nothing', async (t) => {
  const { doc, etag } = await create(app, dataset(), bearer(editor));
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: { ...bearer(editor), 'if-match': etag }, payload: { title: `Fassung ${i}` } }),
    ),
  );
  const statuses = results.map((r) => r.statusCode).sort();
  t.same(statuses, [200, 412, 412, 412, 412, 412]);
  for (const r of results.filter((x) => x.statusCode === 412)) t.equal(r.json().error.code, 'precondition_failed');
  const winner = results.find((r) => r.statusCode === 200)!;
  const now = await app.inject({ url: `/api/v1/datasets/${doc.id}` });
  t.same(now.json().title, winner.json().title, 'the stored document is the winner’s');
  t.equal(now.headers.etag, winner.headers.etag);
  t.same(await revisionsOf(doc.id), [1, 2], 'one revision for the one write');

  // Without If-Match, parallel writers are serialized: every write is a revision, none lost, none numbered twice.
  const free = await Promise.all(Array.from({ length: 5 }, (_, i) => app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor), payload: { keyword: [`k${i}`] } })));
  t.same(free.map((r) => r.statusCode), [200, 200, 200, 200, 200]);
  t.same(await revisionsOf(doc.id), [1, 2, 3, 4, 5, 6, 7]);
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).json().revision, 7);
});

t.test('server-managed fields are the server’s', async (t) => {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: admin,
    payload: dataset({ revision: 99, state: 'deleted', metadataCreated: '2000-01-01T00:00:00Z', metadataModified: '2000-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000001' }),
  });
  t.equal(r.statusCode, 201, r.body);
  const doc = r.json();
  t.not(doc.id, '00000000-0000-4000-8000-000000000001', 'the server assigns the id');
  t.equal(doc.revision, 1);
  t.equal(doc.state, 'active');
  t.not(doc.metadataCreated, '2000-01-01T00:00:00.000Z');
  t.ok(doc.issued, 'issued set when not given');
  t.ok(doc.modified, 'modified set when not given');
  const p = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { revision: 50, metadataCreated: '2001-01-01T00:00:00Z' } });
  t.equal(p.statusCode, 200, p.body);
  t.equal(p.json().revision, 2);
  t.equal(p.json().metadataCreated, doc.metadataCreated);
  const given = await create(app, dataset({ issued: '2020-05-01', modified: '2021-06-02' }));
  t.equal(given.doc.issued, '2020-05-01', 'issued kept when given');
  t.equal(given.doc.modified, '2021-06-02', 'modified kept when given');
});

t.test('cursor paging is stable while the catalog changes', async (t) => {
  const org = 'holzwickede';
  const ids = new Set<string>();
  for (let i = 0; i < 12; i++) ids.add((await create(app, dataset({ organization: org, title: `Seite ${i}` }))).doc.id);
  const seen: string[] = [];
  let url: string | undefined = `/api/v1/datasets?organization=${org}&limit=5`;
  let page = 0;
  while (url) {
    const r: { statusCode: number; body: string; json<T>(): T } = await app.inject({ url });
    t.equal(r.statusCode, 200, r.body);
    const body: { results: { id: string }[]; next?: string } = r.json<{ results: { id: string }[]; next?: string }>();
    seen.push(...body.results.map((d) => d.id));
    // Between pages: new datasets arrive and a seen one is withdrawn.
    await create(app, dataset({ organization: org, title: `Neu nach Seite ${page}` }));
    if (page === 0) await app.inject({ method: 'DELETE', url: `/api/v1/datasets/${seen[0]}`, headers: admin });
    page++;
    url = body.next?.replace('http://catalog.test', '');
  }
  t.equal(new Set(seen).size, seen.length, 'no dataset twice');
  t.same([...ids].filter((id) => !seen.includes(id)), [], 'every dataset that existed at the start seen once');
  t.ok(seen.every((id) => ids.has(id)), 'datasets added behind the cursor do not shift the pages');
});

t.test('filters and German full text', async (t) => {
  const org = 'selm';
  const a = await create(app, dataset({ organization: org, title: 'Haltestellen des Busverkehrs', description: 'Alle Bushaltestellen', keyword: ['Mobilität'], theme: [THEME('TRAN')] }));
  const b = await create(
    app,
    dataset({
      organization: org,
      title: 'Bäume im Stadtgebiet',
      description: 'Standorte der Straßenbäume',
      keyword: ['Umwelt'],
      theme: [THEME('ENVI')],
      distribution: [{ accessURL: ['https://selm.de/baeume.json'], format: JSON_FORMAT, license: CC_ZERO }],
    }),
  );
  const c = await create(app, dataset({ organization: org, title: 'Liste', description: 'Verzeichnis der Haltestelle am Markt', keyword: ['Haltestelle'] }));
  const ids = async (query: string) => (await app.inject({ url: `/api/v1/datasets?organization=${org}&${query}` })).json<{ results: { id: string }[] }>().results.map((d) => d.id);

  t.same(await ids('q=Haltestelle'), [a.doc.id, c.doc.id], 'stemming: singular finds the plural; title outranks keyword and description');
  t.same(await ids('q=Bäumen'), [b.doc.id], 'inflected German finds the dataset');
  t.same(await ids(`q=${encodeURIComponent('Haltestelle -Markt')}`), [a.doc.id], 'exclusion');
  t.same(await ids('theme=ENVI'), [b.doc.id]);
  t.same(await ids(`theme=${encodeURIComponent(THEME('TRAN'))}`), [a.doc.id], 'a theme by its IRI');
  t.same(await ids('keyword=Umwelt'), [b.doc.id]);
  t.same((await ids('format=JSON')).sort(), [b.doc.id]);
  t.same(await ids(`license=${encodeURIComponent(CC_ZERO)}`), [b.doc.id]);
  t.same((await ids('geocoding=' + encodeURIComponent('http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05978032'))).length, 3, 'political geocoding from the organization');
  t.same((await ids('theme=ENVI&theme=TRAN')).sort(), [a.doc.id, b.doc.id].sort(), 'repeated values OR');
  t.same(await ids('theme=ENVI&keyword=Mobilität'), [], 'filters AND');
  const byName = [a, b, c].map((x) => x.doc).sort((x, y) => x.name.localeCompare(y.name)).map((x) => x.id);
  t.same(await ids('sort=name&limit=2'), byName.slice(0, 2), 'sort and limit');
  t.same(await ids('sort=name&limit=2&offset=1'), byName.slice(1, 3), 'offset paging');
  t.same(await ids('sort=-name&limit=1'), [byName[2]], 'descending sort');
  const future = new Date(Date.now() + 3600_000).toISOString();
  t.same(await ids(`modified_since=${encodeURIComponent(future)}`), []);
  t.equal((await ids('modified_since=2000-01-01')).length, 3);
  const facets = (await app.inject({ url: `/api/v1/datasets?organization=${org}&facets=groups,res_format&limit=0` })).json();
  t.equal(facets.count, 3);
  t.same(facets.facets.groups.map((f: { name: string }) => f.name).sort(), ['envi', 'gove', 'tran']);
  const other = (await app.inject({ url: '/api/v1/datasets?organization=werne' })).json();
  t.equal(other.count, 0, 'organization filter');
  t.equal((await app.inject({ url: '/api/v1/datasets?modified_since=gestern' })).statusCode, 400);
  t.equal((await app.inject({ url: '/api/v1/datasets?sort=colour' })).statusCode, 400);
  t.equal((await app.inject({ url: '/api/v1/datasets?cursor=nonsense' })).statusCode, 400);
});

t.test('moving a dataset between organizations needs editor rights in both, and a refusal changes nothing', async (t) => {
  const { doc, etag } = await create(app, dataset(), bearer(editor));
  const before = [await count(datasets), await count(revisions)];
  for (const [who, headers, status] of [
    ['editor of the source only (PATCH)', bearer(editor), 403],
    ['admin of the source only', bearer(adminUnna), 403],
    ['editor of the target only', bearer(editorKamen), 403],
  ] as const) {
    const r = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers, payload: { organization: 'kamen' } });
    t.equal(r.statusCode, status, `${who}: ${r.body}`);
  }
  const put = await app.inject({ method: 'PUT', url: `/api/v1/datasets/${doc.id}`, headers: bearer(editor), payload: dataset({ organization: 'kamen' }) });
  t.equal(put.statusCode, 403, 'PUT: editor of the source only');
  const nowhere = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: bearer(both), payload: { organization: 'atlantis' } });
  t.equal(nowhere.statusCode, 422, 'an unknown target organization');
  t.same([await count(datasets), await count(revisions)], before, 'no row changed');
  t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}` })).headers.etag, etag);

  const moved = await app.inject({ method: 'PUT', url: `/api/v1/datasets/${doc.id}`, headers: { ...bearer(both), 'if-match': etag }, payload: dataset({ organization: 'kamen' }) });
  t.equal(moved.statusCode, 200, moved.body);
  t.equal(moved.json().organization, 'kamen');
  const back = await app.inject({ method: 'PATCH', url: `/api/v1/datasets/${doc.id}`, headers: admin, payload: { organization: 'unna' } });
  t.equal(back.statusCode, 200, 'a sysadmin moves anything');
});

t.test('422 problems carry path, key and the message in English and German', async (t) => {
  const before = [await count(datasets), await count(revisions)];
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: admin,
    payload: dataset({ title: '', description: undefined, theme: ['WEATHER'], distribution: [{ title: 'ohne URL', format: 'no-such-format' }] }),
  });
  t.equal(r.statusCode, 422);
  const { code, message, details } = r.json().error;
  t.equal(code, 'invalid_dataset');
  t.match(message, /not valid DCAT-AP\.de/);
  const paths = details.map((p: { path: string }) => p.path).sort();
  t.same(paths, ['/description', '/distribution/0/accessURL', '/distribution/0/format', '/theme/0', '/title']);
  for (const p of details) {
    t.match(p, { path: String, key: /^dataset\./, message: String, messageDe: String }, p.path);
    t.not(p.message, p.messageDe, `${p.path}: two languages`);
  }
  t.match(details.find((p: { path: string }) => p.path === '/title'), { key: 'dataset.required', message: /mandatory/, messageDe: /Pflicht/ });
  t.match(details.find((p: { path: string }) => p.path === '/theme/0'), { key: 'dataset.vocab', messageDe: /Vokabular/ });
  t.same([await count(datasets), await count(revisions)], before);
});

t.test('the body limit is configurable and a too large body writes nothing', async (t) => {
  const small = await testApp({ BODY_LIMIT: '4096' });
  t.teardown(() => small.close());
  const rows = async () => Number((await small.db.database.db.select({ n: sql<number>`count(*)::int` }).from(datasets))[0].n);
  t.equal((await small.app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset() })).statusCode, 201, 'a small body passes');
  const r = await small.app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ description: 'x'.repeat(5000) }) });
  t.equal(r.statusCode, 413);
  t.equal(r.json().error.code, 'body_too_large');
  t.equal(await rows(), 1);
});

t.test('OpenAPI documents every REST route with its schemas', async (t) => {
  const spec = (await app.inject({ url: '/openapi.json' })).json();
  const routes: { method: string; url: string }[] = [];
  const probe = app.printRoutes({ commonPrefix: false });
  t.ok(probe.length > 0);
  for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>>)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries(item)) {
      routes.push({ method, url: path });
      t.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path}: responses`);
      const codes = Object.keys(op.responses ?? {});
      t.ok(codes.some((c) => c.startsWith('2')), `${method} ${path}: a success response`);
      if (['post', 'put', 'patch'].includes(method) && !path.endsWith('/restore')) t.ok(op.requestBody, `${method} ${path}: request body schema`);
    }
  }
  const expected = [
    'get /api/v1/datasets', 'post /api/v1/datasets',
    'get /api/v1/datasets/{id}', 'put /api/v1/datasets/{id}', 'patch /api/v1/datasets/{id}', 'delete /api/v1/datasets/{id}',
    'get /api/v1/datasets/{id}/distributions', 'post /api/v1/datasets/{id}/distributions',
    'get /api/v1/datasets/{id}/distributions/{distributionId}', 'put /api/v1/datasets/{id}/distributions/{distributionId}',
    'patch /api/v1/datasets/{id}/distributions/{distributionId}', 'delete /api/v1/datasets/{id}/distributions/{distributionId}',
    'get /api/v1/datasets/{id}/revisions', 'get /api/v1/datasets/{id}/revisions/{n}', 'post /api/v1/datasets/{id}/revisions/{n}/restore',
    'get /api/v1/organizations', 'post /api/v1/organizations', 'get /api/v1/organizations/{id}', 'put /api/v1/organizations/{id}',
    'patch /api/v1/organizations/{id}', 'delete /api/v1/organizations/{id}',
    'get /api/v1/organizations/{id}/members', 'put /api/v1/organizations/{id}/members/{user}', 'delete /api/v1/organizations/{id}/members/{user}',
    'get /api/v1/users/me', 'get /api/v1/users', 'post /api/v1/users', 'post /api/v1/users/{user}/tokens',
    'get /api/v1/tokens', 'post /api/v1/tokens', 'delete /api/v1/tokens/{id}',
  ];
  const documented = new Set(routes.map((r) => `${r.method} ${r.url}`));
  for (const e of expected) t.ok(documented.has(e), e);
  t.ok(spec.components.schemas.DatasetInput, 'the dataset input schema is a component');
});
