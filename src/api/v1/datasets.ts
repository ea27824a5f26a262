import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { createDataset, getDataset, patchDataset, purgeDataset, updateDataset, withdrawDataset, type DatasetInput } from '../../catalog/datasets.js';
import { loadVersions, searchDatasets } from '../../catalog/search.js';
import type { FacetField, Filter, FilterField, SearchQuery, SortKey } from '../../catalog/query.js';
import { isAuthenticated } from '../../auth/permissions.js';
import { badRequest } from '../../errors.js';
import { DatasetDocument, DatasetInputBody, DatasetInput as DatasetInputSchema, DatasetList, errors, IdParam, IfMatchHeaders, MergePatch } from './schemas.js';
import { jsonType, sendDataset, sendDatasetRepresentation } from './negotiate.js';
import { recordWithListBytes } from '../list-json.js';
import { assertBody } from './check.js';

const Multi = Type.Union([Type.String(), Type.Array(Type.String())]);
const FACETS: FacetField[] = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'political_geocoding'];
const SORTS = ['score', 'metadata_modified', 'metadata_created', 'title', 'name', 'id'] as const;

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 1000, description: 'Full text (German stemming; "phrases", -exclusion, OR)' })),
  organization: Type.Optional(Multi),
  theme: Type.Optional(Multi),
  keyword: Type.Optional(Multi),
  license: Type.Optional(Multi),
  format: Type.Optional(Multi),
  geocoding: Type.Optional(Multi),
  modified_since: Type.Optional(Type.String({ description: 'ISO date or date-time: metadata modified at or after' })),
  sort: Type.Optional(Type.String({ description: 'Comma-separated keys, "-" for descending: score, metadata_modified, metadata_created, title, name, id' })),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000, description: 'From `nextCursor` of the previous page' })),
  include_private: Type.Optional(Type.Boolean({ description: 'Private datasets of your organizations (default true when authenticated)' })),
  include_deleted: Type.Optional(Type.Boolean({ description: 'Withdrawn datasets of the organizations you edit' })),
  facets: Type.Optional(Type.String({ description: `Comma-separated: ${FACETS.join(', ')}` })),
  facet_limit: Type.Optional(Type.Integer({ minimum: -1, maximum: 1000, default: 50 })),
});
type ListQueryT = Static<typeof ListQuery>;

const list = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean));

/** REST query parameters → the shared search contract. */
export function toSearchQuery(q: ListQueryT, authenticated: boolean): SearchQuery {
  const and: Filter[] = [];
  const fields: [keyof ListQueryT, FilterField][] = [
    ['organization', 'organization'],
    ['theme', 'theme'],
    ['keyword', 'keyword'],
    ['license', 'license'],
    ['format', 'format'],
    ['geocoding', 'geocoding'],
  ];
  for (const [param, field] of fields) {
    const values = param === 'keyword' ? (q.keyword === undefined ? [] : Array.isArray(q.keyword) ? q.keyword : [q.keyword]) : list(q[param] as string | string[] | undefined);
    if (values.length === 1) and.push({ op: 'eq', field, value: values[0] });
    else if (values.length > 1) and.push({ op: 'or', filters: values.map((value: string) => ({ op: 'eq' as const, field, value })) });
  }
  if (q.modified_since) and.push({ op: 'range', field: 'metadata_modified', from: q.modified_since, fromInclusive: true, toInclusive: true });
  const sort: SortKey[] = list(q.sort).map((s) => {
    const field = s.replace(/^[-+]/, '');
    if (!(SORTS as readonly string[]).includes(field)) throw badRequest(`Unknown sort key "${field}".`, [{ path: '/sort', message: `must be one of ${SORTS.join(', ')}` }]);
    return { field: field as SortKey['field'], direction: s.startsWith('-') ? 'desc' : 'asc' };
  });
  const facets = list(q.facets);
  for (const f of facets) if (!FACETS.includes(f as FacetField)) throw badRequest(`Unknown facet "${f}".`, [{ path: '/facets', message: `must be among ${FACETS.join(', ')}` }]);
  return {
    text: q.q?.trim() || undefined,
    filter: and.length ? { op: 'and', filters: and } : undefined,
    sort: sort.length ? sort : undefined,
    limit: q.limit ?? 20,
    offset: q.offset,
    cursor: q.cursor,
    includePrivate: q.include_private ?? authenticated,
    includeDeleted: q.include_deleted ?? false,
    facets: facets.length ? { fields: facets as FacetField[], limit: q.facet_limit ?? 50, mincount: 1 } : undefined,
  };
}

function ifMatch(request: FastifyRequest): string | undefined {
  const h = request.headers['if-match'];
  return Array.isArray(h) ? h.join(',') : h;
}

const datasetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, answers } = app.ctx;
  const db = () => app.ctx.database.db;
  const tags = ['datasets'];
  const security = [{ bearer: [] }];

  app.get(
    '/datasets',
    {
      schema: {
        tags,
        summary: 'Search and list datasets',
        description: 'Filters combine with AND, repeated values of one filter with OR. Page with limit/offset, or follow `next` (cursor) for stable deep paging.',
        querystring: ListQuery,
        response: { 200: DatasetList, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const result = await searchDatasets(db(), request.actor, toSearchQuery(request.query, isAuthenticated(request.actor)), loadVersions);
      let next: string | undefined;
      if (result.nextCursor) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query)) {
          if (k === 'cursor' || k === 'offset' || v === undefined) continue;
          for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
        }
        params.set('cursor', result.nextCursor);
        next = `${config.publicUrl}/api/v1/datasets?${params}`;
      }
      const body = {
        count: result.count,
        results: await answers.page(db(), 'rest', result.results, (s) => s.doc),
        ...(next ? { next, nextCursor: result.nextCursor } : {}),
        ...(result.facets ? { facets: result.facets } : {}),
      };
      // A page of documents goes out as bytes built from each document's JSON (../list-json.ts says why):
      // the same bytes the serializer would send, which the response schema's type cannot express.
      const bytes = recordWithListBytes(body, 'results');
      const type = reply.type(`${jsonType(request)}; charset=utf-8`);
      return bytes ? type.send(bytes as unknown as Static<typeof DatasetList>) : type.send({ ...body, results: [] });
    },
  );

  app.post(
    '/datasets',
    {
      schema: {
        tags,
        summary: 'Publish a dataset',
        description: 'Needs the editor role in the organization. Answers 201 with the stored document, its ETag and Location.',
        security,
        body: DatasetInputSchema,
        response: { 201: DatasetDocument, ...errors(400, 401, 403, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const stored = await createDataset(db(), config, request.actor, request.body as DatasetInput);
      reply.header('location', `${config.publicUrl}/api/v1/datasets/${stored.id}`);
      return sendDataset(request, reply, stored, 201);
    },
  );

  app.get(
    '/datasets/:id',
    {
      schema: {
        tags,
        summary: 'One dataset',
        description: 'JSON-LD (application/ld+json or application/json); text/turtle, application/rdf+xml and application/n-triples by content negotiation. Withdrawn datasets are readable by editors.',
        params: IdParam,
        response: { 200: DatasetDocument, ...errors(401, 404, 406) },
      },
    },
    async (request, reply) => {
      const stored = await getDataset(db(), request.actor, request.params.id, { includeDeleted: true });
      return sendDatasetRepresentation(request, reply, stored);
    },
  );

  app.put(
    '/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Replace a dataset',
        description: 'Distributions keep their id when it is sent back. Moving to another organization needs the editor role in both.',
        security,
        params: IdParam,
        headers: IfMatchHeaders,
        body: DatasetInputSchema,
        response: { 200: DatasetDocument, ...errors(400, 401, 403, 404, 409, 412, 413, 422) },
      },
    },
    async (request, reply) => {
      const stored = await updateDataset(db(), config, request.actor, request.params.id, request.body as DatasetInput, { ifMatch: ifMatch(request) });
      return sendDataset(request, reply, stored);
    },
  );

  app.patch(
    '/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Change part of a dataset (JSON merge patch)',
        security,
        params: IdParam,
        headers: IfMatchHeaders,
        body: MergePatch,
        response: { 200: DatasetDocument, ...errors(400, 401, 403, 404, 409, 412, 413, 422) },
      },
    },
    async (request, reply) => {
      // Wrong types in a patch are found on the merged document, and answered like any request validation (400 with the path).
      const stored = await patchDataset(db(), config, request.actor, request.params.id, request.body as DatasetInput, {
        ifMatch: ifMatch(request),
        checkInput: (merged) => assertBody(DatasetInputBody, merged),
      });
      return sendDataset(request, reply, stored);
    },
  );

  app.delete(
    '/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Withdraw a dataset (or purge it, sysadmins)',
        description: 'Withdrawing sets state deleted: hidden from lists, readable by editors, restorable from its revisions. `purge=true` removes it and its history for good and is written to the audit log.',
        security,
        params: IdParam,
        headers: IfMatchHeaders,
        querystring: Type.Object({ purge: Type.Optional(Type.Boolean()) }),
        response: { 200: DatasetDocument, 204: Type.Null({ description: 'Purged' }), ...errors(401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      if (request.query.purge) {
        await purgeDataset(db(), request.actor, request.params.id, { ifMatch: ifMatch(request) });
        request.log.warn({ dataset: request.params.id, user: request.actor.userName }, 'dataset purged');
        return reply.status(204).send(null);
      }
      const stored = await withdrawDataset(db(), request.actor, request.params.id, { ifMatch: ifMatch(request) });
      return sendDataset(request, reply, stored);
    },
  );
};

export default datasetRoutes;
