import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import auth from '../../auth/plugin.js';
import datasetRoutes from './datasets.js';
import distributionRoutes from './distributions.js';
import revisionRoutes from './revisions.js';
import organizationRoutes from './organizations.js';
import userAndTokenRoutes from './users.js';
import harvestRoutes from './harvest.js';
import { resolveShared, sharedSchemas } from './schemas.js';

/** REST API v1 (register with prefix /api/v1): JSON-LD documents, Bearer tokens, 401 for an unknown token. */
const restV1: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(auth, { face: 'rest', onUnknownToken: 'reject' });
  for (const s of sharedSchemas) app.addSchema(s);
  app.setValidatorCompiler((def) => TypeBoxValidatorCompiler({ ...def, schema: resolveShared(def.schema) }));
  // JSON-LD and merge-patch bodies are JSON.
  app.addContentTypeParser(['application/ld+json', 'application/merge-patch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  await app.register(datasetRoutes);
  await app.register(distributionRoutes);
  await app.register(revisionRoutes);
  await app.register(organizationRoutes);
  await app.register(userAndTokenRoutes);
  await app.register(harvestRoutes);
};

export default restV1;
