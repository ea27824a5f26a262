import { asc, eq, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { auditLog, datasets, organizations } from '../db/schema.js';
import { accessChanged, type Actor } from '../auth/actor.js';
import { isAuthenticated } from '../auth/permissions.js';
import { conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { isUuid, organizationsChanged, organizationsEpoch, organizationsFresh } from './datasets.js';

export interface Organization {
  id: string;
  name: string;
  title: string;
  description: string;
  ags: string | null;
  politicalGeocodingUri: string | null;
  politicalGeocodingLevelUri: string | null;
  homepage: string | null;
  email: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrganizationInput {
  name?: string;
  title?: string;
  description?: string;
  ags?: string | null;
  politicalGeocodingUri?: string | null;
  politicalGeocodingLevelUri?: string | null;
  homepage?: string | null;
  email?: string | null;
}

type Row = typeof organizations.$inferSelect;

export function toOrganization(r: Row): Organization {
  return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

const refWhere = (ref: string) => (isUuid(ref) ? or(eq(organizations.id, ref), eq(organizations.name, ref)) : eq(organizations.name, ref));

export async function findOrganization(db: Tx, ref: string): Promise<Organization | undefined> {
  const [r] = await db.select().from(organizations).where(refWhere(ref));
  return r ? toOrganization(r) : undefined;
}

export async function getOrganization(db: Tx, ref: string): Promise<Organization> {
  const org = await findOrganization(db, ref);
  if (!org) throw notFound('Organization', ref);
  return org;
}

export async function listOrganizations(db: Tx): Promise<Organization[]> {
  return (await db.select().from(organizations).orderBy(asc(organizations.name))).map(toOrganization);
}

// Package dicts and organization facets name organizations on every read: the list is shared
// between requests on one database, on the terms of the write path's organization cache
// (cleared by this process's organization writes; another process's show within its TTL).
const shared = new WeakMap<object, { at: number; epoch: number; byRef: Promise<Map<string, Organization>> }>();

async function loadByRef(db: Tx): Promise<Map<string, Organization>> {
  const byRef = new Map<string, Organization>();
  for (const o of await listOrganizations(db)) {
    byRef.set(o.id, o);
    byRef.set(o.name, o);
  }
  return byRef;
}

/**
 * The organizations by id and by name. `needed`: ids the caller must find, read
 * afresh when one is missing (created by another instance since the list was read).
 */
export async function organizationsByRef(db: Tx, needed: readonly string[] = []): Promise<Map<string, Organization>> {
  if ('rollback' in db) return loadByRef(db); // a transaction reads its own snapshot
  const hit = shared.get(db);
  if (hit && organizationsFresh(hit.at, hit.epoch)) {
    const byRef = await hit.byRef;
    if (needed.every((id) => byRef.has(id))) return byRef;
  }
  const entry = { at: Date.now(), epoch: organizationsEpoch(), byRef: loadByRef(db) };
  shared.set(db, entry);
  entry.byRef.catch(() => shared.get(db) === entry && shared.delete(db));
  return entry.byRef;
}

function requireSysadmin(actor: Actor): void {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!actor.sysadmin) throw forbidden('Only sysadmins can change organizations.');
}

async function audit(db: Tx, actor: Actor, action: string, id: string, details: Record<string, unknown>) {
  await db.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action, targetType: 'organization', targetId: id, details });
}

function isUnique(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
}

export async function createOrganization(db: Tx, actor: Actor, input: OrganizationInput & { name: string; title: string }): Promise<Organization> {
  requireSysadmin(actor);
  const created = await db.transaction(async (tx) => {
    if (await findOrganization(tx, input.name)) throw conflict(`An organization named "${input.name}" already exists.`, [{ path: '/name', message: 'is already taken' }]);
    const [r] = await tx.insert(organizations).values(input).returning();
    await audit(tx, actor, 'organization.create', r.id, { name: r.name });
    return toOrganization(r);
  });
  organizationsChanged();
  return created;
}

export async function updateOrganization(db: Tx, actor: Actor, ref: string, input: OrganizationInput): Promise<Organization> {
  requireSysadmin(actor);
  const updated = await db.transaction(async (tx) => {
    const org = await getOrganization(tx, ref);
    if (input.name && input.name !== org.name && (await findOrganization(tx, input.name))) {
      throw conflict(`An organization named "${input.name}" already exists.`, [{ path: '/name', message: 'is already taken' }]);
    }
    try {
      const [r] = await tx.update(organizations).set({ ...input, updatedAt: new Date() }).where(eq(organizations.id, org.id)).returning();
      await audit(tx, actor, 'organization.update', r.id, { changes: input });
      return toOrganization(r);
    } catch (err) {
      if (isUnique(err)) throw conflict('The organization name is already taken.');
      throw err;
    }
  });
  // After the commit: a create in between must not cache the old row for this epoch.
  organizationsChanged();
  return updated;
}

/** Only an organization without datasets can go (withdrawn ones count: purge them first). */
export async function deleteOrganization(db: Tx, actor: Actor, ref: string): Promise<void> {
  requireSysadmin(actor);
  await db.transaction(async (tx) => {
    const org = await getOrganization(tx, ref);
    const [c] = await tx.select({ n: sql<number>`count(*)::int` }).from(datasets).where(eq(datasets.organizationId, org.id));
    if (c.n > 0) throw conflict(`Organization "${org.name}" still has ${c.n} dataset(s).`);
    await tx.delete(organizations).where(eq(organizations.id, org.id));
    await audit(tx, actor, 'organization.delete', org.id, { name: org.name });
  });
  organizationsChanged();
  accessChanged(); // its memberships went with it
}
