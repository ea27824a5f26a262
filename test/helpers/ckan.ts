import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKEN } from './app.js';

export interface CkanAnswer {
  status: number;
  body: { help?: string; success?: boolean; result?: unknown; error?: Record<string, unknown> } & Record<string, unknown>;
  raw: string;
  headers: Record<string, unknown>;
}

/** Calls a CKAN action: POST with a JSON body, or GET with the data as query string (as ckanapi and browsers do). */
export async function call(
  app: FastifyInstance,
  action: string,
  data: Record<string, unknown> = {},
  opts: { method?: 'GET' | 'POST'; token?: string | null; headers?: Record<string, string>; path?: string } = {},
): Promise<CkanAnswer> {
  const method = opts.method ?? 'POST';
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
  if (token) headers.authorization = token;
  const base = `${opts.path ?? '/api/3/action'}/${action}`;
  let url = base;
  let payload: string | undefined;
  if (method === 'GET') {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(data)) {
      for (const x of Array.isArray(v) && k !== 'facet.field' ? v : [v]) qs.append(k, typeof x === 'string' ? x : JSON.stringify(x));
    }
    if ([...qs.keys()].length) url += `?${qs}`;
  } else {
    headers['content-type'] ??= 'application/json';
    payload = JSON.stringify(data);
  }
  const r = await app.inject({ method, url, headers, payload });
  let body: CkanAnswer['body'];
  try {
    body = r.json();
  } catch {
    body = {};
  }
  return { status: r.statusCode, body, raw: r.body, headers: r.headers };
}

/** The result of a successful call; fails loudly otherwise. */
export async function result<T = Record<string, unknown>>(app: FastifyInstance, action: string, data: Record<string, unknown> = {}, opts: Parameters<typeof call>[3] = {}): Promise<T> {
  const r = await call(app, action, data, opts);
  if (r.status !== 200 || r.body.success !== true) throw new Error(`${action}: ${r.status} ${r.raw}`);
  return r.body.result as T;
}

export const CSV = 'http://publications.europa.eu/resource/authority/file-type/CSV';

/** A package dict as a CKAN client sends it, with ckanext-dcatde extras. */
export function pkg(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    title: `Haushalt ${name}`,
    notes: 'Die Haushaltspläne als Tabellen.',
    owner_org: 'unna',
    license_id: 'dl-by-de/2.0',
    tags: [{ name: 'Haushalt' }, { name: 'Finanzen' }],
    groups: [{ name: 'gove' }],
    resources: [{ url: 'https://example.org/haushalt.csv', name: 'CSV', format: 'CSV' }],
    ...overrides,
  };
}
