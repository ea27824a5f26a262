import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { userWithRole } from '../../helpers/rest.js';
import { call, pkg, result } from '../../helpers/ckan.js';

const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;

const editor = await userWithRole(app, 'ckan-editor', 'unna', 'editor');
const member = await userWithRole(app, 'ckan-member', 'unna', 'member');
const outsider = await userWithRole(app, 'ckan-outsider', 'kamen', 'editor');

type Pkg = Record<string, unknown> & { id: string; name: string; resources: Record<string, unknown>[]; extras: { key: string; value: string }[] };

t.test('transport follows ckan/views/api.py', async (t) => {
  const unknown = await call(app, 'no_such_action', {});
  t.equal(unknown.status, 400);
  t.equal(unknown.body as unknown, 'Bad request - Action name not known: no_such_action');

  const getWrite = await call(app, 'package_create', { name: 'x' }, { method: 'GET' });
  t.equal(getWrite.status, 400);
  t.match(getWrite.raw, /Please use POST method/);

  const malformed = await app.inject({ method: 'POST', url: '/api/3/action/package_show', headers: { 'content-type': 'application/json' }, payload: '{"id": ' });
  t.equal(malformed.statusCode, 400);
  t.match(malformed.json(), /^Bad request - JSON Error: Error decoding JSON data/);

  const list = await app.inject({ method: 'POST', url: '/api/3/action/package_show', headers: { 'content-type': 'application/json' }, payload: '[1, 2]' });
  t.equal(list.statusCode, 400);
  t.match(list.json(), /Request data JSON decoded to \[1,2\] but it needs to be a dictionary/);

  const ok = await call(app, 'site_read', {}, { method: 'GET', path: '/api/action' });
  t.equal(ok.status, 200);
  t.same(ok.body, { help: 'http://catalog.test/api/3/action/help_show?name=site_read', success: true, result: true });
  t.match(String(ok.headers['content-type']), /^application\/json;\s*charset=utf-8/);

  t.equal((await app.inject({ url: '/api/2/action/site_read' })).statusCode, 404);
  t.same((await app.inject({ url: '/api/3' })).json(), { version: 3 });
  t.same((await app.inject({ url: '/api' })).json(), { version: 1 });

  // curl -d '{"id": "..."}' sends the JSON as the name of one form field.
  const curl = await app.inject({ method: 'POST', url: '/api/3/action/help_show', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '{"name": "package_show"}' });
  t.equal(curl.statusCode, 200);
  t.match(curl.json().result, /dataset/);
  const form = await app.inject({ method: 'POST', url: '/api/3/action/help_show', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=package_search' });
  t.match(form.json().result, /fq/);
  const help = await call(app, 'help_show', { name: 'no_such_action' }, { method: 'GET' });
  t.equal(help.status, 404);
  t.equal(help.body.error?.__type, 'Not Found Error');
  const put = await app.inject({ method: 'PUT', url: '/api/3/action/package_show', headers: { 'content-type': 'application/json' }, payload: '{}' });
  t.equal(put.statusCode, 405, 'other methods: 405, never a 5xx');
  t.equal(put.headers.allow, 'GET, POST');
  t.equal(put.json().success, false);
  // JSONP runs as anonymous: the caller's token does not apply.
  const jsonp = await app.inject({ url: '/api/3/action/user_show?callback=cb', headers: { authorization: editor } });
  t.equal(jsonp.statusCode, 404, 'user_show without id as anonymous');
  const jsonpOk = await app.inject({ url: '/api/3/action/site_read?callback=my.cb' });
  t.match(jsonpOk.headers['content-type'], /^application\/javascript/);
  t.equal(jsonpOk.body, 'my.cb({"help":"http://catalog.test/api/3/action/help_show?name=site_read","success":true,"result":true});');
  t.equal((await app.inject({ url: '/api/3/action/site_read?callback=alert(1)' })).statusCode, 400, 'a callback must be a name');
  const helpMissing = await call(app, 'help_show', {});
  t.equal(helpMissing.status, 409);
  t.same(helpMissing.body.error, { __type: 'Validation Error', name: ['Missing value'] });
});

t.test('status_show, license_list, group_list, organization_list', async (t) => {
  const status = await result(app, 'status_show', {}, { method: 'GET' });
  t.equal(status.ckan_version, '2.11.5');
  t.equal(status.site_url, 'http://catalog.test');
  t.equal(status.locale_default, 'de');

  const licenses = await result<Record<string, string>[]>(app, 'license_list', {}, { method: 'GET' });
  const dlBy = licenses.find((l) => l.uri === 'http://dcat-ap.de/def/licenses/dl-by-de/2.0');
  t.ok(dlBy, 'the dcat-ap.de licences are listed');
  t.equal(dlBy?.od_conformance, 'approved');

  const groups = await result<string[]>(app, 'group_list', { sort: 'name asc' }, { method: 'GET' });
  t.same(groups, ['agri', 'econ', 'educ', 'ener', 'envi', 'gove', 'heal', 'intr', 'just', 'regi', 'soci', 'tech', 'tran']);
  const gove = await result(app, 'group_show', { id: 'gove' }, { method: 'GET' });
  t.equal(gove.name, 'gove');
  t.equal(gove.title, 'Regierung und öffentlicher Sektor');
  t.equal((await call(app, 'group_show', { id: 'nope' })).status, 404);

  const names = await result<string[]>(app, 'organization_list', {}, { method: 'GET' });
  t.equal(names.length, 11);
  t.equal(names[0], 'boenen', 'default sort is title asc (Gemeinde Bönen first)');
  const byName = await result<string[]>(app, 'organization_list', { sort: 'name desc', limit: 2, offset: 1 }, { method: 'GET' });
  t.same(byName, ['unna', 'selm']);
  const dicts = await result<Record<string, unknown>[]>(app, 'organization_list', { all_fields: 'true', limit: 3 }, { method: 'GET' });
  t.equal(dicts.length, 3);
  t.match(dicts[0], { name: 'boenen', title: 'Gemeinde Bönen', is_organization: true, type: 'organization', package_count: Number });
  const badSort = await call(app, 'organization_list', { sort: 'colour asc' }, { method: 'GET' });
  t.equal(badSort.status, 409);
  t.same(badSort.body.error, { __type: 'Validation Error', message: ['Cannot sort by field `colour`'] });
  const badBool = await call(app, 'organization_list', { all_fields: 'maybe' }, { method: 'GET' });
  t.equal(badBool.status, 409, 'an unparsable boolean is a Validation Error, not a 500');
});

t.test('tokens: raw, Bearer and X-CKAN-API-Key; an unknown token is anonymous', async (t) => {
  const raw = await result(app, 'user_show', {}, { token: editor });
  t.equal(raw.name, 'ckan-editor');
  const bearer = await result(app, 'user_show', {}, { token: `Bearer ${editor}` });
  t.equal(bearer.name, 'ckan-editor');
  const header = await result(app, 'user_show', {}, { token: null, headers: { 'x-ckan-api-key': editor } });
  t.equal(header.name, 'ckan-editor');
  t.equal(header.email, null, 'own e-mail shown (none set)');

  const anonRead = await call(app, 'status_show', {}, { token: 'not-a-token' });
  t.equal(anonRead.status, 200, 'reads succeed with an unknown token');
  const anonWrite = await call(app, 'package_create', pkg('anon-write'), { token: 'not-a-token' });
  t.equal(anonWrite.status, 403);
  t.equal(anonWrite.body.error?.__type, 'Authorization Error');
  t.equal((await call(app, 'user_show', {}, { token: null })).status, 404, 'anonymous has no user');

  const tokens = await result<Record<string, unknown>[]>(app, 'api_token_list', { user_id: 'ckan-editor' }, { token: editor });
  t.equal(tokens.length, 1);
  t.match(tokens[0], { name: 'ckan-editor test token', created_at: /^\d{4}-\d\d-\d\dT[\d:.]+$/ });
  t.notOk('token' in tokens[0], 'never the secret');
  const missing = await call(app, 'api_token_list', {}, { token: editor });
  t.equal(missing.status, 409);
  t.same(missing.body.error, { __type: 'Validation Error', user_id: ['Missing value'] });
  t.equal((await call(app, 'api_token_list', { user_id: 'ckan-editor' }, { token: member })).status, 403);
});

let created: Pkg;

t.test('package_create', async (t) => {
  const anon = await call(app, 'package_create', { name: 'x' }, { token: null });
  t.equal(anon.status, 403, 'auth is checked before validation');

  t.equal((await call(app, 'package_create', pkg('by-member'), { token: member })).status, 403, 'members cannot create');
  t.equal((await call(app, 'package_create', pkg('by-outsider'), { token: outsider })).status, 403, 'editors of another organization cannot create');

  const noName = await call(app, 'package_create', { ...pkg('x'), name: undefined }, { token: editor });
  t.equal(noName.status, 409);
  t.same(noName.body.error?.name, ['Missing value']);
  const badName = await call(app, 'package_create', pkg('Bad Name!'), { token: editor });
  t.equal(badName.status, 409);
  t.same(badName.body.error?.name, ['Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_']);
  const noOrg = await call(app, 'package_create', { ...pkg('no-org'), owner_org: undefined }, { token: editor });
  t.equal(noOrg.status, 409);
  t.same(noOrg.body.error?.owner_org, ['An organization must be provided']);
  const badTag = await call(app, 'package_create', pkg('bad-tag', { tags: [{ name: 'a' }] }), { token: editor });
  t.same(badTag.body.error?.tags, ['Tag "a" length is less than minimum 2']);
  const shape = await call(app, 'package_create', pkg('bad-shape', { resources: 'x' }), { token: editor });
  t.equal(shape.status, 400);
  t.equal(shape.body.error?.__type, 'Integrity Error');
  const noUrl = await call(app, 'package_create', pkg('no-url', { resources: [{ name: 'x' }] }), { token: editor });
  t.equal(noUrl.status, 409, 'DCAT-AP.de needs an access URL on each distribution');
  t.ok(Array.isArray(noUrl.body.error?.resources));
  const idByEditor = await call(app, 'package_create', pkg('with-id', { id: '2f3a5b5c-1d1e-4f00-8a00-000000000001' }), { token: editor });
  t.same(idByEditor.body.error?.id, ['The input field id was not expected.']);

  const r = await call(app, 'package_create', pkg('haushalt-2024', { private: 'true' }), { token: editor });
  t.equal(r.status, 200, 'CKAN answers 200, never 201');
  created = r.body.result as Pkg;
  t.match(created, {
    name: 'haushalt-2024',
    title: 'Haushalt haushalt-2024',
    notes: 'Die Haushaltspläne als Tabellen.',
    license_id: 'dl-by-de/2.0',
    private: true,
    state: 'active',
    type: 'dataset',
    num_resources: 1,
    num_tags: 2,
    organization: { name: 'unna', title: 'Kreisstadt Unna', is_organization: true },
    groups: [{ name: 'gove' }],
    relationships_as_subject: [],
  });
  t.same(
    (created.tags as { name: string }[]).map((x) => x.name),
    ['Finanzen', 'Haushalt'],
    'tags sorted by name',
  );
  t.match(created.metadata_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/, 'naive UTC with microseconds, as CKAN writes it');
  t.match(created.resources[0], { url: 'https://example.org/haushalt.csv', format: 'CSV', position: 0, package_id: created.id, license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0' });
  const extras = Object.fromEntries(created.extras.map((e) => [e.key, e.value]));
  t.equal(extras.uri, `http://catalog.test/dataset/${created.id}`);
  t.same(JSON.parse(extras.contributorID), ['http://dcat-ap.de/def/contributors/openNRW']);
  t.ok(extras.politicalGeocodingURI, 'the organization gives the political geocoding');
  t.same([...created.extras.map((e) => e.key)], [...created.extras.map((e) => e.key)].sort(), 'extras sorted by key');

  const dup = await call(app, 'package_create', pkg('haushalt-2024'), { token: editor });
  t.equal(dup.status, 409);
  t.same(dup.body.error, { __type: 'Validation Error', name: ['That URL is already in use.'] });

  const id = '2f3a5b5c-1d1e-4f00-8a00-000000000002';
  const sys = await result<Pkg>(app, 'package_create', pkg('sysadmin-id', { id }));
  t.equal(sys.id, id, 'a sysadmin may give the id (harvest mirrors)');
});

t.test('license_id: the dcat-ap.de id out, any of its names in', async (t) => {
  const list = await result<Record<string, unknown>[]>(app, 'license_list', {}, { method: 'GET' });
  t.match(
    list.find((l) => l.id === 'dl-by-de/2.0'),
    { title: 'Datenlizenz Deutschland Namensnennung 2.0', url: 'https://www.govdata.de/dl-de/by-2-0', uri: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0' },
    'license_list offers the ids package dicts carry',
  );
  const forms = ['dl-by-de/2.0', 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', 'dl-de-by-2.0'];
  for (const [i, form] of forms.entries()) {
    const p = await result<Pkg>(app, 'package_create', pkg(`licence-form-${i}`, { license_id: form }), { token: editor });
    t.match(p, { license_id: 'dl-by-de/2.0', license_title: 'Datenlizenz Deutschland Namensnennung 2.0', license_url: 'https://www.govdata.de/dl-de/by-2-0', isopen: true }, form);
    t.equal(p.resources[0].license, 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', `${form}: the distribution carries the dcat-ap.de IRI`);
  }
  const closed = await result<Pkg>(app, 'package_create', pkg('licence-closed', { license_id: 'other-closed' }), { token: editor });
  t.match(closed, { license_id: 'other-closed', isopen: false });
  const unknown = await call(app, 'package_create', pkg('licence-unknown', { license_id: 'my-own-licence' }), { token: editor });
  t.equal(unknown.status, 409, 'a licence outside the dcat-ap.de list is refused (GovData K32)');
  t.equal(unknown.body.error?.__type, 'Validation Error');
});

t.test('package_show and private visibility', async (t) => {
  const byName = await result<Pkg>(app, 'package_show', { id: 'haushalt-2024' }, { method: 'GET', token: member });
  t.equal(byName.id, created.id);
  const byId = await result<Pkg>(app, 'package_show', { name_or_id: created.id }, { method: 'GET', token: editor });
  t.equal(byId.name, 'haushalt-2024');
  const missing = await call(app, 'package_show', {}, { method: 'GET' });
  t.equal(missing.status, 409);
  t.same(missing.body.error, { __type: 'Validation Error', name_or_id: ['Missing value'] });
  const unknown = await call(app, 'package_show', { id: 'nope' }, { method: 'GET' });
  t.equal(unknown.status, 404);
  t.equal(unknown.body.error?.__type, 'Not Found Error');
  // CKAN answers 403, not 404, for a dataset that exists but the caller may not read.
  const anon = await call(app, 'package_show', { id: 'haushalt-2024' }, { method: 'GET', token: null });
  t.equal(anon.status, 403, 'a private dataset is not readable by anonymous');
  t.same(anon.body.error, { __type: 'Authorization Error', message: `Access denied: User  not authorized to read package ${created.id}` });
  t.notOk('result' in anon.body, 'and nothing of it is shown');
  t.equal((await call(app, 'package_show', { id: created.id }, { method: 'GET', token: outsider })).status, 403, 'nor by other organizations');
  t.equal((await call(app, 'package_update', { ...created, title: 'x' }, { token: outsider })).status, 403, 'package_update: exists, then auth');
});

t.test('package_update keeps resources without the key; an explicit list replaces them', async (t) => {
  const noId = await call(app, 'package_update', { title: 'x' }, { token: editor });
  t.equal(noId.status, 409);
  t.same(noId.body.error, { __type: 'Validation Error', id: 'Missing value' });
  t.equal((await call(app, 'package_update', { id: 'nope', title: 'x' }, { token: editor })).status, 404);
  t.equal((await call(app, 'package_update', { ...created, title: 'x' }, { token: member })).status, 403);

  const { resources: _r, ...withoutResources } = created;
  const kept = await result<Pkg>(app, 'package_update', { ...withoutResources, title: 'Haushalt 2024 (neu)' }, { token: editor });
  t.equal(kept.title, 'Haushalt 2024 (neu)');
  t.equal(kept.resources.length, 1);
  t.equal(kept.resources[0].id, created.resources[0].id, 'the resource keeps its id');
  t.not(kept.metadata_modified, created.metadata_modified);

  const replaced = await result<Pkg>(app, 'package_update', { ...kept, resources: [...kept.resources, { url: 'https://example.org/h.json', format: 'JSON' }] }, { token: editor });
  t.equal(replaced.resources.length, 2);
  t.equal(replaced.resources[0].id, created.resources[0].id);
  t.equal(replaced.resources[1].license, 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', "the package's license_id applies to a resource without its own");

  t.equal((await call(app, 'package_patch', { id: 'nope', notes: 'x' }, { token: editor })).status, 404);
  const patchNoId = await call(app, 'package_patch', { notes: 'x' }, { token: editor });
  t.equal(patchNoId.status, 409);
  t.same(patchNoId.body.error, { __type: 'Validation Error', id: 'Missing value' });
  t.equal((await call(app, 'package_patch', { id: created.id, notes: 'x' }, { token: member })).status, 403);

  const patched = await result<Pkg>(app, 'package_patch', { id: created.id, notes: 'Neu beschrieben.' }, { token: editor });
  t.equal(patched.notes, 'Neu beschrieben.');
  t.equal(patched.title, 'Haushalt 2024 (neu)', 'package_patch leaves other fields');
  t.equal(patched.resources.length, 2);
  t.same(
    (patched.tags as { name: string }[]).map((x) => x.name),
    ['Finanzen', 'Haushalt'],
  );

  // Without `tags` and `extras` an update removes them, as in every CKAN version; groups stay (2.12).
  const { tags: _t, groups: _g, ...bare } = patched;
  const untagged = await result<Pkg>(app, 'package_update', bare, { token: editor });
  t.same(untagged.tags, []);
  t.equal(untagged.num_tags, 0);
  t.match(untagged.groups, [{ name: 'gove' }], 'groups are kept without the key');
  t.equal(untagged.resources.length, 2);

  const throwaway = await result<Pkg>(app, 'package_create', pkg('resources-cleared'), { token: editor });
  const cleared = await result<Pkg>(app, 'package_update', { ...throwaway, resources: [] }, { token: editor });
  t.same(cleared.resources, [], 'an explicit empty list removes every resource');
  t.equal(cleared.num_resources, 0);
  t.equal(cleared.license_id, null, 'no distribution, no licence');
});

t.test('resources', async (t) => {
  const noPkg = await call(app, 'resource_create', { url: 'https://example.org/x.csv' }, { token: editor });
  t.equal(noPkg.status, 409);
  t.same(noPkg.body.error?.package_id, ['Missing value']);
  t.equal((await call(app, 'resource_create', { package_id: 'nope', url: 'https://example.org/x' }, { token: editor })).status, 404);
  t.equal((await call(app, 'resource_create', { package_id: created.id, url: 'https://example.org/x' }, { token: member })).status, 403);

  const res = await result(app, 'resource_create', { package_id: created.id, url: 'https://example.org/data.geojson', name: 'Karte', size: 2048 }, { token: editor });
  t.match(res, { name: 'Karte', format: 'GeoJSON', size: 2048, position: 2, package_id: created.id }, 'format guessed from the extension');
  const shown = await result(app, 'resource_show', { id: res.id }, { method: 'GET', token: editor });
  t.equal(shown.url, 'https://example.org/data.geojson');
  t.equal((await call(app, 'resource_show', { id: res.id }, { method: 'GET', token: null })).status, 403, "a private dataset's resource is not readable");
  t.equal((await call(app, 'resource_show', { id: '00000000-0000-4000-8000-000000000000' }, { method: 'GET' })).status, 404);
  const showNoId = await call(app, 'resource_show', {}, { method: 'GET' });
  t.equal(showNoId.status, 409);
  t.same(showNoId.body.error, { __type: 'Validation Error', id: ['Missing value'] });
  for (const action of ['resource_update', 'resource_patch', 'resource_delete']) {
    const gone = await call(app, action, { id: '00000000-0000-4000-8000-000000000000', url: 'https://example.org/x' }, { token: editor });
    t.equal(gone.status, 404, `${action}: unknown id`);
    t.same(gone.body.error, { __type: 'Not Found Error', message: 'Not found: Resource was not found.' });
    const noId = await call(app, action, { url: 'https://example.org/x' }, { token: editor });
    t.equal(noId.status, 409, `${action}: no id`);
    t.same(noId.body.error, { __type: 'Validation Error', id: ['Missing value'] });
  }
  const badSize = await call(app, 'resource_create', { package_id: created.id, url: 'https://example.org/y.csv', size: 'big' }, { token: editor });
  t.equal(badSize.status, 409, 'a resource that does not validate');
  t.equal(badSize.body.error?.__type, 'Validation Error');
  t.notOk('resources' in (badSize.body.error ?? {}), 'the error dict is the new resource only');
  t.ok('size' in (badSize.body.error ?? {}), 'naming the field');

  const patched = await result(app, 'resource_patch', { id: res.id, description: 'Stadtgebiet' }, { token: editor });
  t.match(patched, { name: 'Karte', description: 'Stadtgebiet', url: 'https://example.org/data.geojson' });
  const updated = await result(app, 'resource_update', { id: res.id, url: 'https://example.org/karte.csv', format: 'CSV' }, { token: editor });
  t.match(updated, { url: 'https://example.org/karte.csv', format: 'CSV', description: null, name: null }, 'resource_update replaces');

  t.equal((await call(app, 'resource_delete', { id: res.id }, { token: member })).status, 403);
  const del = await call(app, 'resource_delete', { id: res.id }, { token: editor });
  t.same(del.body.result, null);
  t.equal((await call(app, 'resource_show', { id: res.id }, { method: 'GET', token: editor })).status, 404);
  const after = await result<Pkg>(app, 'package_show', { id: created.id }, { token: editor });
  t.equal(after.num_resources, 2);
});

t.test('package_delete withdraws; package_activity_list tells the history', async (t) => {
  const victim = await result<Pkg>(app, 'package_create', pkg('to-withdraw'), { token: editor });
  t.equal((await call(app, 'package_delete', { id: victim.name }, { token: member })).status, 403);
  t.equal((await call(app, 'package_delete', { id: 'nope' }, { token: editor })).status, 404);
  const gone = await call(app, 'package_delete', { id: victim.name }, { token: editor });
  t.equal(gone.status, 200);
  t.same(gone.body.result, null);
  const seen = await result<Pkg>(app, 'package_show', { id: victim.id }, { token: editor });
  t.equal(seen.state, 'deleted', 'editors still read it');
  t.equal((await call(app, 'package_show', { id: victim.id }, { token: null })).status, 403, 'anonymous may not read a deleted dataset');
  const noId = await call(app, 'package_delete', {}, { token: editor });
  t.equal(noId.status, 409);
  t.same(noId.body.error, { __type: 'Validation Error', id: ['Missing value'] });
  t.equal((await call(app, 'package_delete', { id: victim.id }, { token: null })).status, 403);
  const names = await result<string[]>(app, 'package_list', {}, { method: 'GET' });
  t.notOk(names.includes('to-withdraw'));

  // As in CKAN, the name of a deleted dataset can be taken by a new one; the old record keeps its id.
  const again = await result<Pkg>(app, 'package_create', pkg('to-withdraw'), { token: editor });
  t.not(again.id, victim.id, 'a new dataset');
  t.equal(again.state, 'active');
  const old = await result<Pkg>(app, 'package_show', { id: victim.id }, { token: editor });
  t.match(old, { name: victim.id, state: 'deleted' }, 'the deleted one is renamed to its id');
  t.equal((await result<Pkg>(app, 'package_show', { id: 'to-withdraw' }, { token: editor })).id, again.id);

  const activity = await result<Record<string, unknown>[]>(app, 'package_activity_list', { id: victim.id }, { method: 'GET', token: editor });
  t.same(
    activity.map((a) => a.activity_type),
    ['deleted package', 'new package'],
  );
  t.match(activity[1], { object_id: victim.id, data: { package: { name: 'to-withdraw', state: 'active' } } });
});

t.test('organizations and members from the CKAN side', async (t) => {
  const show = await result(app, 'organization_show', { id: 'unna', include_datasets: true }, { method: 'GET', token: member });
  t.equal(show.name, 'unna');
  t.ok((show.packages as Pkg[]).some((p) => p.name === 'haushalt-2024'), 'members see private datasets');
  t.match(show.users, [{ capacity: 'editor' }, { capacity: 'member' }]);
  const anonShow = await result(app, 'organization_show', { id: 'unna', include_datasets: 'true' }, { method: 'GET', token: null });
  t.notOk((anonShow.packages as Pkg[]).some((p) => p.name === 'haushalt-2024'));
  t.same(anonShow.users, []);
  t.equal((await call(app, 'organization_show', { id: 'nope' })).status, 404);

  const mine = await result<Record<string, unknown>[]>(app, 'organization_list_for_user', { permission: 'create_dataset' }, { token: editor });
  t.same(
    mine.map((o) => [o.name, o.capacity]),
    [['unna', 'editor']],
  );
  t.same(await result(app, 'organization_list_for_user', { permission: 'create_dataset' }, { token: member }), []);

  const members = await result<[string, string, string][]>(app, 'member_list', { id: 'unna', object_type: 'user' }, { token: editor });
  t.same(members.map((m) => m[2]).sort(), ['Editor', 'Member']);
  const packages = await result<[string, string, string][]>(app, 'member_list', { id: 'unna', object_type: 'package' }, { token: null });
  t.ok(packages.every((m) => m[1] === 'package' && m[2] === 'public'), 'anonymous sees public datasets only');

  const tags = await result<string[]>(app, 'tag_list', {}, { method: 'GET' });
  t.ok(tags.includes('Haushalt'));
  t.same(await result(app, 'tag_list', { query: 'finan' }, { method: 'GET' }), ['Finanzen']);
});
