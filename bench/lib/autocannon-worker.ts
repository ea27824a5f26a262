import { readFileSync } from 'node:fs';
import type { CannonJob, CannonResult } from './scenarios.js';
import { generateDatasets } from './generator.js';
import { summarize } from './report.js';

/**
 * The load generator's process: runs one autocannon job against the
 * listening service and prints its figures as one JSON line. A separate
 * process, so the generator does not share the event loop it measures.
 */

interface Req {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: Req) => Req;
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

/** One body after the other, each sent once (amount = number of bodies). */
function postBodies(next: () => string | undefined): Req {
  const { path, token } = job.post as NonNullable<CannonJob['post']>;
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    setupRequest: (req) => ({ ...req, body: next() ?? '{}' }),
  };
}

let requests: Req[];
if (job.post?.bodiesFile) {
  const bodies = (JSON.parse(readFileSync(job.post.bodiesFile, 'utf8')) as unknown[]).map((b) => JSON.stringify(b));
  let i = 0;
  requests = [postBodies(() => bodies[i++])];
} else if (job.post) {
  const { seed, prefix } = job.post;
  const docs = generateDatasets(job.amount ?? 300, seed ?? 1);
  requests = [
    postBodies(() => {
      const next = docs.next();
      return next.done ? undefined : JSON.stringify({ ...next.value, name: `${prefix}-${next.value.name}`.slice(0, 100) });
    }),
  ];
} else {
  requests = (job.paths ?? ['/']).map((path) => ({ method: 'GET', path }));
}

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  ...(job.amount ? { amount: job.amount } : { duration: job.duration ?? 10 }),
  requests,
});
// autocannon's own percentiles come from a histogram of whole milliseconds; a 3 ms target needs the fractions.
const times: number[] = [];
// autocannon ends a run of `amount` requests on its once-a-second tick, and its duration is whole
// seconds: the rate of such a run is taken from the first request's start to the last answer.
let first: number | undefined;
let last = 0;
instance.on('response', (_client, status, _bytes, responseTime) => {
  const now = performance.now();
  first ??= now - responseTime;
  last = now;
  if (status >= 200 && status < 300) times.push(responseTime);
});
const result = await instance;
const seconds = first === undefined ? 1 : (last - first) / 1000;
const s = summarize(times);
const out: CannonResult = {
  p50: s.p50,
  p95: s.p95,
  p99: s.p99,
  mean: s.mean,
  rps: result.requests.total / (job.amount ? seconds : result.duration || 1),
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
