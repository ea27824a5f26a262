import { eq, sql } from 'drizzle-orm';
import { orgsWith } from '../../../auth/permissions.js';
import type { Role } from '../../../auth/actor.js';
import { listMembers } from '../../../catalog/members.js';
import type { Organization } from '../../../catalog/organizations.js';
import { findUser } from '../../../catalog/users.js';
import { rowsOf } from '../../../db/client.js';
import { memberships, users } from '../../../db/schema.js';
import { themes } from '../../../domain/vocab/index.js';
import { AppError } from '../../../errors.js';
import { CkanError, fromAppError, notFoundError, validationError } from '../../../ckan/errors.js';
import { ckanTime, groupDict, organizationDict, type Dict } from '../../../ckan/package.js';
import { bool, natural, required, str, strings, type Data } from '../../../ckan/params.js';
import type { ActionContext, Actions } from '../action.js';
import { packageSearch } from './search.js';

/** CKAN caps lists silently (25 dicts); we cap at one bound for names and dicts alike, high enough to be seen. */
const LIST_MAX = 1000;
const CAPACITY: Record<Role, string> = { admin: 'Admin', editor: 'Editor', member: 'Member' };
/** CKAN's permission names → the least role that has them (ckan/authz.py ROLE_PERMISSIONS). */
const PERMISSION_ROLE: Record<string, Role> = {
  read: 'member',
  manage_group: 'member',
  create_dataset: 'editor',
  update_dataset: 'editor',
  delete_dataset: 'editor',
  admin: 'admin',
  membership: 'admin',
};

/** Datasets the caller can see, counted per organization id. */
async function countsByOrganization(ctx: ActionContext): Promise<Map<string, number>> {
  const member = orgsWith(ctx.actor, 'member');
  const readable = ctx.actor.sysadmin
    ? sql`TRUE`
    : member.length
      ? sql`(NOT private OR organization_id IN (${sql.join(member.map((id) => sql`${id}::uuid`), sql`, `)}))`
      : sql`NOT private`;
  const res = await ctx.db.execute(sql`SELECT organization_id::text AS id, count(*)::int AS n FROM datasets WHERE state = 'active' AND ${readable} GROUP BY organization_id`);
  return new Map(rowsOf<{ id: string; n: number }>(res).map((r) => [r.id, Number(r.n)]));
}

async function countsByTheme(ctx: ActionContext): Promise<Map<string, number>> {
  const res = await ctx.db.execute(sql`SELECT lower(t) AS code, count(*)::int AS n FROM datasets, unnest(themes) t WHERE state = 'active' AND NOT private GROUP BY 1`);
  return new Map(rowsOf<{ code: string; n: number }>(res).map((r) => [r.code, Number(r.n)]));
}

interface Listed {
  name: string;
  title: string;
  description: string;
  count: number;
  dict: () => Dict;
}

/** organization_list / group_list: sort, q, filter by names, limit/offset, names or dicts. */
function listOf(items: Listed[], data: Data, filterKey: string): unknown[] {
  const sort = (str(data, 'sort') ?? 'title asc').trim();
  const m = /^(name|title|package_count|packages)(?:\s+(asc|desc))?$/i.exec(sort);
  if (!m) {
    const field = sort.split(/\s+/)[0];
    if (/^(name|title|package_count|packages)$/.test(field)) throw validationError({ message: ['Invalid sort direction'] });
    throw validationError({ message: [`Cannot sort by field \`${field}\``] });
  }
  const field = m[1].toLowerCase();
  const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  const q = str(data, 'q')?.toLowerCase();
  const only = strings(data, filterKey);
  let list = items.filter((i) => (!q || `${i.name} ${i.title} ${i.description}`.toLowerCase().includes(q)) && (!only.length || only.includes(i.name)));
  list = list.sort((a, b) => {
    const d = field === 'package_count' || field === 'packages' ? a.count - b.count : field === 'name' ? a.name.localeCompare(b.name) : (a.title || a.name).localeCompare(b.title || b.name, 'de');
    return d * dir || a.name.localeCompare(b.name);
  });
  const offset = natural(data, 'offset', 0);
  const limit = natural(data, 'limit', LIST_MAX, LIST_MAX);
  list = list.slice(offset, offset + limit);
  return bool(data, 'all_fields', false) ? list.map((i) => i.dict()) : list.map((i) => i.name);
}

async function organizations(ctx: ActionContext): Promise<Organization[]> {
  return [...new Set((await ctx.organizations()).values())];
}

async function orgListed(ctx: ActionContext, data: Data): Promise<Listed[]> {
  const counts = await countsByOrganization(ctx);
  const withCount = bool(data, 'include_dataset_count', true);
  return (await organizations(ctx)).map((o) => ({
    name: o.name,
    title: o.title,
    description: o.description,
    count: counts.get(o.id) ?? 0,
    dict: () => organizationDict(o, { ...(withCount ? { package_count: counts.get(o.id) ?? 0 } : {}), num_followers: 0, extras: [] }),
  }));
}

function themeListed(counts: Map<string, number>, lang: string): Listed[] {
  return themes.concepts.map((c) => {
    const dict = groupDict(c.iri, lang, { package_count: counts.get(c.code.toLowerCase()) ?? 0, num_followers: 0, extras: [] });
    return { name: String(dict.name), title: String(dict.title), description: '', count: Number(dict.package_count), dict: () => dict };
  });
}

async function findOrg(ctx: ActionContext, ref: string): Promise<Organization> {
  const org = (await ctx.organizations()).get(ref);
  if (!org) throw notFoundError('Organization was not found.');
  return org;
}

async function organizationShow(ctx: ActionContext, data: Data): Promise<Dict> {
  const org = await findOrg(ctx, required(data, 'id'));
  const counts = await countsByOrganization(ctx);
  const dict = organizationDict(org, { package_count: counts.get(org.id) ?? 0, num_followers: 0, extras: [], groups: [], tags: [] });
  if (bool(data, 'include_users', true)) {
    try {
      const members = await listMembers(ctx.db, ctx.actor, org.id);
      dict.users = members.map((m) => ({ id: m.userId, name: m.userName, fullname: m.fullname, display_name: m.fullname || m.userName, capacity: m.role, state: 'active' }));
    } catch (err) {
      // Members are shown to members only.
      if (!(err instanceof AppError)) throw err;
      dict.users = [];
    }
  }
  if (bool(data, 'include_datasets', false)) {
    const res = await packageSearch(ctx, { fq: `owner_org:"${org.id}"`, rows: 1000, include_private: true });
    dict.packages = res.results;
  }
  return dict;
}

async function groupShow(ctx: ActionContext, data: Data): Promise<Dict> {
  const ref = required(data, 'id');
  const concept = themes.resolve(ref);
  if (!concept) throw notFoundError('Group was not found.');
  const counts = await countsByTheme(ctx);
  const dict = groupDict(concept.iri, ctx.config.catalog.language, { package_count: counts.get(concept.code.toLowerCase()) ?? 0, num_followers: 0, extras: [], users: [] });
  if (bool(data, 'include_datasets', false)) {
    const res = await packageSearch(ctx, { fq: `groups:${concept.code.toLowerCase()}`, rows: 1000 });
    dict.packages = res.results;
  }
  return dict;
}

async function organizationListForUser(ctx: ActionContext, data: Data): Promise<Dict[]> {
  const ref = str(data, 'id');
  let sysadmin = ctx.actor.sysadmin;
  let roles = ctx.actor.roles;
  if (ref && ref !== ctx.actor.userId && ref !== ctx.actor.userName) {
    if (!ctx.actor.sysadmin) throw new CkanError('Authorization Error', 'Access denied: only sysadmins can list the organizations of other users');
    const user = await findUser(ctx.db, ref);
    if (!user) throw notFoundError('User not found');
    const rows = await ctx.db.select().from(memberships).where(eq(memberships.userId, user.id));
    roles = new Map(rows.map((r) => [r.organizationId, r.role]));
    sysadmin = user.sysadmin;
  }
  const permission = str(data, 'permission') ?? 'manage_group';
  const least = PERMISSION_ROLE[permission] ?? 'admin';
  const rank: Record<Role, number> = { member: 1, editor: 2, admin: 3 };
  const counts = bool(data, 'include_dataset_count', false) ? await countsByOrganization(ctx) : undefined;
  return (await organizations(ctx))
    .filter((o) => sysadmin || (roles.has(o.id) && rank[roles.get(o.id) as Role] >= rank[least]))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => organizationDict(o, { capacity: sysadmin ? 'admin' : roles.get(o.id), ...(counts ? { package_count: counts.get(o.id) ?? 0 } : {}) }));
}

/** member_list: [id, type, capacity]; users only for members of the organization (CKAN shows them to all). */
async function memberList(ctx: ActionContext, data: Data): Promise<[string, string, string][]> {
  const ref = required(data, 'id');
  const objectType = str(data, 'object_type');
  const capacity = str(data, 'capacity');
  const theme = themes.resolve(ref);
  const org = theme ? undefined : await findOrg(ctx, ref);
  const out: [string, string, string][] = [];
  if (objectType !== 'user') {
    const where = org ? sql`organization_id = ${org.id}::uuid` : sql`themes @> ARRAY[${theme?.code ?? ''}]::text[]`;
    const visible = ctx.actor.sysadmin || (org && orgsWith(ctx.actor, 'member').includes(org.id)) ? sql`TRUE` : sql`NOT private`;
    const res = await ctx.db.execute(sql`SELECT id::text AS id, private FROM datasets WHERE state = 'active' AND ${where} AND ${visible} ORDER BY name`);
    for (const r of rowsOf<{ id: string; private: boolean }>(res)) out.push([r.id, 'package', r.private ? 'private' : 'public']);
  }
  if (objectType !== 'package' && org) {
    try {
      for (const m of await listMembers(ctx.db, ctx.actor, org.id)) out.push([m.userId, 'user', CAPACITY[m.role]]);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (objectType === 'user') throw fromAppError(err);
    }
  }
  return capacity ? out.filter((m) => m[2].toLowerCase() === capacity.toLowerCase()) : out;
}

/** user dicts for user_show: e-mail only for the user themself and sysadmins. */
export async function userDict(ctx: ActionContext, ref: string): Promise<Dict> {
  const user = await findUser(ctx.db, ref);
  if (!user) throw notFoundError('User not found');
  const self = user.id === ctx.actor.userId;
  const [{ n }] = rowsOf<{ n: number }>(await ctx.db.execute(sql`SELECT count(DISTINCT dataset_id)::int AS n FROM revisions WHERE user_id = ${user.id}::uuid AND action = 'create'`));
  const [row] = await ctx.db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, user.id));
  return {
    id: user.id,
    name: user.name,
    fullname: user.fullname,
    display_name: user.fullname || user.name,
    about: null,
    created: ckanTime(row.createdAt),
    sysadmin: user.sysadmin,
    state: 'active',
    number_created_packages: Number(n),
    ...(self || ctx.actor.sysadmin ? { email: user.email } : {}),
  };
}

export const organizationActions: Actions = {
  organization_list: {
    sideEffectFree: true,
    help: 'Organization names, or dicts with all_fields=true (sort: name, title, package_count with asc/desc; q; limit ≤ 1000; offset).',
    run: async (ctx, data) => listOf(await orgListed(ctx, data), data, 'organizations'),
  },
  organization_show: { sideEffectFree: true, help: 'One organization (include_datasets, include_users).', run: organizationShow },
  organization_list_for_user: { sideEffectFree: true, help: 'Organizations where the user (default: the caller) has a permission (default manage_group).', run: organizationListForUser },
  group_list: {
    sideEffectFree: true,
    help: 'The EU data themes as groups (GovData names: agri, econ, ...).',
    run: async (ctx, data) => listOf(themeListed(await countsByTheme(ctx), ctx.config.catalog.language), data, 'groups'),
  },
  group_show: { sideEffectFree: true, help: 'One data theme as a group (include_datasets).', run: groupShow },
  member_list: { sideEffectFree: true, help: 'Members of an organization or group as [id, type, capacity] (object_type, capacity).', run: memberList },
};
