import t from 'tap';
import type { InjectOptions } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { testApp } from '../../helpers/app.js';
import { apiTokens, auditLog, datasets, distributions, memberships, organizations, revisions, users } from '../../../src/db/schema.js';
import { admin, bearer, create, CSV, dataset, DL_BY, userWithRole } from '../../helpers/rest.js';

/**
 * Every write endpoint against every kind of caller, table-driven; on public
 * and on private datasets. A refused write changes no row of any table.
 */
const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;
const db = ta.db.database.db;

type Who = 'anonymous' | 'member' | 'editor' | 'admin' | 'sysadmin' | 'otherMember' | 'otherEditor';
const names: Record<Exclude<Who, 'anonymous' | 'sysadmin'>, string> = { member: 'mem', editor: 'edi', admin: 'adm', otherMember: 'othm', otherEditor: 'oth' };
const headers: Record<Who, Record<string, string>> = {
  anonymous: {},
  member: bearer(await userWithRole(app, 'mem', 'unna', 'member')),
  editor: bearer(await userWithRole(app, 'edi', 'unna', 'editor')),
  admin: bearer(await userWithRole(app, 'adm', 'unna', 'admin')),
  sysadmin: admin,
  otherMember: bearer(await userWithRole(app, 'othm', 'kamen', 'member')),
  otherEditor: bearer(await userWithRole(app, 'oth', 'kamen', 'editor')),
};
const callers = Object.keys(headers) as Who[];
await userWithRole(app, 'target');

/** Rows of every table a write could touch. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries({ datasets, revisions, distributions, organizations, memberships, users, apiTokens, auditLog })) {
    const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
    out[name] = Number(r.n);
  }
  return out;
}

interface Fixture {
  id: string;
  distId: string;
  /** A token of the caller that the caller may revoke. */
  ownTokenId?: string;
  /** An organization without datasets, for deletion. */
  emptyOrg: string;
}
type Req = { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: unknown };
interface Case {
  name: string;
  request: (f: Fixture) => Req;
  expect: Record<Who, number>;
  /** Dataset endpoints also run on a private dataset, where outsiders get 404. */
  dataset: boolean;
  /** Revisions of the dataset after a successful call (create + this write). */
  revisionsAfter?: number;
}

const outsiders = { otherMember: 403, otherEditor: 403 };
const editorsMay = (ok: number) => ({ anonymous: 401, member: 403, editor: ok, admin: ok, sysadmin: ok, ...outsiders });
const sysadminsMay = (ok: number) => ({ anonymous: 401, member: 403, editor: 403, admin: 403, sysadmin: ok, ...outsiders });
const usersMay = (ok: number) => ({ anonymous: 401, member: ok, editor: ok, admin: ok, sysadmin: ok, otherMember: ok, otherEditor: ok });
const rnd = () => Math.random().toString(36).slice(2, 8);

const cases: Case[] = [
  { name: 'POST /datasets', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/datasets', payload: dataset() }), expect: editorsMay(201) },
  { name: 'PUT /datasets/{id}', dataset: true, revisionsAfter: 2, request: ({ id }) => ({ method: 'PUT', url: `/api/v1/datasets/${id}`, payload: dataset({ title: 'Neu' }) }), expect: editorsMay(200) },
  { name: 'PATCH /datasets/{id}', dataset: true, revisionsAfter: 2, request: ({ id }) => ({ method: 'PATCH', url: `/api/v1/datasets/${id}`, payload: { title: 'Neu' } }), expect: editorsMay(200) },
  { name: 'DELETE /datasets/{id}', dataset: true, revisionsAfter: 2, request: ({ id }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}` }), expect: editorsMay(200) },
  { name: 'DELETE /datasets/{id}?purge=true', dataset: true, revisionsAfter: 0, request: ({ id }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}?purge=true` }), expect: { ...editorsMay(403), sysadmin: 204 } },
  {
    name: 'POST /datasets/{id}/distributions',
    dataset: true,
    revisionsAfter: 2,
    request: ({ id }) => ({ method: 'POST', url: `/api/v1/datasets/${id}/distributions`, payload: { accessURL: ['https://example.org/x'], format: CSV, license: DL_BY } }),
    expect: editorsMay(201),
  },
  { name: 'PUT /distributions/{d}', dataset: true, revisionsAfter: 2, request: ({ id, distId }) => ({ method: 'PUT', url: `/api/v1/datasets/${id}/distributions/${distId}`, payload: { accessURL: ['https://example.org/y'] } }), expect: editorsMay(200) },
  { name: 'PATCH /distributions/{d}', dataset: true, revisionsAfter: 2, request: ({ id, distId }) => ({ method: 'PATCH', url: `/api/v1/datasets/${id}/distributions/${distId}`, payload: { title: 'T' } }), expect: editorsMay(200) },
  { name: 'DELETE /distributions/{d}', dataset: true, revisionsAfter: 2, request: ({ id, distId }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}/distributions/${distId}` }), expect: editorsMay(204) },
  { name: 'POST /revisions/1/restore', dataset: true, revisionsAfter: 2, request: ({ id }) => ({ method: 'POST', url: `/api/v1/datasets/${id}/revisions/1/restore` }), expect: editorsMay(200) },
  { name: 'PUT /organizations/{id}/members/{user}', dataset: false, request: () => ({ method: 'PUT', url: '/api/v1/organizations/unna/members/target', payload: { role: 'editor' } }), expect: { ...sysadminsMay(200), admin: 200 } },
  { name: 'DELETE /organizations/{id}/members/{user}', dataset: false, request: () => ({ method: 'DELETE', url: '/api/v1/organizations/unna/members/target' }), expect: { ...sysadminsMay(204), admin: 204 } },
  { name: 'POST /organizations', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/organizations', payload: { name: `org-${rnd()}`, title: 'Neue Organisation' } }), expect: sysadminsMay(201) },
  { name: 'PUT /organizations/{id}', dataset: false, request: () => ({ method: 'PUT', url: '/api/v1/organizations/unna', payload: { title: 'Kreisstadt Unna', description: 'Neu' } }), expect: sysadminsMay(200) },
  { name: 'PATCH /organizations/{id}', dataset: false, request: () => ({ method: 'PATCH', url: '/api/v1/organizations/unna', payload: { description: 'Neu' } }), expect: sysadminsMay(200) },
  { name: 'DELETE /organizations/{id}', dataset: false, request: ({ emptyOrg }) => ({ method: 'DELETE', url: `/api/v1/organizations/${emptyOrg}` }), expect: sysadminsMay(204) },
  { name: 'POST /users', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/users', payload: { name: `u-${rnd()}` } }), expect: sysadminsMay(201) },
  { name: 'POST /users/{user}/tokens', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/users/target/tokens', payload: { label: 'issued' } }), expect: sysadminsMay(201) },
  { name: 'POST /tokens', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { label: 'own' } }), expect: usersMay(201) },
  {
    name: 'DELETE /tokens/{id} (own token)',
    dataset: false,
    // Anonymous callers are refused before the token is looked up.
    request: ({ ownTokenId }) => ({ method: 'DELETE', url: `/api/v1/tokens/${ownTokenId ?? '00000000-0000-4000-8000-000000000000'}` }),
    expect: usersMay(200),
  },
];

/** A second token of the caller, issued by the sysadmin: the one the caller revokes. */
async function spareToken(who: Who): Promise<string | undefined> {
  const user = who === 'sysadmin' ? 'admin' : who === 'anonymous' ? undefined : names[who];
  if (!user) return undefined;
  const r = await app.inject({ method: 'POST', url: `/api/v1/users/${user}/tokens`, headers: admin, payload: { label: 'spare' } });
  return r.json<{ id: string }>().id;
}

for (const c of cases) {
  for (const visibility of c.dataset ? (['public', 'private'] as const) : (['public'] as const)) {
    t.test(`${c.name} (${visibility} dataset)`, async (t) => {
      for (const who of callers) {
        // Each caller gets a fresh dataset, an empty organization, and the member to remove exists again.
        const { doc, etag } = await create(app, dataset({ private: visibility === 'private' }));
        const emptyOrg = `empty-${rnd()}`;
        await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: admin, payload: { name: emptyOrg, title: 'Leer' } });
        await app.inject({ method: 'PUT', url: '/api/v1/organizations/unna/members/target', headers: admin, payload: { role: 'member' } });
        const fixture: Fixture = { id: doc.id, distId: (doc.distribution as { id: string }[])[0].id, emptyOrg, ownTokenId: c.name.startsWith('DELETE /tokens') ? await spareToken(who) : undefined };

        // Outsiders cannot see a private dataset: for them it does not exist.
        const expected = visibility === 'private' && (who === 'otherMember' || who === 'otherEditor') ? 404 : c.expect[who];
        const before = await counts();
        const r = await app.inject({ ...c.request(fixture), headers: headers[who] } as InjectOptions);
        t.equal(r.statusCode, expected, `${who}: ${r.body.slice(0, 200)}`);
        if (r.statusCode >= 400) {
          t.type(r.json().error.code, 'string', `${who}: error code`);
          t.type(r.json().error.message, 'string', `${who}: error message`);
          t.same(await counts(), before, `${who}: no row changed`);
          if (c.dataset) t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: admin })).headers.etag, etag, `${who}: dataset unchanged`);
        } else if (c.revisionsAfter !== undefined) {
          const revs = await db.select().from(revisions).where(eq(revisions.datasetId, doc.id));
          t.equal(revs.length, c.revisionsAfter, `${who}: the write left its revision`);
          if (revs.length) t.equal(revs.find((x) => x.revision === 2)?.userName, who === 'sysadmin' ? 'admin' : names[who as keyof typeof names], `${who}: the revision names the caller`);
        }
      }
    });
  }
}
