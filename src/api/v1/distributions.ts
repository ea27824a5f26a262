import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getDataset, modifyDataset, type DatasetInput, type StoredDataset } from '../../catalog/datasets.js';
import { mergePatch } from '../../catalog/normalize.js';
import { notFound } from '../../errors.js';
import { DistributionDocument, DistributionInput, DistributionInputBody, errors, IdParam, IfMatchHeaders, MergePatch } from './schemas.js';
import { jsonType } from './negotiate.js';
import { assertBody } from './check.js';

type Dist = Record<string, unknown> & { id?: string };
const DistParams = Type.Object({ ...IdParam.properties, distributionId: Type.String({ description: 'Distribution id' }) });

const distsOf = (doc: DatasetInput): Dist[] => (Array.isArray(doc.distribution) ? (doc.distribution as Dist[]) : []);

function ifMatch(request: FastifyRequest): string | undefined {
  const h = request.headers['if-match'];
  return Array.isArray(h) ? h.join(',') : h;
}

function findDist(stored: StoredDataset, distId: string): Dist {
  const d = distsOf(stored.doc as DatasetInput).find((x) => x.id === distId);
  if (!d) throw notFound('Distribution', distId);
  return d;
}

/** A distribution with the dataset's context; the ETag is the dataset's (every change is a dataset revision). */
function send(request: FastifyRequest, reply: FastifyReply, stored: StoredDataset, dist: Dist, status = 200) {
  return reply
    .status(status)
    .header('etag', stored.etag)
    .type(`${jsonType(request)}; charset=utf-8`)
    .send({ '@context': stored.doc['@context'], ...dist });
}

/** Distributions are parts of the dataset document: each write here is a revision of the dataset. */
const distributionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.ctx;
  const db = () => app.ctx.database.db;
  const tags = ['distributions'];
  const security = [{ bearer: [] }];
  const write = errors(400, 401, 403, 404, 412, 413, 422);

  app.get(
    '/datasets/:id/distributions',
    { schema: { tags, summary: "A dataset's distributions", params: IdParam, response: { 200: Type.Array(DistributionDocument), ...errors(404) } } },
    async (request, reply) => {
      const stored = await getDataset(db(), request.actor, request.params.id, { includeDeleted: true });
      return reply.header('etag', stored.etag).type(`${jsonType(request)}; charset=utf-8`).send(distsOf(stored.doc as DatasetInput));
    },
  );

  app.post(
    '/datasets/:id/distributions',
    {
      schema: { tags, summary: 'Add a distribution', security, params: IdParam, headers: IfMatchHeaders, body: DistributionInput, response: { 201: DistributionDocument, ...write } },
    },
    async (request, reply) => {
      let index = 0;
      const stored = await modifyDataset(
        db(),
        config,
        request.actor,
        request.params.id,
        (doc) => {
          const { id: _ignored, ...dist } = request.body as Dist;
          const dists = distsOf(doc);
          index = dists.length;
          return { ...doc, distribution: [...dists, dist] };
        },
        { ifMatch: ifMatch(request) },
      );
      const dist = distsOf(stored.doc as DatasetInput)[index];
      reply.header('location', `${config.publicUrl}/api/v1/datasets/${stored.id}/distributions/${dist.id}`);
      return send(request, reply, stored, dist, 201);
    },
  );

  app.get(
    '/datasets/:id/distributions/:distributionId',
    { schema: { tags, summary: 'One distribution', params: DistParams, response: { 200: DistributionDocument, ...errors(404) } } },
    async (request, reply) => {
      const stored = await getDataset(db(), request.actor, request.params.id, { includeDeleted: true });
      return send(request, reply, stored, findDist(stored, request.params.distributionId));
    },
  );

  const change = (request: FastifyRequest & { params: { id: string; distributionId: string } }, fn: (old: Dist) => Dist | undefined) =>
    modifyDataset(
      db(),
      config,
      request.actor,
      request.params.id,
      (doc) => {
        const dists = distsOf(doc);
        const i = dists.findIndex((d) => d.id === request.params.distributionId);
        if (i < 0) throw notFound('Distribution', request.params.distributionId);
        const next = fn(dists[i]);
        const out = next ? dists.map((d, j) => (j === i ? { ...next, id: d.id } : d)) : dists.filter((_, j) => j !== i);
        return { ...doc, distribution: out };
      },
      { ifMatch: ifMatch(request) },
    );

  app.put(
    '/datasets/:id/distributions/:distributionId',
    { schema: { tags, summary: 'Replace a distribution', security, params: DistParams, headers: IfMatchHeaders, body: DistributionInput, response: { 200: DistributionDocument, ...write } } },
    async (request, reply) => {
      const stored = await change(request, () => request.body as Dist);
      return send(request, reply, stored, findDist(stored, request.params.distributionId));
    },
  );

  app.patch(
    '/datasets/:id/distributions/:distributionId',
    { schema: { tags, summary: 'Change part of a distribution (JSON merge patch)', security, params: DistParams, headers: IfMatchHeaders, body: MergePatch, response: { 200: DistributionDocument, ...write } } },
    async (request, reply) => {
      const stored = await change(request, (old) => {
        const merged = mergePatch(old, request.body) as Dist;
        assertBody(DistributionInputBody, merged);
        return merged;
      });
      return send(request, reply, stored, findDist(stored, request.params.distributionId));
    },
  );

  app.delete(
    '/datasets/:id/distributions/:distributionId',
    { schema: { tags, summary: 'Remove a distribution', security, params: DistParams, headers: IfMatchHeaders, response: { 204: Type.Null(), ...write } } },
    async (request, reply) => {
      const stored = await change(request, () => undefined);
      return reply.status(204).header('etag', stored.etag).send(null);
    },
  );
};

export default distributionRoutes;
