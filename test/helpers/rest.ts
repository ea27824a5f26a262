import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKEN } from './app.js';

export const CSV = 'http://publications.europa.eu/resource/authority/file-type/CSV';
export const JSON_FORMAT = 'http://publications.europa.eu/resource/authority/file-type/JSON';
export const DL_BY = 'http://dcat-ap.de/def/licenses/dl-by-de/2.0';
export const CC_ZERO = 'http://dcat-ap.de/def/licenses/cc-zero';
export const THEME = (code: string) => `http://publications.europa.eu/resource/authority/data-theme/${code}`;

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function dataset(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Haushaltsplan der Stadt Unna',
    description: 'Die Haushaltspläne der Kreisstadt Unna als Tabellen.',
    organization: 'unna',
    keyword: ['Haushalt', 'Finanzen'],
    theme: [THEME('GOVE')],
    distribution: [{ title: 'CSV', accessURL: ['https://example.org/haushalt.csv'], format: CSV, license: DL_BY }],
    ...overrides,
  };
}

/** A user with the given role in an organization, and a token of theirs; through the API. */
export async function userWithRole(app: FastifyInstance, name: string, org?: string, role?: 'member' | 'editor' | 'admin'): Promise<string> {
  const u = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { name } });
  if (u.statusCode !== 201) throw new Error(`user ${name}: ${u.statusCode} ${u.body}`);
  if (org && role) {
    const m = await app.inject({ method: 'PUT', url: `/api/v1/organizations/${org}/members/${name}`, headers: admin, payload: { role } });
    if (m.statusCode !== 200) throw new Error(`member ${name}: ${m.statusCode} ${m.body}`);
  }
  const t = await app.inject({ method: 'POST', url: `/api/v1/users/${name}/tokens`, headers: admin, payload: { label: `${name} test token` } });
  if (t.statusCode !== 201) throw new Error(`token ${name}: ${t.statusCode} ${t.body}`);
  return t.json<{ token: string }>().token;
}

export async function create(app: FastifyInstance, body: Record<string, unknown> = dataset(), headers: Record<string, string> = admin) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/datasets', headers, payload: body });
  if (r.statusCode !== 201) throw new Error(`create: ${r.statusCode} ${r.body}`);
  return { doc: r.json<Record<string, unknown> & { id: string; name: string; revision: number }>(), etag: r.headers.etag as string };
}
