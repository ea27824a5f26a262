import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../auth/actor.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import type { StoredDataset } from '../../catalog/datasets.js';
import type { DatasetVersion } from '../../catalog/search.js';
import type { AnswerCache } from '../answer-cache.js';
import type { JsonBytes } from '../list-json.js';
import { organizationsByRef, type Organization } from '../../catalog/organizations.js';
import { packageDict, type Dict } from '../../ckan/package.js';
import type { Data } from '../../ckan/params.js';

/** What an action sees: who asks, the catalog, and per-request lookups. */
export interface ActionContext {
  actor: Actor;
  config: Config;
  db: Db;
  log: FastifyBaseLogger;
  /** The organizations by id and by name, loaded once per request. */
  organizations(): Promise<Map<string, Organization>>;
  /** The package dict of a stored dataset, with its organization. */
  packageOf(stored: StoredDataset): Promise<Dict>;
  /** The package dicts of stored datasets, in their order (the organizations looked up once). */
  packagesOf(stored: readonly StoredDataset[]): Promise<Dict[]>;
  /** The package dicts of a page's datasets as JSON, kept per dataset version and organization. */
  packagesJsonOf(rows: readonly DatasetVersion[]): Promise<JsonBytes[]>;
}

export interface Action {
  /** Read-only actions answer GET; the others need POST (ckan/views/api.py). */
  sideEffectFree: boolean;
  /** For help_show. */
  help: string;
  run(ctx: ActionContext, data: Data): Promise<unknown>;
}

export type Actions = Record<string, Action>;

// A package dict shows its organization: a kept dict holds for the organization as it was.
const organizationStamps = new WeakMap<Organization, string>();
function stampOf(org: Organization | undefined): string {
  if (!org) return '';
  let stamp = organizationStamps.get(org);
  if (stamp === undefined) organizationStamps.set(org, (stamp = JSON.stringify(org)));
  return stamp;
}

export function actionContext(base: Pick<ActionContext, 'actor' | 'config' | 'db' | 'log'>, answers: AnswerCache): ActionContext {
  let orgs: Promise<Map<string, Organization>> | undefined;
  const organizations = () => (orgs ??= organizationsByRef(base.db));
  const lang = base.config.catalog.language;
  return {
    ...base,
    organizations,
    async packageOf(stored) {
      const org = (await organizations()).get(stored.organizationId);
      return packageDict(stored, { lang, organization: org });
    },
    async packagesOf(stored) {
      const orgs = await organizations();
      return stored.map((s) => packageDict(s, { lang, organization: orgs.get(s.organizationId) }));
    },
    async packagesJsonOf(rows) {
      const orgs = await organizations();
      return answers.page(base.db, 'ckan', rows, (s) => packageDict(s, { lang, organization: orgs.get(s.organizationId) }), (id) => stampOf(orgs.get(id)));
    },
  };
}
