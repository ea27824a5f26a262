import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import type { Database } from '../db/client.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { queueJob, runHarvestJob, type Progress } from './runner.js';
import { getJob, getSource, listJobs, listSources } from './sources-admin.js';
import { startHarvestWorker } from './worker.js';

/** The harvest commands of `catalog` (see src/cli/main.ts). */

type Out = (line: string) => void;
type Command = (db: Database, config: Config, args: string[]) => Promise<void>;

export const HARVEST_USAGE = `  harvest list                                   list harvest sources
  harvest run SOURCE [--incremental]             run a job now, in the foreground; exit 1 when it fails
  harvest jobs SOURCE                            the last jobs of a source
  harvest job ID                                 one job with its errors and log
  worker                                         run queued harvest jobs until SIGTERM
`;

const actor = systemActor('cli');

function progressLine(p: Progress): string {
  const c = p.counts;
  const of = p.total !== undefined ? `/${p.total}` : '';
  return `page ${p.pages}, ${p.records}${of} records: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.failed} failed, ${c.conflicts} conflicts`;
}

export function harvestCommands(out: Out, usage: (message: string) => Error): Record<string, Command> {
  const one = (args: string[], what: string) => {
    const positional = args.filter((a) => !a.startsWith('--'));
    if (positional.length !== 1) throw usage(`expected one ${what}`);
    return positional[0];
  };
  return {
    async 'harvest list'(db) {
      for (const s of await listSources(db.db, actor)) out(`${s.name}\t${s.type}\t${s.organization}\t${s.schedule}\t${s.enabled ? 'enabled' : 'disabled'}\t${s.url}`);
    },

    async 'harvest run'(db, config, args) {
      const unknown = args.filter((a) => a.startsWith('--') && a !== '--incremental');
      if (unknown.length) throw usage(`unknown option ${unknown[0]}`);
      const source = await getSource(db.db, actor, one(args, 'SOURCE'));
      const job = await queueJob(db.db, source.id, { trigger: 'cli', incremental: args.includes('--incremental') });
      const tty = process.stderr.isTTY === true;
      const done = await runHarvestJob(db.db, config, job.id, {
        onProgress: (p) => process.stderr.write(tty ? `\r\x1b[K${progressLine(p)}` : `${progressLine(p)}\n`),
      });
      if (tty) process.stderr.write('\n');
      out(`job ${done.id} ${done.status}: ${done.pages} pages, ${done.records} records; ${done.created} created, ${done.updated} updated, ${done.unchanged} unchanged, ${done.withdrawn} withdrawn, ${done.failed} failed, ${done.conflicts} conflicts (${done.timings.total ?? 0} ms)`);
      if (done.status === 'failed') throw new AppError(500, 'harvest_failed', `the job failed: ${done.error}`);
    },

    async 'harvest jobs'(db, _config, args) {
      for (const j of await listJobs(db.db, actor, one(args, 'SOURCE'), 20)) {
        const c = j.counts;
        out(`${j.id}\t${j.status}\t${j.createdAt}\t+${c.created} ~${c.updated} =${c.unchanged} -${c.withdrawn} !${c.failed} x${c.conflicts}${j.error ? `\t${j.error}` : ''}`);
      }
    },

    async 'harvest job'(db, _config, args) {
      const j = await getJob(db.db, actor, one(args, 'ID'));
      out(JSON.stringify(j, null, 2));
    },

    async worker(db, config) {
      const logger = pino({ level: config.logLevel }) as unknown as FastifyBaseLogger;
      const worker = startHarvestWorker(db.db, config, logger, { pollMs: 2000 });
      logger.info('harvest worker started');
      await worker.drain();
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      logger.info('harvest worker stopping');
      await worker.stop();
    },
  };
}
