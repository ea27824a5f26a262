import t from 'tap';
import { testApp } from '../helpers/app.js';
import { admin, create, dataset } from '../helpers/rest.js';

/** New datasets take their organization's current data: an organization write clears the per-process cache. */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;

t.test('a renamed organization is what the next new dataset names as publisher', async (t) => {
  const before = await create(app, dataset({ organization: 'selm', title: 'Friedhöfe in Selm' }));
  t.same(before.doc.publisher, { '@id': 'http://catalog.test/organization/selm', '@type': 'Organization', name: { de: 'Stadt Selm' }, type: 'http://purl.org/adms/publishertype/LocalAuthority', homepage: 'https://www.selm.de' });
  const shown = await app.inject({ url: `/api/3/action/package_show?id=${before.doc.id}` });
  t.equal(shown.json().result.organization.title, 'Stadt Selm', 'the CKAN face names the organization');
  const renamed = await app.inject({ method: 'PATCH', url: '/api/v1/organizations/selm', headers: admin, payload: { title: 'Stadt Selm (Westfalen)', homepage: 'https://selm.example.org' } });
  t.equal(renamed.statusCode, 200, renamed.body);
  const after = await create(app, dataset({ organization: 'selm', title: 'Spielplätze in Selm' }));
  t.match(after.doc.publisher, { name: { de: 'Stadt Selm (Westfalen)' }, homepage: 'https://selm.example.org' });
  const again = await app.inject({ url: `/api/3/action/package_show?id=${before.doc.id}` });
  t.equal(again.json().result.organization.title, 'Stadt Selm (Westfalen)', 'and its current title after the change');
});

t.test('a new organization can be published to at once, an unknown one is refused', async (t) => {
  const made = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: admin, payload: { name: 'zweckverband', title: 'Zweckverband Unna' } });
  t.equal(made.statusCode, 201, made.body);
  const d = await create(app, dataset({ organization: 'zweckverband' }));
  t.equal(d.doc.organization, 'zweckverband');
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers: admin, payload: dataset({ organization: 'gibt-es-nicht' }) });
  t.equal(unknown.statusCode, 422);
});
