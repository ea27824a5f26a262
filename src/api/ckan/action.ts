import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../auth/actor.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import type { StoredDataset } from '../../catalog/datasets.js';
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
}

export interface Action {
  /** Read-only actions answer GET; the others need POST (ckan/views/api.py). */
  sideEffectFree: boolean;
  /** For help_show. */
  help: string;
  run(ctx: ActionContext, data: Data): Promise<unknown>;
}

export type Actions = Record<string, Action>;

export function actionContext(base: Pick<ActionContext, 'actor' | 'config' | 'db' | 'log'>): ActionContext {
  let orgs: Promise<Map<string, Organization>> | undefined;
  const organizations = () => (orgs ??= organizationsByRef(base.db));
  return {
    ...base,
    organizations,
    async packageOf(stored) {
      const org = (await organizations()).get(stored.organizationId);
      return packageDict(stored, { lang: base.config.catalog.language, organization: org });
    },
    async packagesOf(stored) {
      const orgs = await organizations();
      const lang = base.config.catalog.language;
      return stored.map((s) => packageDict(s, { lang, organization: orgs.get(s.organizationId) }));
    },
  };
}
