import { eq } from 'drizzle-orm';
import type { Config } from '../config/index.js';
import { PARTNERS, geocodingLevelUriOf, geocodingUriOf } from '../domain/region.js';
import { hashToken } from '../auth/tokens.js';
import { accessChanged } from '../auth/actor.js';
import type { Tx } from './client.js';
import { apiTokens, organizations, users } from './schema.js';

const BOOTSTRAP_LABEL = 'bootstrap (BOOTSTRAP_ADMIN_TOKEN)';

/**
 * Idempotent start-up data: the region's eleven organizations (never
 * overwritten once they exist, so operators may edit them) and, when
 * BOOTSTRAP_ADMIN_TOKEN is set, the sysadmin `admin` holding exactly that token.
 */
export async function seed(db: Tx, config: Config): Promise<void> {
  await db
    .insert(organizations)
    .values(
      PARTNERS.map((p) => ({
        name: p.name,
        title: p.title,
        ags: p.key,
        politicalGeocodingUri: geocodingUriOf(p),
        politicalGeocodingLevelUri: geocodingLevelUriOf(p),
        homepage: p.homepage,
      })),
    )
    .onConflictDoNothing({ target: organizations.name });

  if (config.bootstrapAdminToken) await ensureBootstrapAdmin(db, config.bootstrapAdminToken);
}

async function ensureBootstrapAdmin(db: Tx, token: string): Promise<void> {
  const hash = hashToken(token);
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ name: 'admin', sysadmin: true, fullname: 'Administrator' }).onConflictDoNothing({ target: users.name });
    const [admin] = await tx.update(users).set({ sysadmin: true }).where(eq(users.name, 'admin')).returning({ id: users.id });
    // A changed BOOTSTRAP_ADMIN_TOKEN replaces the old one: the admin holds exactly the configured token.
    const existing = await tx.select().from(apiTokens).where(eq(apiTokens.userId, admin.id));
    for (const t of existing) {
      if (t.label === BOOTSTRAP_LABEL && t.tokenHash !== hash && !t.revokedAt) {
        await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, t.id));
      }
    }
    const [same] = await tx.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash));
    if (!same) await tx.insert(apiTokens).values({ userId: admin.id, label: BOOTSTRAP_LABEL, tokenHash: hash });
    else if (same.userId !== admin.id || same.revokedAt) {
      await tx.update(apiTokens).set({ userId: admin.id, revokedAt: null, label: BOOTSTRAP_LABEL }).where(eq(apiTokens.id, same.id));
    }
  });
  accessChanged();
}
