import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/index.js';
import { connect, type Database } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { seed } from './db/seed.js';
import { registerHarvestWorker } from './harvest/worker.js';
import { startCountFolding } from './catalog/count-folding.js';
import { registerErrorHandling } from './api/errors.js';
import { AnswerCache } from './api/answer-cache.js';
import healthRoutes from './api/health.js';
import contextRoutes from './api/context.js';
import restV1 from './api/v1/index.js';
import ckanApi from './api/ckan/index.js';
import dcatRoutes from './api/dcat/index.js';

/** What every face needs: the configuration, the database, and the answers kept for its lists. */
export interface AppContext {
  config: Config;
  database: Database;
  answers: AnswerCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export interface BuildOptions {
  /** An already connected database (tests); the app then does not close it. */
  database?: Database;
}

registerAjvFormats();

/** Builds the service: connects, migrates, seeds, and registers every face. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-ckan-api-key"]'] },
    bodyLimit: config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Routes answer the same with or without a trailing slash, as CKAN clients expect.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // Response schemas document the API; bodies are serialised as they are.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const database = opts.database ?? (await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: app.log }));
  if (!opts.database) app.addHook('onClose', () => database.close());
  try {
    await runMigrations(database, config.databaseUrl);
    await seed(database.db, config);
  } catch (err) {
    if (!opts.database) await database.close();
    throw err;
  }
  app.decorate('ctx', { config, database, answers: new AnswerCache(config.answerCacheBytes) });
  registerHarvestWorker(app);
  const folding = startCountFolding(database.db, app.log);
  app.addHook('onClose', () => folding.stop());

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      // Independent of the configuration, so the committed openapi.yaml is the same everywhere.
      info: {
        title: 'Open-data catalog of the Smart Region Kreis Unna',
        description: 'DCAT-AP.de open-data catalog: REST API v1 (JSON-LD), CKAN Action API v3 and DCAT-AP.de catalog endpoints.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (also accepted raw in Authorization or in X-CKAN-API-Key)' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(contextRoutes);
  await app.register(restV1, { prefix: '/api/v1' });
  await app.register(ckanApi);
  await app.register(dcatRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
