import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextDocument } from '../rdf/context.js';

/** Serves the JSON-LD context that every JSON document of the API refers to. */
const contextRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const body = JSON.stringify(contextDocument());
  app.get('/context.jsonld', { schema: { tags: ['service'], summary: 'The JSON-LD context of the catalog\'s documents' } }, async (_request, reply) =>
    reply.type('application/ld+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body),
  );
};

export default contextRoutes;
