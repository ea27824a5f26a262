import { PGlite } from '@electric-sql/pglite';

/** The floor of an embedded start: Node, tsx and PGlite in an empty directory answering one query. */
const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-floor.ts <empty dir>');
const db = await PGlite.create(`${dir}/pgdata`);
await db.query('select 1');
await db.close();
