import type { Tx } from '../db/client.js';
import { foldFacetCounts } from './facet-counts.js';

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
 * minutes. Every instance runs one; concurrent folds take disjoint deltas. A
 * failing fold (database away) is logged once, and again when it works.
 */
export function startCountFolding(db: Tx, log: Log, intervalMs = 1000): CountFolding {
  let running: Promise<void> | undefined;
  let failing = false;
  const fold = () => {
    if (running) return;
    running = foldFacetCounts(db)
      .then(() => {
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
