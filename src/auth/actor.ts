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

/*
 * A token's actor is read before every authenticated request; tokens and roles change
 * rarely. So it comes from a short-lived cache per database: this process's token, role
 * and user writes clear it (accessChanged); another process's (another instance, the CLI)
 * show within TOKEN_TTL_MS, as organization changes do. Unknown tokens are not cached.
 */
const TOKEN_TTL_MS = 5000;
const TOKEN_CACHE_MAX = 1000;
interface CachedToken {
  actor: Omit<Actor, 'face'>;
  lastUsedAt: number;
  at: number;
  epoch: number;
}
const tokenCache = new WeakMap<object, Map<string, CachedToken>>();
let accessEpoch = 0;

/** Called after every write to tokens, roles or users. */
export function accessChanged(): void {
  accessEpoch++;
}

/**
 * Resolves a raw API token to its actor; null for an unknown or revoked
 * token. Token, user and roles come in one query (a row per membership),
 * cached as said above. last_used_at is written at most once a minute per
 * token, so a busy client's reads do not each turn into a write.
 */
export async function resolveToken(db: Tx, rawToken: string, face: Face): Promise<Actor | null> {
  if (!rawToken || rawToken.length > 512) return null;
  const hash = hashToken(rawToken);
  // A transaction reads its own snapshot.
  const shared = !('rollback' in db);
  let cache = shared ? tokenCache.get(db) : undefined;
  if (shared && !cache) tokenCache.set(db, (cache = new Map()));
  const now = Date.now();
  const hit = cache?.get(hash);
  if (hit && hit.epoch === accessEpoch && now - hit.at < TOKEN_TTL_MS) {
    if (now - hit.lastUsedAt > 60_000) hit.lastUsedAt = await touch(db, hit.actor.tokenId as string, now);
    return { ...hit.actor, roles: new Map(hit.actor.roles), face };
  }
  const epoch = accessEpoch;
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
    .where(eq(apiTokens.tokenHash, hash));
  const token = rows[0];
  if (!token || token.revokedAt) {
    cache?.delete(hash);
    return null;
  }
  const roles = new Map<string, Role>();
  for (const r of rows) if (r.org && r.role) roles.set(r.org, r.role);
  let lastUsedAt = token.lastUsedAt?.getTime() ?? 0;
  if (now - lastUsedAt > 60_000) lastUsedAt = await touch(db, token.tokenId, now);
  const actor = { userId: token.userId, userName: token.userName, tokenLabel: token.label, tokenId: token.tokenId, sysadmin: token.sysadmin, roles };
  if (cache) {
    if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
    cache.set(hash, { actor: { ...actor, roles: new Map(roles) }, lastUsedAt, at: now, epoch });
  }
  return { ...actor, face };
}

/** Sets last_used_at unless another instance did within the minute; returns the time to remember. */
async function touch(db: Tx, tokenId: string, now: number): Promise<number> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
  return now;
}
