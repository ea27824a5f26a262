import { desc, eq, isNull, and, sql } from 'drizzle-orm';
import { isAuthenticated } from '../../../auth/permissions.js';
import { findUser } from '../../../catalog/users.js';
import { rowsOf } from '../../../db/client.js';
import { apiTokens } from '../../../db/schema.js';
import { LICENSES } from '../../../domain/vocab/index.js';
import { authError, notFoundError, validationError } from '../../../ckan/errors.js';
import { ckanTime } from '../../../ckan/package.js';
import { bool, str } from '../../../ckan/params.js';
import type { ActionContext, Actions } from '../action.js';
import { userDict } from './organizations.js';

/** The CKAN version we answer like: clients pick their 2.10+ code paths from it. */
export const CKAN_VERSION = '2.11.5';

const licenseList = () =>
  LICENSES.map((l) => ({
    id: l.code,
    title: l.label.de,
    url: l.url ?? '',
    status: 'active',
    family: '',
    maintainer: '',
    is_generic: 'False',
    domain_content: 'False',
    domain_data: 'True',
    domain_software: 'False',
    od_conformance: l.open ? 'approved' : 'not reviewed',
    osd_conformance: 'not reviewed',
    // The dcat-ap.de IRI, which DCAT-AP.de documents carry.
    uri: l.iri,
  }));

async function tagList(ctx: ActionContext, data: Record<string, unknown>): Promise<unknown[]> {
  const q = (str(data, 'query') ?? str(data, 'q'))?.toLowerCase();
  const vocabulary = str(data, 'vocabulary_id');
  // Free tags only; of public active datasets (CKAN also lists tags of private ones).
  if (vocabulary) return [];
  const res = await ctx.db.execute(
    sql`SELECT DISTINCT k AS name FROM datasets, unnest(keywords) k WHERE state = 'active' AND NOT private ${q ? sql`AND lower(k) LIKE ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}` : sql``} ORDER BY 1`,
  );
  const names = rowsOf<{ name: string }>(res).map((r) => r.name);
  return bool(data, 'all_fields', false) ? names.map((name) => ({ name, display_name: name, vocabulary_id: null })) : names;
}

async function apiTokenList(ctx: ActionContext, data: Record<string, unknown>): Promise<unknown[]> {
  const ref = str(data, 'user_id') ?? str(data, 'user');
  if (!ref) throw validationError({ user_id: ['Missing value'] });
  const user = await findUser(ctx.db, ref);
  if (!user) throw notFoundError('User not found');
  if (user.id !== ctx.actor.userId && !ctx.actor.sysadmin) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to list tokens of ${user.name}`);
  const rows = await ctx.db.select().from(apiTokens).where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt))).orderBy(desc(apiTokens.createdAt));
  return rows.map((t) => ({ id: t.id, name: t.label, user_id: t.userId, created_at: ckanTime(t.createdAt), last_access: t.lastUsedAt ? ckanTime(t.lastUsedAt) : null }));
}

export const siteActions: Actions = {
  site_read: { sideEffectFree: true, help: 'true (CKAN ≤ 2.10 clients probe it).', run: async () => true },
  status_show: {
    sideEffectFree: true,
    help: 'Site title, URL, default locale, extensions and the CKAN version this API follows.',
    run: async (ctx) => ({
      site_title: ctx.config.catalog.title,
      site_description: ctx.config.catalog.description,
      site_url: ctx.config.publicUrl,
      error_emails_to: null,
      locale_default: ctx.config.catalog.language,
      extensions: ['activity', 'dcat', 'dcatde', 'harvest'],
      ckan_version: CKAN_VERSION,
    }),
  },
  tag_list: { sideEffectFree: true, help: 'Free tags of public datasets, by name (query: substring; all_fields).', run: tagList },
  license_list: { sideEffectFree: true, help: 'The dcat-ap.de licences with the ids CKAN portals use.', run: async () => licenseList() },
  user_show: {
    sideEffectFree: true,
    help: 'A user (id: id or name); without id the caller.',
    async run(ctx, data) {
      const ref = str(data, 'id') ?? str(data, 'user_obj');
      if (ref) return userDict(ctx, ref);
      if (!isAuthenticated(ctx.actor) || !ctx.actor.userId) throw notFoundError();
      return userDict(ctx, ctx.actor.userId);
    },
  },
  api_token_list: { sideEffectFree: true, help: "A user's API tokens (user_id), never the secrets.", run: apiTokenList },
};
