import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { DatabaseUnavailableError } from './db/client.js';
import { DataDirBusyError } from './db/lock.js';

/** Starts the service and stops it gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let app;
  try {
    app = await buildApp(config);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError || err instanceof DataDirBusyError) {
      process.stderr.write(`Cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // close() stops accepting, waits for in-flight requests, then runs onClose hooks (database).
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 30 s, exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ database: app.ctx.database.kind, publicUrl: config.publicUrl }, 'catalog service listening');
}

main().catch((err) => {
  process.stderr.write(`Fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
