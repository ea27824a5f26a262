import { asc, eq, or } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { auditLog, memberships, organizations, users, type Role } from '../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { isAuthenticated } from '../auth/permissions.js';
import { conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { isUuid } from './datasets.js';

export interface User {
  id: string;
  name: string;
  email: string | null;
  fullname: string | null;
  sysadmin: boolean;
  createdAt: string;
}

export interface UserInput {
  name: string;
  email?: string | null;
  fullname?: string | null;
  sysadmin?: boolean;
}

export interface Me extends User {
  memberships: { organization: { id: string; name: string; title: string }; role: Role }[];
  token: { label: string | null } | null;
}

type Row = typeof users.$inferSelect;
export const toUser = (r: Row): User => ({ ...r, createdAt: r.createdAt.toISOString() });

export async function findUser(db: Tx, ref: string): Promise<User | undefined> {
  const [r] = await db.select().from(users).where(isUuid(ref) ? or(eq(users.id, ref), eq(users.name, ref)) : eq(users.name, ref));
  return r ? toUser(r) : undefined;
}

export async function getUser(db: Tx, ref: string): Promise<User> {
  const u = await findUser(db, ref);
  if (!u) throw notFound('User', ref);
  return u;
}

function requireSysadmin(actor: Actor): void {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!actor.sysadmin) throw forbidden('Only sysadmins can manage users.');
}

export async function listUsers(db: Tx, actor: Actor): Promise<User[]> {
  requireSysadmin(actor);
  return (await db.select().from(users).orderBy(asc(users.name))).map(toUser);
}

export async function createUser(db: Tx, actor: Actor, input: UserInput): Promise<User> {
  requireSysadmin(actor);
  return db.transaction(async (tx) => {
    if (await findUser(tx, input.name)) throw conflict(`A user named "${input.name}" already exists.`, [{ path: '/name', message: 'is already taken' }]);
    const [r] = await tx.insert(users).values(input).returning();
    await tx.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action: 'user.create', targetType: 'user', targetId: r.id, details: { name: r.name, sysadmin: r.sysadmin } });
    return toUser(r);
  });
}

/** The authenticated user with their roles. */
export async function me(db: Tx, actor: Actor): Promise<Me> {
  if (!actor.userId) throw unauthorized();
  const user = await getUser(db, actor.userId);
  const rows = await db
    .select({ id: organizations.id, name: organizations.name, title: organizations.title, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, actor.userId))
    .orderBy(asc(organizations.name));
  return { ...user, memberships: rows.map(({ role, ...organization }) => ({ organization, role })), token: { label: actor.tokenLabel } };
}
