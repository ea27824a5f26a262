import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { StoredDataset } from '../../catalog/datasets.js';
import type { Dataset } from '../../domain/model.js';
import { datasetToQuads } from '../../rdf/mapping.js';
import { PREFIXES, serialize, type RdfFormat } from '../../rdf/syntax/index.js';

export const RDF_TYPES = ['text/turtle', 'application/rdf+xml', 'application/n-triples'] as const;
export type RdfType = (typeof RDF_TYPES)[number];
const JSON_TYPES = ['application/ld+json', 'application/json'] as const;
type JsonType = (typeof JSON_TYPES)[number];

/** The best of `offered` for an Accept header (q-values, type/* and * / *); undefined when none is acceptable. */
export function pickType<T extends string>(accept: string | undefined, offered: readonly T[]): T | undefined {
  if (!accept?.trim()) return offered[0];
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [range, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { range: range.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.range && !Number.isNaN(r.q));
  let best: { type: T; q: number; spec: number; order: number } | undefined;
  offered.forEach((type, order) => {
    for (const r of ranges) {
      const [rt, rs] = r.range.split('/');
      const [ot, os] = type.split('/');
      const spec = r.range === type ? 2 : rs === '*' && rt === ot ? 1 : r.range === '*/*' ? 0 : -1;
      if (spec < 0 || r.q <= 0) continue;
      const cand = { type, q: r.q, spec, order };
      if (!best || cand.q > best.q || (cand.q === best.q && (cand.spec > best.spec || (cand.spec === best.spec && cand.order < best.order)))) best = cand;
    }
  });
  return best?.type;
}

/** application/ld+json when the client asks for it, else plain application/json. */
export function jsonType(request: FastifyRequest): JsonType {
  return pickType(request.headers.accept, ['application/json', 'application/ld+json'] as const) === 'application/ld+json' ? 'application/ld+json' : 'application/json';
}

export function sendDataset(request: FastifyRequest, reply: FastifyReply, stored: StoredDataset, status = 200) {
  return reply.status(status).header('etag', stored.etag).type(`${jsonType(request)}; charset=utf-8`).send(stored.doc);
}

/** Picks the representation of one dataset: JSON(-LD) as stored, or an RDF syntax through the mapping. */
export async function sendDatasetRepresentation(request: FastifyRequest, reply: FastifyReply, stored: StoredDataset) {
  const type = pickType(request.headers.accept, [...JSON_TYPES, ...RDF_TYPES]);
  if (type === 'application/json' || type === 'application/ld+json') return sendDataset(request, reply, stored);
  if (!type) throw new AppError(406, 'not_acceptable', `This dataset is available as ${[...JSON_TYPES, ...RDF_TYPES].join(', ')}.`, { available: [...JSON_TYPES, ...RDF_TYPES] });
  const body = await serialize(RDF_FORMAT[type], datasetToQuads(stored.doc as Dataset, { profile: 'dcat-ap-de-2' }), { prefixes: PREFIXES });
  return reply.header('etag', stored.etag).header('vary', 'accept').type(`${type}; charset=utf-8`).send(body);
}

const RDF_FORMAT: Record<RdfType, RdfFormat> = { 'text/turtle': 'turtle', 'application/rdf+xml': 'rdfxml', 'application/n-triples': 'ntriples' };
