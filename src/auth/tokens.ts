import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'kuc_';

/** A new API token: 256 random bits, shown to its owner once. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens are random and long, so a fast hash is enough (as GitHub does): a
 * leaked table cannot be reversed, and lookup by hash stays one index probe.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
