import t from 'tap';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { testApp, ADMIN_TOKEN } from '../helpers/app.js';
import { resolveToken, anonymous, systemActor } from '../../src/auth/actor.js';
import { canAdminOrg, canEditOrg, canRead, isSysadmin } from '../../src/auth/permissions.js';
import authPlugin from '../../src/auth/plugin.js';
import { apiTokens, organizations } from '../../src/db/schema.js';
import { registerErrorHandling } from '../../src/api/errors.js';

const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;
const db = ta.db.database.db;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { name: 'steward', fullname: 'Data Steward' } });
await app.inject({ method: 'PUT', url: '/api/v1/organizations/werne/members/steward', headers: admin, payload: { role: 'editor' } });
const first = (await app.inject({ method: 'POST', url: '/api/v1/users/steward/tokens', headers: admin, payload: { label: 'first' } })).json();
const [werne] = await db.select().from(organizations).where(eq(organizations.name, 'werne'));

t.test('tokens: long, random, stored as a hash', async (t) => {
  t.ok(first.token.length >= 43, 'at least 256 bits');
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, first.id));
  t.not(row.tokenHash, first.token);
  t.notOk(JSON.stringify(row).includes(first.token), 'the secret is not stored');
});

t.test('resolveToken', async (t) => {
  const actor = await resolveToken(db, first.token, 'rest');
  t.match(actor, { userName: 'steward', tokenLabel: 'first', sysadmin: false, face: 'rest' });
  t.equal(actor?.roles.get(werne.id), 'editor');
  t.equal(await resolveToken(db, 'kuc_unknown', 'rest'), null);
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, first.id));
  t.ok(row.lastUsedAt, 'last used is recorded');
  await resolveToken(db, first.token, 'rest');
  const [again] = await db.select().from(apiTokens).where(eq(apiTokens.id, first.id));
  t.equal(again.lastUsedAt?.getTime(), row.lastUsedAt?.getTime(), 'not rewritten within a minute');
});

t.test('permissions', async (t) => {
  const actor = (await resolveToken(db, first.token, 'rest'))!;
  t.ok(canEditOrg(actor, werne.id));
  t.notOk(canAdminOrg(actor, werne.id));
  t.notOk(canEditOrg(actor, '00000000-0000-0000-0000-000000000000'));
  t.ok(isSysadmin(systemActor('harvest')));
  const anon = anonymous('rest');
  t.ok(canRead(anon, { organizationId: werne.id, private: false, state: 'active' }));
  t.notOk(canRead(anon, { organizationId: werne.id, private: true, state: 'active' }));
  t.notOk(canRead(anon, { organizationId: werne.id, private: false, state: 'deleted' }));
  t.ok(canRead(actor, { organizationId: werne.id, private: false, state: 'deleted' }), 'editors read withdrawn datasets');
});

t.test('header styles and /users/me', async (t) => {
  for (const headers of [{ authorization: `Bearer ${first.token}` }, { authorization: first.token }, { 'x-ckan-api-key': first.token }]) {
    const r = await app.inject({ url: '/api/v1/users/me', headers });
    t.equal(r.statusCode, 200, Object.keys(headers)[0]);
    t.match(r.json(), { name: 'steward', fullname: 'Data Steward', sysadmin: false, memberships: [{ organization: { name: 'werne' }, role: 'editor' }], token: { label: 'first' } });
  }
  t.equal((await app.inject({ url: '/api/v1/users/me' })).statusCode, 401);
  t.equal((await app.inject({ url: '/api/v1/users/me', headers: { authorization: 'Bearer nope' } })).statusCode, 401, 'REST rejects an unknown token');
  t.equal((await app.inject({ url: '/api/v1/datasets', headers: { authorization: 'Bearer nope' } })).statusCode, 401, 'even on a public read');
});

t.test('a user manages their own tokens', async (t) => {
  const me = { authorization: `Bearer ${first.token}` };
  const made = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: me, payload: { label: 'laptop' } });
  t.equal(made.statusCode, 201);
  const second = made.json();
  t.ok(second.token);
  const list = await app.inject({ url: '/api/v1/tokens', headers: me });
  t.same(list.json().map((x: { label: string }) => x.label).sort(), ['first', 'laptop']);
  t.notOk(list.body.includes(second.token), 'secrets are never listed');
  const adminTokens = (await app.inject({ url: '/api/v1/tokens', headers: admin })).json();
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${adminTokens[0].id}`, headers: me })).statusCode, 404, "someone else's token is not there");
  t.equal((await app.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 200, 'the new token works (and is now known to the process)');
  const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${second.id}`, headers: me });
  t.equal(revoked.statusCode, 200);
  t.ok(revoked.json().revokedAt);
  t.equal((await app.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 401, 'a revoked token is refused at once');
  t.equal(await resolveToken(db, second.token, 'rest'), null);
});

t.test("the plugin with onUnknownToken 'anonymous' (CKAN style), in its own scope", async (t) => {
  const f = Fastify();
  registerErrorHandling(f);
  f.decorate('ctx', ta.app.ctx);
  await f.register(async (scope) => {
    await scope.register(authPlugin, { face: 'ckan', onUnknownToken: 'anonymous' });
    scope.get('/who', async (request) => ({ user: request.actor.userName, face: request.actor.face }));
  });
  await f.register(async (scope) => {
    await scope.register(authPlugin, { face: 'rest', onUnknownToken: 'reject' });
    scope.get('/strict', async (request) => ({ user: request.actor.userName }));
  });
  t.teardown(() => f.close());
  t.same((await f.inject({ url: '/who', headers: { authorization: 'garbage' } })).json(), { user: null, face: 'ckan' });
  t.same((await f.inject({ url: '/who', headers: { 'x-ckan-api-key': first.token } })).json(), { user: 'steward', face: 'ckan' });
  t.equal((await f.inject({ url: '/strict', headers: { authorization: 'garbage' } })).statusCode, 401);
});
