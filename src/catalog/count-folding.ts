import type { Tx } from '../db/client.js';
import { foldFacetCounts, vacuumFacetCountChanges } from './facet-counts.js';

/** What folding needs of a logger (pino's, fastify's). */
interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CountFolding {
  /** Stops the timer and waits for a fold under way. */
  stop(): Promise<void>;
}

/**
 * Folds the facet count changes writes append (migration 0008) into facet_counts
 * every `intervalMs`, so readers expand a second of changes, not the writes of
 * minutes. After a fold that moved rows it vacuums the changes' table: every
 * read of counts (a search without text, each page of the catalog export)
 * scans that table, and where autovacuum does not come it grew with the rows
 * folds delete (27 MB after 6,000 creates, 40–60 ms a read). Without writes it
 * vacuums every `idleVacuumMs`, for what other folds (a harvest job, another
 * instance) left. Every instance runs one; concurrent folds take disjoint
 * changes. A failing fold (database away) is logged once, and again when it works.
 */
export function startCountFolding(db: Tx, log: Log, intervalMs = 1000, idleVacuumMs = 30_000): CountFolding {
  let running: Promise<void> | undefined;
  let failing = false;
  let vacuumed = Date.now();
  const fold = () => {
    if (running) return;
    running = foldFacetCounts(db)
      .then(async (folded) => {
        if (folded > 0 || Date.now() - vacuumed >= idleVacuumMs) {
          vacuumed = Date.now();
          await vacuumFacetCountChanges(db);
        }
        if (failing) log.info({}, 'facet count folding works again');
        failing = false;
      })
      .catch((err: unknown) => {
        if (!failing) log.warn({ err }, 'facet count folding failed; counts stay exact, reads expand more changes until it works');
        failing = true;
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(fold, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
