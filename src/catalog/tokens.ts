import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { apiTokens, auditLog } from '../db/schema.js';
import { accessChanged, type Actor } from '../auth/actor.js';
import { generateToken, hashToken } from '../auth/tokens.js';
import { forbidden, notFound, unauthorized } from '../errors.js';
import { getUser } from './users.js';

export interface TokenInfo {
  id: string;
  userId: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Row = typeof apiTokens.$inferSelect;
const toInfo = (r: Row): TokenInfo => ({
  id: r.id,
  userId: r.userId,
  label: r.label,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

function requireUser(actor: Actor): string {
  if (!actor.userId) throw unauthorized();
  return actor.userId;
}

/** The actor's own tokens (never the secrets). */
export async function listTokens(db: Tx, actor: Actor): Promise<TokenInfo[]> {
  const userId = requireUser(actor);
  return (await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt))).map(toInfo);
}

/**
 * A new token for the actor, or (sysadmins) for another user: the secret is
 * in the answer and nowhere else; only its hash is stored.
 */
export async function createToken(db: Tx, actor: Actor, label: string, forUser?: string): Promise<TokenInfo & { token: string }> {
  const self = forUser === undefined;
  if (self) requireUser(actor);
  else if (!actor.sysadmin) throw actor.userId ? forbidden('Only sysadmins can issue tokens for other users.') : unauthorized();
  return db.transaction(async (tx) => {
    const userId = self ? (actor.userId as string) : (await getUser(tx, forUser)).id;
    const token = generateToken();
    const [r] = await tx.insert(apiTokens).values({ userId, label, tokenHash: hashToken(token) }).returning();
    await tx.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action: 'token.create', targetType: 'token', targetId: r.id, details: { userId, label } });
    return { ...toInfo(r), token };
  });
}

/** Revokes one of the actor's tokens (sysadmins: anybody's); someone else's token is 404. */
export async function revokeToken(db: Tx, actor: Actor, id: string): Promise<TokenInfo> {
  const userId = requireUser(actor);
  const revoked = await db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(apiTokens)
      .where(actor.sysadmin ? eq(apiTokens.id, id) : and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)));
    if (!r) throw notFound('Token', id);
    if (r.revokedAt) return toInfo(r);
    const [u] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id)).returning();
    await tx.insert(auditLog).values({ userId: actor.userId, userName: actor.userName, action: 'token.revoke', targetType: 'token', targetId: id, details: { label: r.label, owner: r.userId } });
    return toInfo(u);
  });
  accessChanged();
  return revoked;
}
