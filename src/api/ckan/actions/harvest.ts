import { and, eq, sql } from 'drizzle-orm';
import { harvestJobs, harvestRecords } from '../../../db/schema.js';
import { ckanTime, type Dict } from '../../../ckan/package.js';
import { validationError } from '../../../ckan/errors.js';
import { bool, required, str, type Data } from '../../../ckan/params.js';
import { createSource, deleteSource, getJob, getSource, listJobs, listSources, startJob, updateSource, type HarvestJobView, type HarvestSourceInput, type HarvestSourceView } from '../../../harvest/sources-admin.js';
import { kickHarvestWorker } from '../../../harvest/worker.js';
import type { ActionContext, Actions } from '../action.js';

/**
 * ckanext-harvest's actions over our harvest sources and jobs, in its dict shapes: a source
 * is a package of type "harvest" with source_type, frequency and config (a JSON string); a
 * job has status New/Running/Finished and stats added/updated/not modified/errored/deleted.
 */

// ckanext-harvest frequencies → cron; a cron we cannot name is reported as it is.
const FREQUENCY_CRON: Record<string, string> = { MANUAL: 'manual', ALWAYS: '*/15 * * * *', DAILY: '0 3 * * *', WEEKLY: '0 3 * * 1', BIWEEKLY: '0 3 1,15 * *', MONTHLY: '0 3 1 * *' };
const CRON_FREQUENCY = new Map(Object.entries(FREQUENCY_CRON).map(([f, c]) => [c, f]));

const JOB_STATUS: Record<HarvestJobView['status'], string> = { queued: 'New', running: 'Running', finished: 'Finished', failed: 'Finished' };

function jobDict(j: HarvestJobView): Dict {
  return {
    id: j.id,
    source_id: j.sourceId,
    created: ckanTime(j.createdAt),
    gather_started: j.startedAt ? ckanTime(j.startedAt) : null,
    gather_finished: j.finishedAt ? ckanTime(j.finishedAt) : null,
    finished: j.finishedAt ? ckanTime(j.finishedAt) : null,
    status: JOB_STATUS[j.status],
    stats: { added: j.counts.created, updated: j.counts.updated, 'not modified': j.counts.unchanged, errored: j.counts.failed + j.counts.conflicts + (j.status === 'failed' ? 1 : 0), deleted: j.counts.withdrawn },
  };
}

async function sourceDict(ctx: ActionContext, s: HarvestSourceView): Promise<Dict> {
  const jobs = await listJobs(ctx.db, ctx.actor, s.id, 1);
  const [{ n: jobCount }] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(harvestJobs).where(eq(harvestJobs.sourceId, s.id));
  const [{ n: total }] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(harvestRecords).where(and(eq(harvestRecords.sourceId, s.id)));
  return {
    id: s.id,
    name: s.name,
    title: s.title,
    type: 'harvest',
    url: s.url,
    source_type: s.type,
    frequency: CRON_FREQUENCY.get(s.schedule) ?? s.schedule,
    config: JSON.stringify(s.config),
    owner_org: s.organizationId,
    organization: { id: s.organizationId, name: s.organization },
    state: s.enabled ? 'active' : 'inactive',
    active: s.enabled,
    metadata_created: ckanTime(s.createdAt),
    metadata_modified: ckanTime(s.updatedAt),
    status: { job_count: Number(jobCount), total_datasets: Number(total), last_job: jobs[0] ? jobDict(jobs[0]) : null },
  };
}

function sourceInput(data: Data): HarvestSourceInput {
  const input: HarvestSourceInput = {};
  const s = (k: string) => str(data, k);
  if (s('name') !== undefined) input.name = s('name');
  if (s('title') !== undefined) input.title = s('title');
  if (s('url') !== undefined) input.url = s('url');
  if (s('owner_org') !== undefined) input.organization = s('owner_org');
  const type = s('source_type');
  if (type !== undefined) input.type = type as HarvestSourceInput['type'];
  const freq = s('frequency');
  if (freq !== undefined) input.schedule = FREQUENCY_CRON[freq.toUpperCase()] ?? freq;
  if (data.config !== undefined && data.config !== null && data.config !== '') {
    let config: unknown = data.config;
    if (typeof config === 'string') {
      try {
        config = JSON.parse(config);
      } catch {
        throw validationError({ config: ['Error parsing the configuration options: not JSON'] });
      }
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw validationError({ config: ['Error parsing the configuration options: not an object'] });
    input.config = config as Record<string, unknown>;
  }
  if (data.active !== undefined) input.enabled = bool(data, 'active', true);
  return input;
}

export const harvestActions: Actions = {
  harvest_source_list: {
    sideEffectFree: true,
    help: 'The harvest sources the caller can see (organization_id to filter).',
    run: async (ctx, data) => Promise.all((await listSources(ctx.db, ctx.actor, str(data, 'organization_id'))).map((s) => sourceDict(ctx, s))),
  },
  harvest_source_show: {
    sideEffectFree: true,
    help: 'One harvest source (id or name) with its status and last job.',
    run: async (ctx, data) => sourceDict(ctx, await getSource(ctx.db, ctx.actor, required(data, 'id', 'name'))),
  },
  harvest_source_create: {
    sideEffectFree: false,
    help: 'Create a harvest source: name, title, url, source_type (ckan, dcat), owner_org, frequency, config (JSON string).',
    run: async (ctx, data) => {
      for (const k of ['url', 'name', 'source_type', 'owner_org']) if (str(data, k) === undefined) throw validationError({ [k]: ['Missing value'] });
      const input = sourceInput(data);
      input.title ??= input.name;
      return sourceDict(ctx, await createSource(ctx.db, ctx.actor, input));
    },
  },
  harvest_source_update: {
    sideEffectFree: false,
    help: 'Change a harvest source (id or name, and the fields to change).',
    run: async (ctx, data) => {
      const ref = required(data, 'id', 'name');
      const input = sourceInput(data);
      if (str(data, 'id')) delete input.name;
      return sourceDict(ctx, await updateSource(ctx.db, ctx.actor, ref, input));
    },
  },
  harvest_source_delete: {
    sideEffectFree: false,
    help: 'Delete a harvest source and its jobs; the datasets it harvested stay.',
    run: async (ctx, data) => {
      await deleteSource(ctx.db, ctx.actor, required(data, 'id', 'name'));
      return null;
    },
  },
  harvest_job_create: {
    sideEffectFree: false,
    help: 'Queue a job for a source (source_id); refused while one is queued or running.',
    run: async (ctx, data) => {
      const job = await startJob(ctx.db, ctx.actor, required(data, 'source_id', 'source'), { trigger: 'ckan' });
      void kickHarvestWorker(ctx.config)?.catch((err: unknown) => ctx.log.error({ err }, 'harvest worker failed'));
      return jobDict(job);
    },
  },
  harvest_job_list: {
    sideEffectFree: true,
    help: 'Jobs of a source (source_id), newest first.',
    run: async (ctx, data) => (await listJobs(ctx.db, ctx.actor, required(data, 'source_id', 'source'))).map(jobDict),
  },
  harvest_job_show: {
    sideEffectFree: true,
    help: 'One job (id) with its stats, errors and log.',
    run: async (ctx, data) => {
      const job = await getJob(ctx.db, ctx.actor, required(data, 'id'));
      return { ...jobDict(job), object_error_summary: job.errors.map((e) => ({ message: `${e.sourceRecordId ?? e.uri ?? ''}: ${e.reasons.join('; ')}`, kind: e.kind })), gather_error_summary: job.error ? [{ message: job.error }] : [], log: job.log };
    },
  },
};
