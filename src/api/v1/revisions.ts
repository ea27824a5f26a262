import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getRevision, listRevisions, restoreRevision } from '../../catalog/datasets.js';
import { DatasetDocument, errors, IdParam, IfMatchHeaders, Revision } from './schemas.js';
import { jsonType, sendDataset } from './negotiate.js';

const RevParams = Type.Object({ ...IdParam.properties, n: Type.Integer({ minimum: 1, description: 'Revision number' }) });

const revisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.ctx;
  const db = () => app.ctx.database.db;
  const tags = ['revisions'];

  app.get(
    '/datasets/:id/revisions',
    { schema: { tags, summary: 'History of a dataset, newest first', params: IdParam, response: { 200: Type.Array(Revision), ...errors(404) } } },
    async (request) => listRevisions(db(), request.actor, request.params.id),
  );

  app.get(
    '/datasets/:id/revisions/:n',
    {
      schema: {
        tags,
        summary: 'One revision: who, when, through which face, and the whole document',
        params: RevParams,
        response: { 200: Type.Object({ ...Revision.properties, doc: DatasetDocument }), ...errors(404) },
      },
    },
    async (request, reply) => {
      const rev = await getRevision(db(), request.actor, request.params.id, request.params.n);
      return reply.type(`${jsonType(request)}; charset=utf-8`).send(rev);
    },
  );

  app.post(
    '/datasets/:id/revisions/:n/restore',
    {
      schema: {
        tags,
        summary: 'Make a revision current again',
        description: 'Writes a new revision with the old document; restores a withdrawn dataset to active.',
        security: [{ bearer: [] }],
        params: RevParams,
        headers: IfMatchHeaders,
        response: { 200: DatasetDocument, ...errors(401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const h = request.headers['if-match'];
      const stored = await restoreRevision(db(), config, request.actor, request.params.id, request.params.n, { ifMatch: Array.isArray(h) ? h.join(',') : h });
      return sendDataset(request, reply, stored);
    },
  );
};

export default revisionRoutes;
