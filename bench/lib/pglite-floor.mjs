import { PGlite } from '@electric-sql/pglite';

// The floor of an embedded start: Node and PGlite in an empty directory answering one query.
// Plain JavaScript, so it runs under plain node (the compiled service's floor) and under tsx alike.
const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-floor.mjs <empty dir>');
const db = await PGlite.create(`${dir}/pgdata`);
await db.query('select 1');
await db.close();
