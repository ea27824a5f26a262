import type { Actor, Role } from './actor.js';

/**
 * The one place that decides who may do what. Faces and the catalog ask
 * these; nobody compares roles elsewhere.
 */

const RANK: Record<Role, number> = { member: 1, editor: 2, admin: 3 };

export function isSysadmin(actor: Actor): boolean {
  return actor.sysadmin;
}

export function isAuthenticated(actor: Actor): boolean {
  return actor.sysadmin || actor.userId !== null;
}

export function roleIn(actor: Actor, orgId: string): Role | undefined {
  return actor.roles.get(orgId);
}

function hasRole(actor: Actor, orgId: string, min: Role): boolean {
  if (actor.sysadmin) return true;
  const role = actor.roles.get(orgId);
  return role !== undefined && RANK[role] >= RANK[min];
}

/** Any role in the organization: may read its private datasets. */
export function canReadPrivate(actor: Actor, orgId: string): boolean {
  return hasRole(actor, orgId, 'member');
}

/** Editor, admin or sysadmin: create, update, withdraw the organization's datasets. */
export function canEditOrg(actor: Actor, orgId: string): boolean {
  return hasRole(actor, orgId, 'editor');
}

/** Admin or sysadmin: also members and harvest sources. */
export function canAdminOrg(actor: Actor, orgId: string): boolean {
  return hasRole(actor, orgId, 'admin');
}

export interface Visibility {
  organizationId: string;
  private: boolean;
  state: 'active' | 'draft' | 'deleted';
}

/**
 * Public active datasets are for everybody; private ones for the
 * organization's members; drafts and withdrawn ones for its editors. A
 * dataset one cannot read does not exist for them (404, not 403).
 */
export function canRead(actor: Actor, dataset: Visibility): boolean {
  if (actor.sysadmin) return true;
  if (dataset.state !== 'active') return canEditOrg(actor, dataset.organizationId);
  return !dataset.private || canReadPrivate(actor, dataset.organizationId);
}

/** Organization ids where the actor holds at least `min`. */
export function orgsWith(actor: Actor, min: Role): string[] {
  return [...actor.roles].filter(([, r]) => RANK[r] >= RANK[min]).map(([id]) => id);
}
