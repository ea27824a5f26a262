import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createSource, deleteSource, getJob, getSource, listJobs, listSources, startJob, updateSource } from '../../harvest/sources-admin.js';
import { kickHarvestWorker } from '../../harvest/worker.js';
import { errors } from './schemas.js';

const SourceType = Type.Union([Type.Literal('ckan'), Type.Literal('dcat')], { description: 'ckan: Action API package_search; dcat: RDF catalog endpoint with hydra paging' });
const sourceFields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  type: SourceType,
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'CKAN portal base URL, or the first page of the DCAT catalog' }),
  organization: Type.String({ minLength: 1, description: 'Owning organization (id or name)' }),
  schedule: Type.Optional(Type.String({ maxLength: 200, description: 'Cron expression ("0 3 * * *") or "manual" (default)' })),
  config: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'Type settings (ckan: fq, rows, sort, apiKey; dcat: format, modifiedSinceParam) and defaultLicense, defaultThemes',
    }),
  ),
  enabled: Type.Optional(Type.Boolean()),
};

export const HarvestSource = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  title: Type.String(),
  type: SourceType,
  url: Type.String(),
  organization: Type.String(),
  organizationId: Type.String(),
  schedule: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const HarvestSourceCreate = Type.Object({ name: Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]+$' }), ...sourceFields }, { additionalProperties: false });
const HarvestSourceUpdate = Type.Partial(HarvestSourceCreate, { additionalProperties: false });

const Counts = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  withdrawn: Type.Integer(),
  failed: Type.Integer(),
  conflicts: Type.Integer(),
});
export const HarvestJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sourceId: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('finished'), Type.Literal('failed')]),
  trigger: Type.String(),
  incremental: Type.Boolean(),
  complete: Type.Boolean({ description: 'Every page of the source was read (only then are vanished records withdrawn)' }),
  pages: Type.Integer(),
  records: Type.Integer(),
  counts: Counts,
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  timings: Type.Record(Type.String(), Type.Number(), { description: 'Milliseconds: fetch (waiting for pages), prepare (hash and mapping), write, withdraw, total; a page is written while the next is fetched, so fetch and write overlap' }),
  error: Type.Union([Type.String(), Type.Null()]),
});
const HarvestJobDetail = Type.Object({
  ...HarvestJob.properties,
  log: Type.Array(Type.Object({ at: Type.String(), level: Type.String(), msg: Type.String() })),
  errors: Type.Array(
    Type.Object({
      kind: Type.String({ description: 'mapping, validation, conflict or write' }),
      sourceRecordId: Type.Union([Type.String(), Type.Null()]),
      uri: Type.Union([Type.String(), Type.Null()]),
      identifier: Type.Union([Type.String(), Type.Null()]),
      reasons: Type.Array(Type.String()),
    }),
  ),
});

const SourceParam = Type.Object({ id: Type.String({ description: 'Harvest source id or name' }) });
const JobParam = Type.Object({ id: Type.String({ description: 'Harvest job id' }) });

/** Harvest sources and jobs (organization admins manage, members read). */
const harvestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.ctx.database.db;
  const tags = ['harvest'];
  const security = [{ bearer: [] }];

  app.get(
    '/harvest-sources',
    { schema: { tags, summary: 'Harvest sources of the organizations the caller is a member of', security, querystring: Type.Object({ organization: Type.Optional(Type.String()) }), response: { 200: Type.Array(HarvestSource), ...errors(401) } } },
    async (request) => listSources(db(), request.actor, request.query.organization),
  );

  app.get(
    '/harvest-sources/:id',
    { schema: { tags, summary: 'One harvest source', security, params: SourceParam, response: { 200: HarvestSource, ...errors(401, 403, 404) } } },
    async (request) => getSource(db(), request.actor, request.params.id),
  );

  app.post(
    '/harvest-sources',
    { schema: { tags, summary: 'Create a harvest source (organization admins)', security, body: HarvestSourceCreate, response: { 201: HarvestSource, ...errors(400, 401, 403, 409) } } },
    async (request, reply) => {
      const source = await createSource(db(), request.actor, request.body);
      return reply.status(201).header('location', `${app.ctx.config.publicUrl}/api/v1/harvest-sources/${source.id}`).send(source);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/harvest-sources/:id',
      { schema: { tags, summary: 'Change a harvest source (organization admins)', security, params: SourceParam, body: HarvestSourceUpdate, response: { 200: HarvestSource, ...errors(400, 401, 403, 404, 409) } } },
      async (request) => updateSource(db(), request.actor, request.params.id, request.body),
    );
  }

  app.delete(
    '/harvest-sources/:id',
    { schema: { tags, summary: 'Delete a harvest source and its jobs; harvested datasets stay', security, params: SourceParam, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (request, reply) => {
      await deleteSource(db(), request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/harvest-sources/:id/jobs',
    {
      schema: {
        tags,
        summary: 'Start a harvest job (organization admins); 409 while one is queued or running',
        security,
        params: SourceParam,
        // Fastify validates a POST without a body as null: `curl -X POST …/jobs` must start a job too.
        body: Type.Union([Type.Object({ incremental: Type.Optional(Type.Boolean({ description: 'Only records modified since the last successful run; withdraws nothing' })) }, { additionalProperties: false }), Type.Null()]),
        response: { 202: HarvestJob, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const job = await startJob(db(), request.actor, request.params.id, { incremental: request.body?.incremental });
      void kickHarvestWorker(app.ctx.config)?.catch((err: unknown) => request.log.error({ err }, 'harvest worker failed'));
      return reply.status(202).header('location', `${app.ctx.config.publicUrl}/api/v1/harvest-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '/harvest-sources/:id/jobs',
    { schema: { tags, summary: 'Jobs of a source, newest first', security, params: SourceParam, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }), response: { 200: Type.Array(HarvestJob), ...errors(401, 403, 404) } } },
    async (request) => listJobs(db(), request.actor, request.params.id, request.query.limit),
  );

  app.get(
    '/harvest-jobs/:id',
    { schema: { tags, summary: 'A job: status, counts, per-record errors and log', security, params: JobParam, response: { 200: HarvestJobDetail, ...errors(401, 403, 404) } } },
    async (request) => getJob(db(), request.actor, request.params.id),
  );
};

export default harvestRoutes;
