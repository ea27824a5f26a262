import type { CannonJob, CannonResult } from './scenarios.js';
import { generateDatasets } from './generator.js';

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
  latency: { p50: number; p97_5: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const job = JSON.parse(process.argv[2] ?? '{}') as CannonJob;
// A computed specifier: the package is optional and has no types here.
const spec = 'autocannon';
const autocannon = ((await import(spec)) as { default: Autocannon }).default;

let requests: Req[];
if (job.post) {
  const { path, token, seed, prefix } = job.post;
  const docs = generateDatasets(job.amount ?? 300, seed);
  requests = [
    {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      setupRequest: (req) => {
        const next = docs.next();
        const doc = next.done ? undefined : { ...next.value, name: `${prefix}-${next.value.name}`.slice(0, 100) };
        return { ...req, body: JSON.stringify(doc ?? {}) };
      },
    },
  ];
} else {
  requests = (job.paths ?? ['/']).map((path) => ({ method: 'GET', path }));
}

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  ...(job.amount ? { amount: job.amount } : { duration: job.duration ?? 10 }),
  requests,
});
const out: CannonResult = {
  p50: result.latency.p50,
  p97_5: result.latency.p97_5,
  p99: result.latency.p99,
  mean: result.latency.average,
  rps: result.requests.total / (result.duration || 1),
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
