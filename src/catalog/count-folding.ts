import type { Tx } from '../db/client.js';
import { foldFacetCounts, vacuumFacetCountDeltas } from './facet-counts.js';

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
 * Folds the facet count deltas writes append (migration 0006) into facet_counts
 * every `intervalMs`, so readers sum a few rows of deltas, not the writes of
 * minutes, and vacuums the deltas' table every `vacuumMs` after a fold, so the
 * rows folds delete do not pile up where autovacuum does not come. Every
 * instance runs one; concurrent folds take disjoint deltas. A failing fold
 * (database away) is logged once, and again when it works.
 */
export function startCountFolding(db: Tx, log: Log, intervalMs = 1000, vacuumMs = 30_000): CountFolding {
  let running: Promise<void> | undefined;
  let failing = false;
  let vacuumed = Date.now();
  const fold = () => {
    if (running) return;
    running = foldFacetCounts(db)
      .then(async () => {
        if (Date.now() - vacuumed >= vacuumMs) {
          vacuumed = Date.now();
          await vacuumFacetCountDeltas(db);
        }
        if (failing) log.info({}, 'facet count folding works again');
        failing = false;
      })
      .catch((err: unknown) => {
        if (!failing) log.warn({ err }, 'facet count folding failed; counts stay exact, reads sum more deltas until it works');
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
