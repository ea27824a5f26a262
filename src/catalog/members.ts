import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { auditLog, memberships, users, type Role } from '../db/schema.js';
import { accessChanged, type Actor } from '../auth/actor.js';
import { canAdminOrg, canReadPrivate, isAuthenticated } from '../auth/permissions.js';
import { forbidden, notFound, unauthorized } from '../errors.js';
import { getOrganization } from './organizations.js';
import { getUser } from './users.js';

export interface Member {
  userId: string;
  userName: string;
  fullname: string | null;
  role: Role;
  since: string;
}

/** Members of an organization: visible to its members and sysadmins. */
export async function listMembers(db: Tx, actor: Actor, orgRef: string): Promise<Member[]> {
  if (!isAuthenticated(actor)) throw unauthorized();
  const org = await getOrganization(db, orgRef);
  if (!canReadPrivate(actor, org.id)) throw forbidden(`Only members of "${org.name}" can see its members.`);
  const rows = await db
    .select({ userId: users.id, userName: users.name, fullname: users.fullname, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, org.id))
    .orderBy(asc(users.name));
  return rows.map((r) => ({ ...r, since: r.since.toISOString() }));
}

function requireAdmin(actor: Actor, orgId: string, orgName: string): void {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!canAdminOrg(actor, orgId)) throw forbidden(`Managing members of "${orgName}" needs the admin role there.`);
}

/** Gives a user a role in the organization (or changes it); organization admins and sysadmins. */
export async function setMember(db: Tx, actor: Actor, orgRef: string, userRef: string, role: Role): Promise<Member> {
  const member = await db.transaction(async (tx) => {
    const org = await getOrganization(tx, orgRef);
    requireAdmin(actor, org.id, org.name);
    const user = await getUser(tx, userRef);
    const [r] = await tx
      .insert(memberships)
      .values({ userId: user.id, organizationId: org.id, role })
      .onConflictDoUpdate({ target: [memberships.userId, memberships.organizationId], set: { role } })
      .returning();
    await tx.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action: 'member.set', targetType: 'organization', targetId: org.id, details: { user: user.name, role } });
    return { userId: user.id, userName: user.name, fullname: user.fullname, role: r.role, since: r.createdAt.toISOString() };
  });
  accessChanged();
  return member;
}

export async function removeMember(db: Tx, actor: Actor, orgRef: string, userRef: string): Promise<void> {
  await db.transaction(async (tx) => {
    const org = await getOrganization(tx, orgRef);
    requireAdmin(actor, org.id, org.name);
    const user = await getUser(tx, userRef);
    const gone = await tx.delete(memberships).where(and(eq(memberships.userId, user.id), eq(memberships.organizationId, org.id))).returning();
    if (!gone.length) throw notFound('Membership', `${org.name}/${user.name}`);
    await tx.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action: 'member.remove', targetType: 'organization', targetId: org.id, details: { user: user.name, role: gone[0].role } });
  });
  accessChanged();
}
