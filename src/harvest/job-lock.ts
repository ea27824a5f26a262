import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Db, Tx } from '../db/client.js';
import { harvestJobs, type HarvestLogEntry } from '../db/schema.js';

/**
 * Who is still running a `running` job. While a job runs, its runner holds a session-level
 * advisory lock keyed by the job (on PostgreSQL, on a connection of its own for the whole
 * run) and lists the job in this process. A process that dies loses both: its connection
 * closes and PostgreSQL drops the lock. A `running` job that is neither listed here nor
 * locked by any session is stale. PGlite has one session per process (advisory locks are
 * re-entrant within a session, so the lock says nothing there); the process-local list
 * answers alone, which is exact, as one process holds an embedded database at a time.
 */
const activeHere = new Set<string>();

export const STALE_JOB_ERROR = 'The worker stopped before the job finished (its process ended or lost the database); nothing was withdrawn.';

const lockKey = (jobId: string) => sql`hashtext(${`harvest-job:${jobId}`})`;

export interface JobLock {
  release(): Promise<void>;
}

/**
 * Marks the job as run by this process and, on PostgreSQL, takes its advisory lock on a
 * dedicated connection. Undefined when another session holds the lock (another worker is
 * about to run it). Taken before the claim, so no instant exists where the row is
 * `running` without a holder.
 */
export async function holdJobLock(db: Db, jobId: string, logger?: FastifyBaseLogger): Promise<JobLock | undefined> {
  if (activeHere.has(jobId)) return undefined;
  const pool = (db as unknown as { $client?: unknown }).$client;
  let client: pg.PoolClient | undefined;
  if (pool instanceof pg.Pool) {
    client = await pool.connect();
    // A checked-out client that loses its server emits 'error'; unhandled it would end the process.
    client.on('error', (err) => logger?.error({ err, harvestJob: jobId }, 'harvest job lock connection failed'));
    const res = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [`harvest-job:${jobId}`]);
    if (!res.rows[0]?.locked) {
      client.release();
      return undefined;
    }
  }
  activeHere.add(jobId);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      activeHere.delete(jobId);
      if (!client) return;
      try {
        await client.query('select pg_advisory_unlock(hashtext($1))', [`harvest-job:${jobId}`]);
        client.release();
      } catch (err) {
        // The connection is gone, and the lock with it.
        client.release(err as Error);
      }
    },
  };
}

/**
 * Marks every `running` job (of one source, or all) whose runner is gone as failed, with
 * a clear error and a line in its log. Withdraws nothing. Call inside the transaction that
 * queues or claims a job of the source, so the check and the write see the same state.
 */
export async function failStaleJobs(tx: Tx, opts: { sourceId?: string; logger?: FastifyBaseLogger } = {}): Promise<string[]> {
  const running = await tx
    .select({ id: harvestJobs.id, sourceId: harvestJobs.sourceId })
    .from(harvestJobs)
    .where(opts.sourceId ? and(eq(harvestJobs.status, 'running'), eq(harvestJobs.sourceId, opts.sourceId)) : eq(harvestJobs.status, 'running'));
  const failed: string[] = [];
  for (const job of running) {
    if (activeHere.has(job.id)) continue;
    // Succeeds only when no session holds the job's lock; released with the transaction.
    const res = (await tx.execute(sql`select pg_try_advisory_xact_lock(${lockKey(job.id)}) as free`)) as unknown as { rows: { free: boolean }[] };
    if (!res.rows[0]?.free) continue;
    const entry: HarvestLogEntry = { at: new Date().toISOString(), level: 'error', msg: `Job marked failed: ${STALE_JOB_ERROR}` };
    const [marked] = await tx
      .update(harvestJobs)
      .set({ status: 'failed', finishedAt: new Date(), error: STALE_JOB_ERROR, log: sql`${harvestJobs.log} || ${JSON.stringify([entry])}::jsonb` })
      .where(and(eq(harvestJobs.id, job.id), eq(harvestJobs.status, 'running')))
      .returning({ id: harvestJobs.id });
    if (!marked) continue;
    failed.push(job.id);
    opts.logger?.warn({ harvestJob: job.id, harvestSource: job.sourceId }, 'stale harvest job marked failed: its worker stopped before the job finished');
  }
  return failed;
}
