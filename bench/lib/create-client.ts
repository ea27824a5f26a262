import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child-json.js';
import { summarize } from './report.js';

/**
 * The create scenarios' client: a data steward's script or a CKAN client that
 * POSTs one dataset after the other, each when the last one is answered, over
 * one kept-alive connection, in a process of its own. With one request at a
 * time, whatever the client does between an answer and the next request is
 * part of the rate: autocannon's own work per request (setting up the next
 * one, its histograms) was 0.7–1 ms of the 3.5–5 ms a create took on two
 * cores, more than this client's sending and reading (see bench/README.md).
 */

export interface CreateJob {
  /** Where the service listens. */
  url: string;
  path: string;
  token: string;
  /** A JSON array of request bodies, sent in order, each once. */
  bodiesFile: string;
  /** How many of the first bodies are sent before the timed run (not counted). */
  warmup: number;
}

export interface CreateResult {
  /** Timed requests, and how many were answered 2xx. */
  requests: number;
  ok: number;
  /** The first answer that was not 2xx: status and the start of its body. */
  firstFailure?: string;
  seconds: number;
  /** Timed requests a second, first request sent to last answer read. */
  rps: number;
  /** Latency of the 2xx answers, ms: request written to answer read. */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** CPU of this process during the timed run, ms. */
  cpuMs: number;
}

async function run(job: CreateJob): Promise<CreateResult> {
  const bodies = (JSON.parse(readFileSync(job.bodiesFile, 'utf8')) as unknown[]).map((b) => Buffer.from(JSON.stringify(b)));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(job.path, job.url);
  const post = (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${job.token}` } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: res.statusCode && res.statusCode < 300 ? '' : Buffer.concat(parts).toString('utf8', 0, 300) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    for (const body of bodies.slice(0, job.warmup)) {
      const r = await post(body);
      if (r.status >= 300) throw new Error(`warm-up request answered ${r.status}: ${r.text}`);
    }
    const timed = bodies.slice(job.warmup);
    const times: number[] = [];
    let firstFailure: string | undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const body of timed) {
      const started = performance.now();
      const r = await post(body);
      if (r.status >= 200 && r.status < 300) times.push(performance.now() - started);
      else firstFailure ??= `${r.status} ${r.text}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const s = summarize(times);
    return { requests: timed.length, ok: times.length, firstFailure, seconds, rps: timed.length / seconds, p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    agent.destroy();
  }
}

/** POSTs the bodies one after another from a process of its own. */
export function postSequentially(job: CreateJob): Promise<CreateResult> {
  return runJsonChild<CreateResult>(fileURLToPath(import.meta.url), job);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(process.argv[2] ?? '{}') as CreateJob))}\n`);
}
