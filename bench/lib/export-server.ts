import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';

/**
 * The service for the export scenarios, in a process of its own: its RSS is
 * the service's alone (not the bench's loaded catalog, generator and earlier
 * scenarios' garbage), and the client reading the pages runs in the bench
 * process, as a harvester would on its own machine. Env: DATABASE_URL (the
 * bench database), PUBLIC_URL. Sends {url} over IPC once it listens.
 */
const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://catalog.bench', DATABASE_URL: process.env.DATABASE_URL ?? '' });
const app = await buildApp(config);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ url });
process.on('disconnect', () => void app.close().then(() => process.exit(0)));
