import t from 'tap';
import type { InjectOptions } from 'fastify';
import { testApp } from '../../helpers/app.js';
import { admin, bearer, create, CSV, dataset, DL_BY, userWithRole } from '../../helpers/rest.js';

/** Every write endpoint against every kind of caller, table-driven. */
const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;

type Who = 'anonymous' | 'member' | 'editor' | 'admin' | 'sysadmin' | 'other';
const headers: Record<Who, Record<string, string>> = {
  anonymous: {},
  member: bearer(await userWithRole(app, 'mem', 'unna', 'member')),
  editor: bearer(await userWithRole(app, 'edi', 'unna', 'editor')),
  admin: bearer(await userWithRole(app, 'adm', 'unna', 'admin')),
  sysadmin: admin,
  other: bearer(await userWithRole(app, 'oth', 'kamen', 'editor')),
};
await userWithRole(app, 'target');

interface Case {
  name: string;
  request: (ds: { id: string; distId: string }) => { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: unknown };
  expect: Record<Who, number>;
  /** Does a refused call leave the dataset as it was? (dataset endpoints) */
  dataset: boolean;
}
const editorsMay = { anonymous: 401, member: 403, editor: 0, admin: 0, sysadmin: 0, other: 403 };
const cases: Case[] = [
  { name: 'POST /datasets', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/datasets', payload: dataset() }), expect: { ...editorsMay, editor: 201, admin: 201, sysadmin: 201 } },
  { name: 'PUT /datasets/{id}', dataset: true, request: ({ id }) => ({ method: 'PUT', url: `/api/v1/datasets/${id}`, payload: dataset({ title: 'Neu' }) }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'PATCH /datasets/{id}', dataset: true, request: ({ id }) => ({ method: 'PATCH', url: `/api/v1/datasets/${id}`, payload: { title: 'Neu' } }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'DELETE /datasets/{id}', dataset: true, request: ({ id }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}` }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'DELETE /datasets/{id}?purge=true', dataset: true, request: ({ id }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}?purge=true` }), expect: { ...editorsMay, editor: 403, admin: 403, sysadmin: 204 } },
  {
    name: 'POST /datasets/{id}/distributions',
    dataset: true,
    request: ({ id }) => ({ method: 'POST', url: `/api/v1/datasets/${id}/distributions`, payload: { accessURL: ['https://example.org/x'], format: CSV, license: DL_BY } }),
    expect: { ...editorsMay, editor: 201, admin: 201, sysadmin: 201 },
  },
  { name: 'PUT /distributions/{d}', dataset: true, request: ({ id, distId }) => ({ method: 'PUT', url: `/api/v1/datasets/${id}/distributions/${distId}`, payload: { accessURL: ['https://example.org/y'] } }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'PATCH /distributions/{d}', dataset: true, request: ({ id, distId }) => ({ method: 'PATCH', url: `/api/v1/datasets/${id}/distributions/${distId}`, payload: { title: 'T' } }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'DELETE /distributions/{d}', dataset: true, request: ({ id, distId }) => ({ method: 'DELETE', url: `/api/v1/datasets/${id}/distributions/${distId}` }), expect: { ...editorsMay, editor: 204, admin: 204, sysadmin: 204 } },
  { name: 'POST /revisions/1/restore', dataset: true, request: ({ id }) => ({ method: 'POST', url: `/api/v1/datasets/${id}/revisions/1/restore` }), expect: { ...editorsMay, editor: 200, admin: 200, sysadmin: 200 } },
  { name: 'PUT /organizations/{id}/members/{user}', dataset: false, request: () => ({ method: 'PUT', url: '/api/v1/organizations/unna/members/target', payload: { role: 'member' } }), expect: { anonymous: 401, member: 403, editor: 403, admin: 200, sysadmin: 200, other: 403 } },
  { name: 'DELETE /organizations/{id}/members/{user}', dataset: false, request: () => ({ method: 'DELETE', url: '/api/v1/organizations/unna/members/target' }), expect: { anonymous: 401, member: 403, editor: 403, admin: 204, sysadmin: 204, other: 403 } },
  { name: 'POST /organizations', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/organizations', payload: { name: `org-${Math.random().toString(36).slice(2, 8)}`, title: 'Neue Organisation' } }), expect: { anonymous: 401, member: 403, editor: 403, admin: 403, sysadmin: 201, other: 403 } },
  { name: 'PATCH /organizations/{id}', dataset: false, request: () => ({ method: 'PATCH', url: '/api/v1/organizations/unna', payload: { description: 'Neu' } }), expect: { anonymous: 401, member: 403, editor: 403, admin: 403, sysadmin: 200, other: 403 } },
  { name: 'POST /users', dataset: false, request: () => ({ method: 'POST', url: '/api/v1/users', payload: { name: `u-${Math.random().toString(36).slice(2, 8)}` } }), expect: { anonymous: 401, member: 403, editor: 403, admin: 403, sysadmin: 201, other: 403 } },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    for (const who of Object.keys(headers) as Who[]) {
      // Each caller gets a fresh dataset (and the member to remove exists again).
      const { doc, etag } = await create(app);
      const distId = (doc.distribution as { id: string }[])[0].id;
      if (c.name.startsWith('DELETE /organizations')) await app.inject({ method: 'PUT', url: '/api/v1/organizations/unna/members/target', headers: admin, payload: { role: 'member' } });
      const r = await app.inject({ ...c.request({ id: doc.id, distId }), headers: headers[who] } as InjectOptions);
      t.equal(r.statusCode, c.expect[who], `${who}: ${r.body.slice(0, 200)}`);
      if (r.statusCode >= 400) {
        t.type(r.json().error.code, 'string');
        if (c.dataset) t.equal((await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: admin })).headers.etag, etag, `${who}: dataset unchanged`);
      }
    }
  });
}
