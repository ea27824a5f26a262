import { Worker } from 'node:worker_threads';
import { renderPage, type PageJob } from './render.js';

// Running from TypeScript sources (tsx, tap), the worker's entry is the .ts file beside this one.
// tap's loader reaches worker threads through execArgv; the tsx command's does not, so there the
// thread registers tsx itself before importing the entry (development only: tsx is a dev tool).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './render-worker.ts' : './render-worker.js', import.meta.url);
const newWorker = (): Worker =>
  FROM_SOURCE && !process.execArgv.some((a) => a.includes('@tapjs/typescript'))
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); })`, { eval: true })
    : new Worker(ENTRY);

interface Pending {
  resolve(bytes: Buffer): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that write catalog pages. Parsing a page's documents,
 * mapping them to RDF and writing the syntax is nearly all of a page's CPU;
 * done here, the main thread keeps answering requests and reading from the
 * database (a harvester's next page is read while this one is written), and
 * a second core is used. `size` 0 writes on the main thread. Threads start
 * on first use; one that dies fails its pages and is replaced on next use.
 */
export class RenderPool {
  private readonly threads: (Thread | undefined)[];
  private nextId = 0;
  private turn = 0;
  private closed = false;

  constructor(size: number) {
    this.threads = new Array<Thread | undefined>(size).fill(undefined);
  }

  render(job: PageJob): Promise<Buffer> {
    if (!this.threads.length || this.closed) return renderPage(job);
    const slot = this.turn++ % this.threads.length;
    const thread = (this.threads[slot] ??= this.start(slot));
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t?.worker.terminate()));
  }

  private start(slot: number): Thread {
    const worker = newWorker();
    // An idle pool must not keep the process alive; a page in progress holds its request open anyway.
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = thread.pending.get(id);
      if (!p) return;
      thread.pending.delete(id);
      if (bytes) p.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      else p.reject(new Error(error ?? 'the page could not be written'));
    });
    const fail = (err: Error) => {
      if (this.threads[slot] === thread) this.threads[slot] = undefined;
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`page writer thread exited with code ${code}`)));
    return thread;
  }
}
