import { and, asc, eq, ne } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import type { Db } from '../db/client.js';
import { harvestJobs, harvestSources } from '../db/schema.js';
import { HarvestBusyError, queueJob, runHarvestJob } from './runner.js';
import { cronMatches, parseCron } from './schedule.js';
import { failStaleJobs } from './job-lock.js';

/**
 * Queues a job for every enabled source whose schedule fires in the minute of `now`
 * (at most once per source and minute, across instances: see queueJob's notBefore).
 * Returns the names of the sources queued.
 */
export async function queueScheduledJobs(db: Db, logger: FastifyBaseLogger, now = new Date()): Promise<string[]> {
  const minute = new Date(now);
  minute.setSeconds(0, 0);
  const sources = await db.select().from(harvestSources).where(and(eq(harvestSources.enabled, true), ne(harvestSources.schedule, 'manual')));
  const queued: string[] = [];
  for (const s of sources) {
    let fires: boolean;
    try {
      fires = cronMatches(parseCron(s.schedule), now);
    } catch (err) {
      logger.warn({ source: s.name, schedule: s.schedule, err: (err as Error).message }, 'harvest source has an unusable schedule');
      continue;
    }
    if (!fires) continue;
    try {
      await queueJob(db, s.id, { trigger: 'schedule', incremental: s.config.incremental === true, notBefore: minute, logger });
      queued.push(s.name);
    } catch (err) {
      // 409: already queued, running or fired this minute (another instance).
      if ((err as { status?: number }).status !== 409) throw err;
    }
  }
  return queued;
}

export interface HarvestWorker {
  /** Runs queued jobs now (also what the timer does); resolves when the queue is empty. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Takes queued jobs from harvest_jobs (the queue lives in PostgreSQL) and runs them one at a
 * time. Several workers may run against one database: claiming a job is atomic and only
 * one job per source runs (see runner.claimJob).
 */
export function startHarvestWorker(db: Db, config: Config, logger: FastifyBaseLogger, opts: { pollMs?: number } = {}): HarvestWorker {
  let stopped = false;
  let current: Promise<void> | undefined;
  const controller = new AbortController();
  const drainOnce = async () => {
    // Jobs of workers that died (also ones whose source has nothing queued).
    await db.transaction((tx) => failStaleJobs(tx, { logger }));
    await queueScheduledJobs(db, logger);
    for (;;) {
      if (stopped) return;
      const queued = await db.select({ id: harvestJobs.id }).from(harvestJobs).where(eq(harvestJobs.status, 'queued')).orderBy(asc(harvestJobs.createdAt)).limit(20);
      let ran = 0;
      for (const { id } of queued) {
        if (stopped) return;
        try {
          await runHarvestJob(db, config, id, { signal: controller.signal, logger });
          ran++;
        } catch (e) {
          if (e instanceof HarvestBusyError) continue;
          // Claimed by another worker meanwhile, or gone: not ours to report.
          if ((e as { status?: number }).status === 409 || (e as { status?: number }).status === 404) continue;
          logger.error({ err: e, harvestJob: id }, 'harvest job crashed');
        }
      }
      if (ran === 0) return;
    }
  };
  const drain = () => {
    current ??= drainOnce().finally(() => {
      current = undefined;
    });
    return current;
  };
  const timer = setInterval(() => void drain().catch((err: unknown) => logger.error({ err }, 'harvest worker poll failed')), opts.pollMs ?? 5000);
  timer.unref();
  return {
    drain,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      controller.abort(new Error('The service is shutting down.'));
      await current?.catch(() => undefined);
    },
  };
}

const workers = new WeakMap<object, HarvestWorker>();

/** Starts the in-service worker when HARVEST_WORKER is on, and stops it with the app. */
export function registerHarvestWorker(app: { ctx: { config: Config; database: { db: Db } }; log: FastifyBaseLogger; addHook(name: 'onClose', fn: () => Promise<void>): unknown }): void {
  if (!app.ctx.config.harvest.worker) return;
  const worker = startHarvestWorker(app.ctx.database.db, app.ctx.config, app.log);
  workers.set(app.ctx.config, worker);
  app.addHook('onClose', () => worker.stop());
}

/** Tells the in-service worker of the app with this config that a job is queued (no-op without one: a separate worker polls). */
export function kickHarvestWorker(config: Config): Promise<void> | undefined {
  return workers.get(config)?.drain();
}
