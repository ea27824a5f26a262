import type { CannonJob, CannonResult } from './scenarios.js';
import { summarize } from './report.js';

/**
 * The load generator's process: runs one autocannon job against the
 * listening service and prints its figures as one JSON line. A separate
 * process, so the generator does not share the event loop it measures.
 */

interface Req {
  method: string;
  path: string;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  duration: number;
}
interface Instance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>) => Instance;

const job = JSON.parse(process.argv[2] ?? '{}') as CannonJob;
// A computed specifier: the package is optional and has no types here.
const spec = 'autocannon';
const autocannon = ((await import(spec)) as { default: Autocannon }).default;

const requests: Req[] = (job.paths ?? ['/']).map((path) => ({ method: 'GET', path }));

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.duration ?? 10,
  requests,
});
// autocannon's own percentiles come from a histogram of whole milliseconds; a 3 ms target needs the fractions.
const times: number[] = [];
instance.on('response', (_client, status, _bytes, responseTime) => {
  if (status >= 200 && status < 300) times.push(responseTime);
});
const result = await instance;
const s = summarize(times);
const out: CannonResult = {
  p50: s.p50,
  p95: s.p95,
  p99: s.p99,
  mean: s.mean,
  rps: result.requests.total / (result.duration || 1),
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
