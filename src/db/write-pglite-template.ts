import { TEMPLATE_FILE, writeTemplate } from './pglite-template.js';

/** Build step (after tsc): the migrated empty PGlite data folder that first starts extract instead of running initdb. */
const written = await writeTemplate();
process.stdout.write(`${written ? 'wrote' : 'up to date:'} ${TEMPLATE_FILE}\n`);
