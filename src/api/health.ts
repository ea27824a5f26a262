import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Object({ kind: Type.String(), up: Type.Boolean() }),
});

/** Liveness and readiness: 503 while the database cannot be reached. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['service'], summary: 'Service and database state', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const { database } = app.ctx;
      const up = await database.ping();
      return reply.status(up ? 200 : 503).send({ status: up ? 'ok' : 'unavailable', database: { kind: database.kind, up } });
    },
  );
};

export default healthRoutes;
