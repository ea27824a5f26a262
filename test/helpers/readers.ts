import { anonymous, systemActor, type Actor } from '../../src/auth/actor.js';
import type { Tx } from '../../src/db/client.js';
import { organizations } from '../../src/db/schema.js';

/**
 * The readers whose search answers tests compare with a recount: anonymous
 * (public datasets), an editor of unna (also unna's private ones) and a
 * sysadmin (everything).
 */
export async function searchReaders(db: Tx): Promise<[string, Actor][]> {
  const unnaId = (await db.select().from(organizations)).find((o) => o.name === 'unna')?.id as string;
  const editor: Actor = { ...anonymous('rest'), userId: '00000000-0000-4000-8000-000000000001', userName: 'e', roles: new Map([[unnaId, 'editor']]) };
  return [
    ['anonymous', anonymous('rest')],
    ['editor of unna', editor],
    ['sysadmin', systemActor('cli')],
  ];
}
