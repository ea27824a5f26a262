import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child-json.js';
import { summarize } from './report.js';

/**
 * The create scenarios' client: a data steward's script or a CKAN client that
 * POSTs one dataset after the other, each when the last one is answered, over
 * one kept-alive connection, in a process of its own. With one request at a
 * time, whatever the client does between an answer and the next request is
 * part of the rate, so it does as little as a load generator can: every
 * request is built as bytes before the run (as wrk and autocannon do), and of
 * an answer only the status and the end are read (the body too when it is
 * not 2xx). node:http's client took 0.6–0.75 ms of CPU a request, this one
 * 0.2–0.3 ms (see bench/README.md).
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
  /** Requests a second during the warm-up (0 without one). */
  warmupRps: number;
}

interface Answer {
  status: number;
  /** The start of the body of an answer that is not 2xx; empty otherwise. */
  text: string;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * The answer at the start of `buf`: its status, where it ends and where its body's bytes
 * are (content-length bytes, or chunks up to the empty one); undefined while incomplete.
 */
function parseAnswer(buf: Buffer): { end: number; status: number; body: [number, number][] } | undefined {
  const headEnd = buf.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  if (!status) throw new Error(`not an HTTP answer: ${JSON.stringify(head.slice(0, 80))}`);
  const bodyStart = headEnd + HEAD_END.length;
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    let at = bodyStart;
    const body: [number, number][] = [];
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      if (size === 0) {
        // No trailers from our service: the empty chunk is followed by the final CRLF.
        const end = lineEnd + 2 * CRLF.length;
        return buf.length >= end ? { end, status, body } : undefined;
      }
      body.push([lineEnd + CRLF.length, lineEnd + CRLF.length + size]);
      at = lineEnd + CRLF.length + size + CRLF.length;
      if (buf.length < at) return undefined;
    }
  }
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  const end = bodyStart + length;
  return buf.length >= end ? { end, status, body: [[bodyStart, end]] } : undefined;
}

/** One kept-alive connection, one request at a time. */
function connection(url: URL): { send(request: Buffer): Promise<Answer>; close(): void } {
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  let buf: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  const fail = (e: Error) => {
    const w = waiting;
    waiting = undefined;
    w?.reject(e);
  };
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let done;
    try {
      done = parseAnswer(buf);
    } catch (e) {
      return fail(e as Error);
    }
    if (!done) return;
    const ok = done.status >= 200 && done.status < 300;
    const text = ok ? '' : Buffer.concat(done.body.map(([from, to]) => buf.subarray(from, to))).toString('utf8', 0, 300);
    buf = buf.subarray(done.end);
    const w = waiting;
    waiting = undefined;
    w?.resolve({ status: done.status, text });
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the service closed the connection')));
  return {
    send: (request) =>
      new Promise<Answer>((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}

/** The bytes of each POST: request line, headers and body. */
function requests(job: CreateJob, url: URL, bodies: unknown[]): Buffer[] {
  return bodies.map((b) => {
    const body = Buffer.from(JSON.stringify(b));
    const head = `POST ${job.path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nauthorization: Bearer ${job.token}\r\ncontent-length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
}

async function run(job: CreateJob): Promise<CreateResult> {
  const url = new URL(job.path, job.url);
  const all = requests(job, url, JSON.parse(readFileSync(job.bodiesFile, 'utf8')) as unknown[]);
  const conn = connection(url);
  try {
    const w0 = performance.now();
    for (const request of all.slice(0, job.warmup)) {
      const r = await conn.send(request);
      if (r.status >= 300) throw new Error(`warm-up request answered ${r.status}: ${r.text}`);
    }
    const warmupRps = job.warmup ? job.warmup / ((performance.now() - w0) / 1000) : 0;
    const timed = all.slice(job.warmup);
    const times: number[] = [];
    let firstFailure: string | undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const request of timed) {
      const started = performance.now();
      const r = await conn.send(request);
      if (r.status >= 200 && r.status < 300) times.push(performance.now() - started);
      else firstFailure ??= `${r.status} ${r.text}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const s = summarize(times);
    return { requests: timed.length, ok: times.length, firstFailure, seconds, rps: timed.length / seconds, p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean, cpuMs: (cpu.user + cpu.system) / 1000, warmupRps };
  } finally {
    conn.close();
  }
}

/** POSTs the bodies one after another from a process of its own. */
export function postSequentially(job: CreateJob): Promise<CreateResult> {
  return runJsonChild<CreateResult>(fileURLToPath(import.meta.url), job);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(process.argv[2] ?? '{}') as CreateJob))}\n`);
}
