/**
 * Read-ahead for harvesters that follow hydra:next: when a page is answered
 * to a client that came by a next link, the page after it is read from the
 * database while this one is written and sent, so PostgreSQL works while
 * Node writes instead of each waiting for the other.
 *
 * A read-ahead is only used when the catalog's newest change is still the
 * one seen when it was started (else the page is read anew), and it is
 * dropped after `ttlMs`: the answer is what a read at that moment gives.
 * Memory is bounded by `max` pages; a failed read-ahead is simply not used.
 */
export class ReadAhead<T> {
  private readonly entries = new Map<string, { value: Promise<T>; newest: string | undefined; at: number }>();

  constructor(
    private readonly max = 8,
    private readonly ttlMs = 10_000,
  ) {}

  /** Starts reading the page of `key`, unless that read is already running. */
  start(key: string, newest: string | undefined, read: () => Promise<T>): void {
    if (this.entries.has(key)) return;
    this.evict();
    const value = read();
    // Not awaited until someone takes it: a failure must not become an unhandled rejection.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.entries.set(key, { value, newest, at: Date.now() });
  }

  /**
   * The read of `key` if one was started and is not too old; it is removed
   * (every read-ahead serves one request). `fresh(newest)` decides, once the
   * caller knows the catalog's newest change, whether the result may be used.
   */
  take(key: string): { value: Promise<T>; fresh(newest: string | undefined): boolean } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (Date.now() - entry.at > this.ttlMs) return undefined;
    return { value: entry.value, fresh: (newest) => newest === entry.newest };
  }

  /** The result of `key`'s read if it was started, succeeded and is fresh for `newest`; else undefined. */
  async takeFresh(key: string, newest: string | undefined): Promise<T | undefined> {
    const ahead = this.take(key);
    if (!ahead || !ahead.fresh(newest)) return undefined;
    return ahead.value.catch(() => undefined);
  }

  private evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (now - entry.at > this.ttlMs) this.entries.delete(key);
    // Insertion order: the oldest first.
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
