import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { anonymous } from '../../auth/actor.js';
import { getDataset } from '../../catalog/datasets.js';
import { exportPage, newestChange, type ExportDataset } from '../../catalog/export.js';
import type { SearchResult } from '../../catalog/query.js';
import type { Config } from '../../config/index.js';
import type { Dataset } from '../../domain/model.js';
import type { Profile } from '../../domain/property.js';
import type { Tx } from '../../db/client.js';
import { catalogQuads, hydraQuads } from '../../rdf/catalog.js';
import { datasetQuads } from '../../rdf/mapping.js';
import { formatFromExtension, type RdfFormat } from '../../rdf/syntax/index.js';
import { readCatalogParams, readProfile, type CatalogParams } from './params.js';
import { ReadAhead } from './read-ahead.js';
import { RenderPool } from './render-pool.js';
import { pageJob, renderRdf } from './render.js';
import { formatOf, sendRdf, type RdfResponse } from './respond.js';

/**
 * The DCAT-AP.de catalog endpoints national portals harvest, with
 * ckanext-dcat's URLs and paging: /catalog (content negotiation) and
 * /catalog.{ttl,rdf,xml,jsonld,nt}, one page of datasets each; /dataset/{id
 * or name}[.ext] for one dataset. Anonymous view only: private, draft and
 * withdrawn datasets never appear. Pages are ordered by dataset id (unique,
 * never changes), and the hydra:next link carries a keyset cursor, so a
 * harvest that follows it sees every dataset once even while the catalog
 * changes.
 */

type Query = Record<string, string | string[] | undefined>;

const EXTENSIONS = ['ttl', 'rdf', 'xml', 'jsonld', 'nt'] as const;
const QuerySchema = Type.Object(
  {
    page: Type.Optional(Type.String({ description: '1-based page number (default 1)' })),
    modified_since: Type.Optional(Type.String({ description: 'Only datasets changed at or after this ISO 8601 date or date-time' })),
    q: Type.Optional(Type.String({ description: 'Search as package_search q: free text with German stemming, or Solr field terms' })),
    fq: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Filter as package_search fq (Solr syntax)' })),
    profile: Type.Optional(Type.String({ description: 'dcat-ap-de-2 (DCAT-AP.de 2.0) or dcat-ap-de-3 (DCAT-AP.de 3.0); default from CATALOG_PROFILE' })),
    profiles: Type.Optional(Type.String({ description: 'ckanext-dcat name of profile' })),
    cursor: Type.Optional(Type.String({ description: 'Keyset cursor from a hydra:next link' })),
  },
  { additionalProperties: true },
);

/** A page's answer made ahead of its request, with the cursor of the page after it. */
interface Prepared {
  answer: RdfResponse;
  nextCursor: string | undefined;
}

/** What the output depends on besides the data: a change of catalog metadata changes every ETag. */
const fingerprint = (config: Config) => JSON.stringify([config.publicUrl, config.catalog]);

function etagOf(parts: unknown[]): string {
  return `"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}"`;
}

const dcatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, database } = app.ctx;
  const db = database.db as Tx;
  const pageSize = config.dcat.pageSize;
  const catalogUri = `${config.publicUrl}/catalog`;
  const mapping = (profile: Profile) => ({ profile, contributorId: config.catalog.contributorId });
  const readAhead = new ReadAhead<Prepared>();
  const rowsAhead = new ReadAhead<SearchResult<ExportDataset>>();
  const renderPool = new RenderPool(config.dcat.renderThreads);
  app.addHook('onClose', () => renderPool.close());

  /** One page of the catalog, the document not yet written: what sendRdf needs. */
  function pageAnswer(format: RdfFormat, negotiated: boolean, params: CatalogParams, path: string, result: SearchResult<ExportDataset>, newest: string | undefined): RdfResponse {
    // Written between the two reads: a dataset withdrawn or made private just now is left out.
    const datasets = result.results.filter((d) => d.state === 'active' && !d.private);
    const pageUrl = (n: number, extra: [string, string][] = []) => {
      const search = new URLSearchParams([...params.carried, ...extra, ['page', String(n)]]);
      return `${config.publicUrl}${path}?${search.toString()}`;
    };
    const opts = mapping(params.profile);
    const paging = {
      totalItems: result.count,
      itemsPerPage: pageSize,
      page: params.page,
      pageUrl: (n: number, current: boolean) => pageUrl(n, current && params.cursor ? [['cursor', params.cursor]] : []),
      // Keyset paging knows better than page arithmetic once datasets went away behind the cursor.
      hasNext: result.nextCursor !== undefined,
      ...(result.nextCursor ? { nextUrl: pageUrl(params.page + 1, [['cursor', result.nextCursor]]) } : {}),
    };
    return {
      format,
      etag: etagOf([format, params.profile, params.carried, params.page, params.cursor, result.count, newest, datasets.map((d) => d.version), fingerprint(config)]),
      negotiated,
      ...(newest ? { lastModified: new Date(newest) } : {}),
      body: () => {
        const head = [...catalogQuads({ uri: catalogUri, metadata: config.catalog, modified: newest, datasets: datasets.map((d) => d.uri) }, opts), ...hydraQuads(paging)];
        return renderPool.render(pageJob(format, opts, head, datasets));
      },
    };
  }

  async function catalog(request: FastifyRequest, reply: FastifyReply, fixed: RdfFormat | undefined) {
    const format = formatOf(request, fixed);
    const params = readCatalogParams(request.query as Query, config.dcat.profile);
    const path = request.url.split('?')[0];
    const read = (cursor: string | undefined, page: number, knownCount?: number) =>
      exportPage(db, anonymous('dcat'), {
        text: params.text,
        filter: params.filter,
        sort: [{ field: 'id', direction: 'asc' }],
        limit: pageSize,
        ...(cursor ? { cursor } : { offset: (page - 1) * pageSize }),
        knownCount,
      });
    // Everything the answer depends on besides the data (the next link carries all of it).
    const keyOf = (page: number, cursor: string | undefined) => JSON.stringify([path, format, fixed, params.profile, params.carried, page, cursor]);
    const rowsKeyOf = (cursor: string) => JSON.stringify([params.text, params.filter, cursor]);
    const ahead = readAhead.take(keyOf(params.page, params.cursor));
    const [early, newest] = await Promise.all([ahead ? ahead.value.catch(() => undefined) : read(params.cursor, params.page), newestChange(db)]);
    let answer: RdfResponse;
    let nextCursor: string | undefined;
    if (ahead && early && ahead.fresh(newest)) ({ answer, nextCursor } = early as Prepared);
    else {
      const result = ahead ? await read(params.cursor, params.page) : (early as SearchResult<ExportDataset>);
      answer = pageAnswer(format, !fixed, params, path, result, newest);
      nextCursor = result.nextCursor;
    }
    // A client that came by a next link will most likely ask for the next one: its answer is
    // made while this one travels and the client reads it, and the rows of the page after
    // that are read from the database while the next one is written (two pages ahead at most).
    if (params.cursor && nextCursor && request.method === 'GET') {
      const next = { ...params, page: params.page + 1, cursor: nextCursor };
      readAhead.start(keyOf(next.page, next.cursor), newest, async () => {
        const result = (await rowsAhead.takeFresh(rowsKeyOf(next.cursor), newest)) ?? (await read(next.cursor, next.page));
        const after = result.nextCursor;
        // These rows were read after `newest` (or under it, when taken fresh), and the rows read
        // ahead are only used while it holds: their total is the total then, not counted again.
        if (after) rowsAhead.start(rowsKeyOf(after), newest, () => read(after, next.page + 1, result.count));
        const prepared = pageAnswer(format, !fixed, next, path, result, newest);
        const body = await prepared.body();
        return { answer: { ...prepared, body: async () => body }, nextCursor: result.nextCursor };
      });
    }
    return sendRdf(request, reply, answer);
  }

  async function dataset(request: FastifyRequest<{ Params: { ref: string } }>, reply: FastifyReply) {
    let ref = request.params.ref;
    let fixed: RdfFormat | undefined;
    const m = /^(.+)\.([a-z]+)$/.exec(ref);
    if (m && (EXTENSIONS as readonly string[]).includes(m[2])) {
      ref = m[1];
      fixed = formatFromExtension(m[2]);
    }
    const format = formatOf(request, fixed);
    const profile = readProfile(request.query as Query, config.dcat.profile);
    const stored = await getDataset(db, anonymous('dcat'), ref);
    const opts = mapping(profile);
    return sendRdf(request, reply, {
      format,
      etag: etagOf([format, profile, stored.etag, fingerprint(config)]),
      lastModified: new Date(stored.metadataModified),
      negotiated: !fixed,
      body: () => renderRdf(format, [datasetQuads(stored.doc as Dataset, opts)]),
    });
  }

  const catalogSchema = (summary: string) => ({
    schema: { tags: ['dcat'], summary, querystring: QuerySchema },
  });
  app.get('/catalog', catalogSchema('One page of the DCAT-AP.de catalog, format by Accept'), (request, reply) => catalog(request, reply, undefined));
  for (const ext of EXTENSIONS) {
    app.get(`/catalog.${ext}`, catalogSchema(`One page of the DCAT-AP.de catalog as ${ext}`), (request, reply) => catalog(request, reply, formatFromExtension(ext)));
  }
  app.get(
    '/dataset/:ref',
    {
      schema: {
        tags: ['dcat'],
        summary: 'One dataset in DCAT-AP.de; by id or name, format by Accept or by the extension .ttl, .rdf, .xml, .jsonld or .nt',
        params: Type.Object({ ref: Type.String() }),
        querystring: Type.Object({ profile: Type.Optional(Type.String()), profiles: Type.Optional(Type.String()) }, { additionalProperties: true }),
      },
    },
    dataset,
  );
};

export default dcatRoutes;
