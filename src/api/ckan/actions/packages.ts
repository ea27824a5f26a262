import { desc, eq, or, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { createDataset, getDataset, isUuid, modifyDataset, toStored, updateDataset, withdrawDataset, type DatasetInput, type StoredDataset } from '../../../catalog/datasets.js';
import { canEditOrg, isAuthenticated } from '../../../auth/permissions.js';
import { datasets, distributions, revisions } from '../../../db/schema.js';
import { AppError } from '../../../errors.js';
import { authError, CkanError, fromAppError, missing, notFoundError, validationError } from '../../../ckan/errors.js';
import { packageToDataset, resourceDict, resourceToDistribution, shadowedFallbacks, type Dict } from '../../../ckan/package.js';
import { natural, required, str, type Data } from '../../../ckan/params.js';
import type { ActionContext, Actions } from '../action.js';

/** Runs a catalog call and answers its errors in CKAN's terms. */
async function ckan<T>(fn: () => Promise<T>, resourceCount = 0): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw fromAppError(err, resourceCount);
    throw err;
  }
}

const NAME = /^[a-z0-9_-]*$/;
const TAG = /^[\p{L}\p{N}_ .-]*$/u;

/**
 * CKAN's default-schema checks that the model does not make itself (name, tags, shapes). `ownTags`: keywords the dataset already has
 * (harvested or published through REST, where keywords are free text) pass the
 * character rule, so what package_show gives can be sent back with package_update.
 */
function checkPackage(pkg: Data, creating: boolean, ownTags: ReadonlySet<string> = new Set()): void {
  for (const k of ['resources', 'tags', 'extras', 'groups']) {
    const v = pkg[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x)))) {
      if (k === 'tags' && Array.isArray(v) && v.every((x) => typeof x === 'string')) continue;
      throw new CkanError('Integrity Error', `Only lists of dicts can be placed against subschema ('${k}',), not ${Array.isArray(v) ? 'list' : typeof v}`);
    }
  }
  const errors: Record<string, string[]> = {};
  const name = pkg.name;
  if (name === undefined || name === '') {
    if (creating) errors.name = ['Missing value'];
  } else if (typeof name !== 'string') errors.name = ['Names must be strings'];
  else {
    const e: string[] = [];
    if (!NAME.test(name)) e.push('Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_');
    if (name.length < 2) e.push('Must be at least 2 characters long');
    if (name.length > 100) e.push('Name must be a maximum of 100 characters long');
    if (['new', 'edit', 'search'].includes(name)) e.push('That name cannot be used');
    if (e.length) errors.name = e;
  }
  if (creating && (pkg.owner_org === undefined || pkg.owner_org === '')) errors.owner_org = ['An organization must be provided'];
  if (typeof pkg.version === 'string' && pkg.version.length > 100) errors.version = ['Version must be a maximum of 100 characters long'];
  for (const k of ['author_email', 'maintainer_email']) {
    const v = pkg[k];
    if (typeof v === 'string' && v.trim() && !/^[^@\s]+@[^@\s]+$/.test(v.trim())) (errors[k] ??= []).push(`Email ${v} is not a valid format`);
  }
  const tags = Array.isArray(pkg.tags) ? pkg.tags.map((t) => (typeof t === 'string' ? t : (t as { name?: unknown }).name)) : [];
  for (const t of tags) {
    if (typeof t !== 'string') continue;
    if (t.length < 2) (errors.tags ??= []).push(`Tag "${t}" length is less than minimum 2`);
    else if (t.length > 100) (errors.tags ??= []).push(`Tag "${t}" length is more than maximum 100`);
    if (!TAG.test(t) && !ownTags.has(t)) (errors.tags ??= []).push(`Tag "${t}" can only contain alphanumeric characters, spaces (" "), hyphens ("-"), underscores ("_") or dots (".")`);
  }
  const keys = new Set<string>();
  for (const e of Array.isArray(pkg.extras) ? (pkg.extras as { key?: unknown }[]) : []) {
    if (typeof e.key !== 'string' || !e.key) (errors.extras ??= []).push('Missing value');
    else if (keys.has(e.key)) (errors.extras ??= []).push(`Duplicate key "${e.key}"`);
    else keys.add(e.key);
  }
  if (Object.keys(errors).length) throw validationError(errors);
}

/**
 * A dataset the caller may read. One that exists but is not readable
 * (private, draft or deleted, caller outside its organization) is an
 * Authorization Error, as in CKAN (logic/auth/get.py package_show), not Not Found.
 */
async function showPackage(ctx: ActionContext, ref: string): Promise<StoredDataset> {
  try {
    return await ckan(() => getDataset(ctx.db, ctx.actor, ref, { includeDeleted: true }));
  } catch (err) {
    if (!(err instanceof CkanError && err.type === 'Not Found Error')) throw err;
    const [row] = await ctx.db
      .select({ id: datasets.id })
      .from(datasets)
      .where(isUuid(ref) ? or(eq(datasets.id, ref), eq(datasets.name, ref)) : eq(datasets.name, ref))
      .limit(1);
    if (row) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to read package ${row.id}`);
    throw err;
  }
}

const lang = (ctx: ActionContext) => ctx.config.catalog.language;

async function packageCreate(ctx: ActionContext, pkg: Data): Promise<Dict> {
  if (!isAuthenticated(ctx.actor)) throw authError('User  not authorized to create packages');
  const orgRef = str(pkg, 'owner_org');
  if (orgRef) {
    const org = (await ctx.organizations()).get(orgRef);
    if (org && !canEditOrg(ctx.actor, org.id)) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to add dataset to this organization`);
    if (!org) throw validationError({ owner_org: ['Organization does not exist'] });
  }
  checkPackage(pkg, true);
  let id: string | undefined;
  if (pkg.id !== undefined && pkg.id !== '') {
    if (!ctx.actor.sysadmin) throw validationError({ id: ['The input field id was not expected.'] });
    if (typeof pkg.id !== 'string' || !isUuid(pkg.id)) throw validationError({ id: ['Invalid id provided'] });
    id = pkg.id;
    const [exists] = await ctx.db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, id));
    if (exists) throw validationError({ id: ['Dataset id already exists'] });
  }
  const { doc } = packageToDataset(pkg, lang(ctx));
  const resources = Array.isArray(pkg.resources) ? pkg.resources.length : 0;
  const create = (db: Tx) => createDataset(db, ctx.config, ctx.actor, doc, { id });
  const stored = await ckan(async () => {
    try {
      return await create(ctx.db);
    } catch (err) {
      const nameTaken = err instanceof AppError && err.status === 409 && Array.isArray(err.details) && err.details.some((d: { path?: string }) => d.path === '/name');
      if (!nameTaken) throw err;
      // Held by a deleted dataset? Then it gives the name up, in one transaction with the create.
      return ctx.db.transaction(async (tx) => {
        if (!(await freeDeletedName(tx, ctx, String(pkg.name)))) throw err;
        return create(tx);
      });
    }
  }, resources);
  return ctx.packageOf(stored);
}

/**
 * CKAN lets a new dataset take the name of a deleted one: the deleted record
 * is renamed to its id (ckan/logic/action/create.py). Only a deleted dataset
 * the caller may edit gives up its name; otherwise the name stays taken.
 */
async function freeDeletedName(tx: Tx, ctx: ActionContext, name: string): Promise<boolean> {
  const [row] = await tx.select({ id: datasets.id, organizationId: datasets.organizationId, state: datasets.state }).from(datasets).where(eq(datasets.name, name));
  if (!row || row.state !== 'deleted' || !canEditOrg(ctx.actor, row.organizationId)) return false;
  await tx
    .update(datasets)
    .set({ name: row.id, doc: sql`jsonb_set(${datasets.doc}, '{name}', to_jsonb(${row.id}::text))` })
    .where(eq(datasets.id, row.id));
  return true;
}

function keywordsOf(keyword: unknown): Set<string> {
  const lists = Array.isArray(keyword) ? [keyword] : keyword && typeof keyword === 'object' ? Object.values(keyword) : [];
  return new Set(lists.flat().filter((k): k is string => typeof k === 'string'));
}

/** package_update: a whole package; without `resources` (or `groups`) the current ones stay (CKAN 2.12). */
async function packageUpdate(ctx: ActionContext, pkg: Data): Promise<Dict> {
  const ref = str(pkg, 'id') || str(pkg, 'name');
  if (!ref) throw validationError({ id: 'Missing value' });
  const current = await showPackage(ctx, ref);
  if (!canEditOrg(ctx.actor, current.organizationId)) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to edit package ${current.id}`);
  checkPackage(pkg, false, keywordsOf(current.doc.keyword));
  const { doc, has } = packageToDataset(pkg, lang(ctx));
  if (!has.resources) doc.distribution = current.doc.distribution as DatasetInput['distribution'];
  if (pkg.groups === undefined && doc.theme === undefined && current.doc.theme) doc.theme = current.doc.theme;
  const stored = await ckan(() => updateDataset(ctx.db, ctx.config, ctx.actor, current.id, doc), Array.isArray(pkg.resources) ? pkg.resources.length : 0);
  return ctx.packageOf(stored);
}

/** package_patch: the current dict with the given top-level keys replaced, then package_update. */
async function packagePatch(ctx: ActionContext, data: Data): Promise<Dict> {
  const ref = str(data, 'id') || str(data, 'name');
  if (!ref) throw validationError({ id: 'Missing value' });
  const current = await ctx.packageOf(await showPackage(ctx, ref));
  const merged: Dict = { ...current, ...data, id: current.id };
  // A field the patch sets must not be overridden by the JSON backup of its old value.
  const drop = shadowedFallbacks(Object.keys(data));
  if (!('extras' in data)) merged.extras = (current.extras as { key: string }[]).filter((e) => !drop.has(e.key));
  return packageUpdate(ctx, merged);
}

async function packageDelete(ctx: ActionContext, data: Data): Promise<null> {
  const ref = required(data, 'id');
  await showPackage(ctx, ref);
  if (!isAuthenticated(ctx.actor)) throw authError('User  not authorized to delete package');
  await ckan(() => withdrawDataset(ctx.db, ctx.actor, ref));
  return null;
}

/** The dataset holding a resource, through the distributions lookup. */
async function packageOfResource(ctx: ActionContext, resourceId: string): Promise<{ stored: StoredDataset; index: number }> {
  if (!isUuid(resourceId)) throw notFoundError('Resource was not found.');
  const [row] = await ctx.db.select({ datasetId: distributions.datasetId }).from(distributions).where(eq(distributions.id, resourceId));
  if (!row) throw notFoundError('Resource was not found.');
  const stored = await showPackage(ctx, row.datasetId);
  const index = (stored.doc.distribution ?? []).findIndex((d) => d.id === resourceId);
  if (index < 0) throw notFoundError('Resource was not found.');
  return { stored, index };
}

const distOf = (stored: StoredDataset, i: number) => (stored.doc.distribution ?? [])[i] as unknown as Dict;

async function resourceShow(ctx: ActionContext, data: Data): Promise<Dict> {
  const { stored, index } = await packageOfResource(ctx, required(data, 'id'));
  return resourceDict(distOf(stored, index), index, stored.id, lang(ctx));
}

async function resourceCreate(ctx: ActionContext, data: Data): Promise<Dict> {
  const ref = required(data, 'package_id');
  const current = await showPackage(ctx, ref);
  if (!canEditOrg(ctx.actor, current.organizationId)) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to edit package ${current.id}`);
  const { package_id: _p, ...res } = data;
  const dist = resourceToDistribution({ url: '', ...res, id: undefined }, lang(ctx), current.doc.distribution?.find((d) => d.license)?.license);
  const n = current.doc.distribution?.length ?? 0;
  const stored = await ckan(
    () => modifyDataset(ctx.db, ctx.config, ctx.actor, current.id, (doc) => ({ ...doc, distribution: [...((doc.distribution as Dict[] | undefined) ?? []), dist] })),
    n + 1,
  ).catch((err: unknown) => {
    // Only the new resource's errors, as CKAN reports them.
    if (err instanceof CkanError && err.fields && Array.isArray(err.fields.resources)) throw validationError((err.fields.resources as Dict[])[n] ?? err.fields);
    throw err;
  });
  return resourceDict(distOf(stored, n), n, stored.id, lang(ctx));
}

/** resource_update replaces the resource; resource_patch merges into its current dict. */
async function resourceWrite(ctx: ActionContext, data: Data, patch: boolean): Promise<Dict> {
  const id = required(data, 'id');
  const { stored, index } = await packageOfResource(ctx, id);
  if (!canEditOrg(ctx.actor, stored.organizationId)) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to edit resource ${id}`);
  const current = resourceDict(distOf(stored, index), index, stored.id, lang(ctx));
  const input = patch ? { ...current, ...data } : { uri: current.uri, ...data };
  const dist = resourceToDistribution(input, lang(ctx));
  const updated = await ckan(
    () =>
      modifyDataset(ctx.db, ctx.config, ctx.actor, stored.id, (doc) => ({
        ...doc,
        distribution: ((doc.distribution as Dict[] | undefined) ?? []).map((d) => (d.id === id ? { ...dist, id } : d)),
      })),
    stored.doc.distribution?.length ?? 0,
  );
  const i = (updated.doc.distribution ?? []).findIndex((d) => d.id === id);
  return resourceDict(distOf(updated, i), i, updated.id, lang(ctx));
}

async function resourceDelete(ctx: ActionContext, data: Data): Promise<null> {
  const id = required(data, 'id');
  const { stored } = await packageOfResource(ctx, id);
  if (!canEditOrg(ctx.actor, stored.organizationId)) throw authError(`User ${ctx.actor.userName ?? ''} not authorized to delete resource ${id}`);
  await ckan(() =>
    modifyDataset(ctx.db, ctx.config, ctx.actor, stored.id, (doc) => ({ ...doc, distribution: ((doc.distribution as Dict[] | undefined) ?? []).filter((d) => d.id !== id) })),
  );
  return null;
}

const ACTIVITY_TYPES: Record<string, string> = { create: 'new package', withdraw: 'deleted package' };

/** package_activity_list from the revisions: newest first, each with the package as it was. */
async function packageActivityList(ctx: ActionContext, data: Data): Promise<Dict[]> {
  const stored = await showPackage(ctx, required(data, 'id'));
  const limit = natural(data, 'limit', 31, 100);
  const offset = natural(data, 'offset', 0);
  const rows = await ctx.db
    .select()
    .from(revisions)
    .where(eq(revisions.datasetId, stored.id))
    .orderBy(desc(revisions.revision))
    .limit(limit)
    .offset(offset);
  const orgs = await ctx.organizations();
  const [row] = await ctx.db.select().from(datasets).where(eq(datasets.id, stored.id));
  const out: Dict[] = [];
  for (const r of rows) {
    const doc = r.doc as unknown as Record<string, unknown>;
    const org = orgs.get(String(doc.organization ?? '')) ?? orgs.get(stored.organizationId);
    const then = { ...row, doc: r.doc, revision: r.revision, metadataModified: r.createdAt, state: (doc.state as StoredDataset['state']) ?? 'active', private: Boolean(doc.private), name: String(doc.name ?? row.name), organizationId: org?.id ?? row.organizationId };
    const asStored = toStored(then, org?.name ?? stored.organization);
    out.push({
      id: `${stored.id}.${r.revision}`,
      timestamp: r.createdAt.toISOString().replace(/Z$/, ''),
      user_id: r.userId,
      object_id: stored.id,
      revision_id: null,
      activity_type: ACTIVITY_TYPES[r.action] ?? 'changed package',
      data: { package: await ctx.packageOf(asStored), actor: r.userName, face: r.face },
    });
  }
  return out;
}

export const packageActions: Actions = {
  package_show: {
    sideEffectFree: true,
    help: 'Return the metadata of a dataset (package) and its resources. id: the id or name.',
    // get.py: id, else name_or_id; the error names name_or_id.
    run: async (ctx, data) => ctx.packageOf(await showPackage(ctx, str(data, 'id') || required(data, 'name_or_id'))),
  },
  package_create: { sideEffectFree: false, help: 'Create a dataset. name and owner_org are required.', run: packageCreate },
  package_update: { sideEffectFree: false, help: 'Update a dataset: the whole dict; without resources the current ones are kept.', run: packageUpdate },
  package_patch: { sideEffectFree: false, help: 'Update the given top-level fields of a dataset.', run: packagePatch },
  package_delete: { sideEffectFree: false, help: 'Withdraw a dataset (state deleted).', run: packageDelete },
  resource_show: { sideEffectFree: true, help: 'Return the metadata of a resource.', run: resourceShow },
  resource_create: { sideEffectFree: false, help: 'Append a resource to a dataset. package_id is required.', run: resourceCreate },
  resource_update: { sideEffectFree: false, help: 'Replace a resource.', run: (ctx, data) => resourceWrite(ctx, data, false) },
  resource_patch: { sideEffectFree: false, help: 'Update the given fields of a resource.', run: (ctx, data) => resourceWrite(ctx, data, true) },
  resource_delete: { sideEffectFree: false, help: 'Remove a resource from its dataset.', run: resourceDelete },
  package_activity_list: { sideEffectFree: true, help: 'The changes of a dataset, newest first (limit ≤ 100, offset).', run: packageActivityList },
};
