import pg from 'pg';
import { generateDatasets } from './generator.js';
import { row, type ResultRow } from './report.js';

/**
 * The machine of the run, measured on fixed work: the same machine kind has been seen
 * at 1.5× different speeds from one session to the next (bulk load 1,130–1,900
 * datasets/s with the same code), and sequential HTTP scenarios depend on what a
 * round trip between two processes costs (a wake-up on another core) as much as on
 * raw speed. These rows say which kind of day a run had, so that runs can be
 * compared: lower is faster for each of them.
 */
export async function machineRows(baseUrl: string | undefined): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const info = (db: string, metric: string, value: number, unit: string, note: string) => rows.push(row({ scenario: 'machine', db, size: null, metric, value, unit, note }));

  // JavaScript: JSON in and out of 1,000 generated documents (what the service does most), best of 5.
  const text = JSON.stringify([...generateDatasets(1000, 1)]);
  info('node', 'JSON of 1,000 documents', await bestOf(5, () => JSON.stringify(JSON.parse(text))), 'ms', `best of 5; ${Math.round(text.length / 1024)} kB of JSON parsed and written`);

  if (!baseUrl) return rows;
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return rows;
  }
  try {
    // PostgreSQL: German stemming and hashing of 20,000 short texts (a write's tsvector), best of 3.
    const sql = `SELECT count(to_tsvector('german', 'Haltestellen und Straßenbäume im Kreis Unna ' || md5(i::text))) FROM generate_series(1, 20000) i`;
    info('pg', 'stemming 20,000 texts', await bestOf(3, () => client.query(sql)), 'ms', 'best of 3; one statement');
    // A round trip: 2,000 `SELECT 1` one after another on one connection (median of 200-query slices).
    const slices: number[] = [];
    for (let s = 0; s < 10; s++) {
      const t0 = performance.now();
      for (let i = 0; i < 200; i++) await client.query('SELECT 1');
      slices.push(((performance.now() - t0) / 200) * 1000);
    }
    slices.sort((a, b) => a - b);
    info('pg', 'round trip (SELECT 1)', (slices[4] + slices[5]) / 2, 'µs', 'median of 10 slices of 200 sequential queries over node-postgres');
  } finally {
    await client.end().catch(() => undefined);
  }
  return rows;
}

/** The shortest of n runs of `fn`, ms. */
async function bestOf(n: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
