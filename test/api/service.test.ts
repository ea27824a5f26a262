import t from 'tap';
import { ADMIN_TOKEN, testApp } from '../helpers/app.js';

const ctx = await testApp();
t.teardown(() => ctx.close());

t.test('GET /health reports the database', async (t) => {
  const res = await ctx.app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  t.equal(res.json().status, 'ok');
  t.equal(res.json().database.up, true);
  t.ok(res.headers['x-request-id'], 'every answer carries its request id');
});

t.test('an incoming X-Request-Id is kept', async (t) => {
  const res = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
  t.equal(res.headers['x-request-id'], 'abc-123');
});

t.test('unknown routes answer 404 in the error envelope', async (t) => {
  const res = await ctx.app.inject({ method: 'GET', url: '/nope' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().error.code, 'not_found');
});

t.test('the JSON-LD context is served and usable by a JSON-LD processor', async (t) => {
  const res = await ctx.app.inject({ method: 'GET', url: '/context.jsonld' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /application\/ld\+json/);
  const jsonld = (await import('jsonld')).default;
  const doc = {
    ...res.json(),
    '@id': 'http://catalog.test/dataset/1',
    '@type': 'Dataset',
    name: 'slug-is-not-rdf',
    title: { de: 'Titel', en: 'Title' },
    publisher: { '@type': 'Organization', name: { de: 'Kreis Unna' } },
    contactPoint: [{ '@type': 'Organization', fn: 'Kontakt', hasEmail: 'mailto:a@b.de' }],
  };
  const nquads = (await jsonld.toRDF(doc, { format: 'application/n-quads' })) as unknown as string;
  t.match(nquads, '<http://purl.org/dc/terms/title> "Titel"@de');
  t.match(nquads, '<http://xmlns.com/foaf/0.1/name> "Kreis Unna"@de');
  t.match(nquads, '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Organization>');
  t.match(nquads, '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2006/vcard/ns#Organization>');
  t.match(nquads, '<http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:a@b.de>');
  t.notMatch(nquads, 'slug-is-not-rdf', 'record metadata is not RDF');
});

t.test('an unknown property is named once, with its path', async (t) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { organization: 'unna', title: 'T', description: 'D', colour: 'blue', publisher: { name: 'X', shoeSize: 42 } },
  });
  t.equal(res.statusCode, 400);
  t.same(res.json().error.details, [
    { path: '/colour', message: 'is not a known property' },
    { path: '/publisher/shoeSize', message: 'is not a known property' },
  ]);
});
