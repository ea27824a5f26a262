import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { apiTokens, memberships, users, type Role } from '../db/schema.js';
import { hashToken } from './tokens.js';

export type { Role } from '../db/schema.js';

/** The door a request came through; revisions record it. */
export type Face = 'rest' | 'ckan' | 'dcat' | 'harvest' | 'cli';

/** Who is acting: resolved once per request (or per job) and passed to every catalog function. */
export interface Actor {
  userId: string | null;
  userName: string | null;
  tokenLabel: string | null;
  tokenId?: string | null;
  sysadmin: boolean;
  /** Role per organization id. */
  roles: Map<string, Role>;
  face: Face;
}

export function anonymous(face: Face): Actor {
  return { userId: null, userName: null, tokenLabel: null, sysadmin: false, roles: new Map(), face };
}

/** The service itself (CLI, harvest jobs): may do everything. */
export function systemActor(face: Face, name = face === 'harvest' ? 'harvester' : 'system'): Actor {
  return { userId: null, userName: name, tokenLabel: null, sysadmin: true, roles: new Map(), face };
}

/** Loads a user's roles; also used after role changes and by the CLI. */
export async function actorForUser(db: Tx, userId: string, face: Face, tokenLabel: string | null = null): Promise<Actor | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return null;
  const rows = await db.select({ org: memberships.organizationId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId));
  return {
    userId: user.id,
    userName: user.name,
    tokenLabel,
    sysadmin: user.sysadmin,
    roles: new Map(rows.map((r) => [r.org, r.role])),
    face,
  };
}

/**
 * Resolves a raw API token to its actor; null for an unknown or revoked
 * token. Token, user and roles come in one query (a row per membership):
 * it runs before every authenticated request. last_used_at is written at most
 * once a minute per token, so a busy client's reads do not each turn into a
 * write.
 */
export async function resolveToken(db: Tx, rawToken: string, face: Face): Promise<Actor | null> {
  if (!rawToken || rawToken.length > 512) return null;
  const rows = await db
    .select({
      tokenId: apiTokens.id,
      label: apiTokens.label,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.id,
      userName: users.name,
      sysadmin: users.sysadmin,
      org: memberships.organizationId,
      role: memberships.role,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(apiTokens.tokenHash, hashToken(rawToken)));
  const token = rows[0];
  if (!token || token.revokedAt) return null;
  const roles = new Map<string, Role>();
  for (const r of rows) if (r.org && r.role) roles.set(r.org, r.role);
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    // The condition again in SQL: another instance may have written it meanwhile.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, token.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
  }
  return { userId: token.userId, userName: token.userName, tokenLabel: token.label, tokenId: token.tokenId, sysadmin: token.sysadmin, roles, face };
}
