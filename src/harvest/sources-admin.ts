import { and, asc, desc, eq, or } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { canAdminOrg, isAuthenticated, canReadPrivate } from '../auth/permissions.js';
import type { Db, Tx } from '../db/client.js';
import { harvestJobs, harvestRecordErrors, harvestSources, organizations, HARVEST_SOURCE_TYPES, type HarvestSourceType } from '../db/schema.js';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { isUuid } from '../catalog/datasets.js';
import { queueJob } from './runner.js';
import { failStaleJobs } from './job-lock.js';
import { settingsProblems } from './sources/index.js';
import { parseCron } from './schedule.js';

/** Harvest sources and jobs as the faces hand them out. */
export interface HarvestSourceView {
  id: string;
  name: string;
  title: string;
  type: HarvestSourceType;
  url: string;
  organization: string;
  organizationId: string;
  schedule: string;
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface HarvestSourceInput {
  name?: string;
  title?: string;
  type?: HarvestSourceType;
  url?: string;
  organization?: string;
  schedule?: string;
  config?: Record<string, unknown>;
  enabled?: boolean;
}

type SourceRow = typeof harvestSources.$inferSelect;
type JobRow = typeof harvestJobs.$inferSelect;

export interface HarvestJobView {
  id: string;
  sourceId: string;
  status: JobRow['status'];
  trigger: string;
  incremental: boolean;
  complete: boolean;
  pages: number;
  records: number;
  counts: { created: number; updated: number; unchanged: number; withdrawn: number; failed: number; conflicts: number };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  timings: Record<string, number>;
  error: string | null;
}

export interface HarvestJobDetail extends HarvestJobView {
  log: JobRow['log'];
  errors: { kind: string; sourceRecordId: string | null; uri: string | null; identifier: string | null; reasons: string[] }[];
}

const SLUG = /^[a-z0-9][a-z0-9_-]{1,99}$/;

function view(r: SourceRow, orgName: string): HarvestSourceView {
  return { ...r, organization: orgName, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

export function jobView(j: JobRow): HarvestJobView {
  return {
    id: j.id,
    sourceId: j.sourceId,
    status: j.status,
    trigger: j.trigger,
    incremental: j.incremental,
    complete: j.complete,
    pages: j.pages,
    records: j.records,
    counts: { created: j.created, updated: j.updated, unchanged: j.unchanged, withdrawn: j.withdrawn, failed: j.failed, conflicts: j.conflicts },
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    timings: j.timings,
    error: j.error,
  };
}

async function orgOf(db: Tx, ref: string) {
  const [org] = await db.select().from(organizations).where(isUuid(ref) ? or(eq(organizations.id, ref), eq(organizations.name, ref)) : eq(organizations.name, ref));
  return org;
}

async function sourceRow(db: Tx, ref: string): Promise<{ row: SourceRow; orgName: string }> {
  const [hit] = await db
    .select({ row: harvestSources, orgName: organizations.name })
    .from(harvestSources)
    .innerJoin(organizations, eq(organizations.id, harvestSources.organizationId))
    .where(isUuid(ref) ? or(eq(harvestSources.id, ref), eq(harvestSources.name, ref)) : eq(harvestSources.name, ref));
  if (!hit) throw notFound('Harvest source', ref);
  return hit;
}

function requireAdmin(actor: Actor, orgId: string, orgName: string): void {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!canAdminOrg(actor, orgId)) throw forbidden(`Managing harvest sources of organization "${orgName}" needs the admin role there.`);
}

/** Sources are visible to the members of their organization (their config may hold an API key). */
function requireMember(actor: Actor, orgId: string, orgName: string): void {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!canReadPrivate(actor, orgId)) throw forbidden(`Harvest sources of organization "${orgName}" are visible to its members.`);
}

function checkInput(input: HarvestSourceInput, type: HarvestSourceType): void {
  const problems: string[] = [];
  if (input.name !== undefined && !SLUG.test(input.name)) problems.push('name: 2–100 characters a-z, 0-9, "-" and "_"');
  if (input.url !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(input.url);
    } catch {
      problems.push('url: not an absolute URL');
    }
    if (u && u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('url: only http and https');
  }
  if (input.schedule !== undefined && input.schedule.trim() !== 'manual') {
    try {
      parseCron(input.schedule);
    } catch (e) {
      problems.push(`schedule: a cron expression ("0 3 * * *") or "manual"; ${(e as Error).message}`);
    }
  }
  if (!HARVEST_SOURCE_TYPES.includes(type)) problems.push(`type: one of ${HARVEST_SOURCE_TYPES.join(', ')}`);
  else if (input.config !== undefined) {
    const { defaultLicense, defaultThemes, incremental, ...rest } = input.config;
    if (incremental !== undefined && typeof incremental !== 'boolean') problems.push('config.incremental: true or false (scheduled runs incremental)');
    if (defaultLicense !== undefined && typeof defaultLicense !== 'string') problems.push('config.defaultLicense: a licence IRI');
    if (defaultThemes !== undefined && !(Array.isArray(defaultThemes) && defaultThemes.every((t) => typeof t === 'string'))) problems.push('config.defaultThemes: a list of theme IRIs');
    problems.push(...settingsProblems(type, rest).map((p) => `config${p}`));
  }
  if (problems.length) throw badRequest(`The harvest source is not valid: ${problems.join('; ')}.`, problems.map((message) => ({ path: `/${message.split(/[:.\s]/)[0]}`, message })));
}

export async function listSources(db: Tx, actor: Actor, orgRef?: string): Promise<HarvestSourceView[]> {
  if (!isAuthenticated(actor)) throw unauthorized();
  const rows = await db.select({ row: harvestSources, orgName: organizations.name }).from(harvestSources).innerJoin(organizations, eq(organizations.id, harvestSources.organizationId)).orderBy(asc(harvestSources.name));
  return rows.filter((r) => canReadPrivate(actor, r.row.organizationId) && (!orgRef || r.orgName === orgRef || r.row.organizationId === orgRef)).map((r) => view(r.row, r.orgName));
}

export async function getSource(db: Tx, actor: Actor, ref: string): Promise<HarvestSourceView> {
  const { row, orgName } = await sourceRow(db, ref);
  requireMember(actor, row.organizationId, orgName);
  return view(row, orgName);
}

export async function createSource(db: Db, actor: Actor, input: HarvestSourceInput): Promise<HarvestSourceView> {
  if (!isAuthenticated(actor)) throw unauthorized();
  if (!input.name || !input.title || !input.type || !input.url || !input.organization) throw badRequest('A harvest source needs name, title, type, url and organization.');
  checkInput(input, input.type);
  return db.transaction(async (tx) => {
    const org = await orgOf(tx, input.organization as string);
    if (!org) throw badRequest(`Organization "${input.organization}" does not exist.`);
    requireAdmin(actor, org.id, org.name);
    const [taken] = await tx.select({ id: harvestSources.id }).from(harvestSources).where(eq(harvestSources.name, input.name as string));
    if (taken) throw conflict(`A harvest source named "${input.name}" already exists.`);
    const [row] = await tx
      .insert(harvestSources)
      .values({ organizationId: org.id, name: input.name as string, title: input.title as string, type: input.type as HarvestSourceType, url: input.url as string, schedule: input.schedule?.trim() ?? 'manual', config: input.config ?? {}, enabled: input.enabled ?? true })
      .returning();
    return view(row, org.name);
  });
}

export async function updateSource(db: Db, actor: Actor, ref: string, input: HarvestSourceInput): Promise<HarvestSourceView> {
  return db.transaction(async (tx) => {
    const { row, orgName } = await sourceRow(tx, ref);
    requireAdmin(actor, row.organizationId, orgName);
    checkInput(input, input.type ?? row.type);
    if (input.type && input.type !== row.type && input.config === undefined) checkInput({ config: row.config }, input.type);
    let org = { id: row.organizationId, name: orgName };
    if (input.organization && input.organization !== orgName && input.organization !== row.organizationId) {
      const target = await orgOf(tx, input.organization);
      if (!target) throw badRequest(`Organization "${input.organization}" does not exist.`);
      requireAdmin(actor, target.id, target.name);
      org = target;
    }
    if (input.name && input.name !== row.name) {
      const [taken] = await tx.select({ id: harvestSources.id }).from(harvestSources).where(eq(harvestSources.name, input.name));
      if (taken) throw conflict(`A harvest source named "${input.name}" already exists.`);
    }
    const [updated] = await tx
      .update(harvestSources)
      .set({
        organizationId: org.id,
        name: input.name ?? row.name,
        title: input.title ?? row.title,
        type: input.type ?? row.type,
        url: input.url ?? row.url,
        schedule: input.schedule?.trim() ?? row.schedule,
        config: input.config ?? row.config,
        enabled: input.enabled ?? row.enabled,
        updatedAt: new Date(),
      })
      .where(eq(harvestSources.id, row.id))
      .returning();
    return view(updated, org.name);
  });
}

/** Deletes a source and its jobs; the datasets it harvested stay (they become the organization's own). */
export async function deleteSource(db: Db, actor: Actor, ref: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { row, orgName } = await sourceRow(tx, ref);
    requireAdmin(actor, row.organizationId, orgName);
    await failStaleJobs(tx, { sourceId: row.id });
    const [running] = await tx.select({ id: harvestJobs.id }).from(harvestJobs).where(and(eq(harvestJobs.sourceId, row.id), eq(harvestJobs.status, 'running')));
    if (running) throw conflict(`The source has a running job (${running.id}); delete it when the job has ended.`);
    await tx.delete(harvestSources).where(eq(harvestSources.id, row.id));
  });
}

/** Queues a job (organization admins); the worker picks it up. */
export async function startJob(db: Db, actor: Actor, ref: string, opts: { incremental?: boolean; trigger?: string } = {}): Promise<HarvestJobView> {
  const { row, orgName } = await sourceRow(db, ref);
  requireAdmin(actor, row.organizationId, orgName);
  return jobView(await queueJob(db, row.id, { trigger: opts.trigger ?? 'api', userId: actor.userId, incremental: opts.incremental }));
}

export async function listJobs(db: Tx, actor: Actor, ref: string, limit = 50): Promise<HarvestJobView[]> {
  const { row, orgName } = await sourceRow(db, ref);
  requireMember(actor, row.organizationId, orgName);
  const rows = await db.select().from(harvestJobs).where(eq(harvestJobs.sourceId, row.id)).orderBy(desc(harvestJobs.createdAt)).limit(limit);
  return rows.map(jobView);
}

export async function getJob(db: Tx, actor: Actor, id: string): Promise<HarvestJobDetail> {
  if (!isUuid(id)) throw notFound('Harvest job', id);
  const [hit] = await db
    .select({ job: harvestJobs, orgId: harvestSources.organizationId, orgName: organizations.name })
    .from(harvestJobs)
    .innerJoin(harvestSources, eq(harvestSources.id, harvestJobs.sourceId))
    .innerJoin(organizations, eq(organizations.id, harvestSources.organizationId))
    .where(eq(harvestJobs.id, id));
  if (!hit) throw notFound('Harvest job', id);
  requireMember(actor, hit.orgId, hit.orgName);
  const errs = await db.select().from(harvestRecordErrors).where(eq(harvestRecordErrors.jobId, id)).orderBy(asc(harvestRecordErrors.id)).limit(1000);
  return {
    ...jobView(hit.job),
    log: hit.job.log,
    errors: errs.map((e) => ({ kind: e.kind, sourceRecordId: e.sourceRecordId, uri: e.uri, identifier: e.identifier, reasons: e.reasons })),
  };
}
