import { Agent, get as httpGet } from 'node:http';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child-json.js';

/**
 * The export's client: a harvester's stand-in that follows hydra:next through
 * every page of the catalog and prints its figures as one JSON line. A process
 * of its own, small like a harvester: the same code in the bench process (which
 * has loaded the catalog and holds its large heap) took 5.5 ms of CPU a page of
 * N-Triples, here 1.5 ms, and the client's CPU is taken from the two cores the
 * service is measured on.
 */

export const EXPORT_FORMATS = ['turtle', 'ntriples', 'rdfxml', 'jsonld'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_EXT = { turtle: 'ttl', ntriples: 'nt', rdfxml: 'rdf', jsonld: 'jsonld' } as const;

export interface WalkJob {
  /** Where the service listens. */
  url: string;
  /** The service's PUBLIC_URL, which its links start with. */
  publicUrl: string;
  format: ExportFormat;
  warmupPages: number;
}

export interface WalkResult {
  seconds: number;
  pages: number;
  /** hydra:totalItems of the first page. */
  total: number;
  bytes: number;
  /** CPU of this process during the timed walk, ms. */
  cpuMs: number;
}

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
// The hydra:next literal of a page as each writer spells it; reading it by pattern keeps a parser out of the figure.
const NEXT_LINK: Record<ExportFormat, RegExp> = {
  turtle: /hydra:next "([^"]+)"/,
  ntriples: new RegExp(`<${HYDRA}next> "([^"]+)"`),
  rdfxml: /<hydra:next>([^<]+)<\/hydra:next>/,
  jsonld: /"hydra:next":"([^"]+)"/,
};
// Where NEXT_LINK is looked for: the walker finds this in the bytes and decodes only the text after it.
const NEXT_MARK: Record<ExportFormat, string> = {
  turtle: 'hydra:next "',
  ntriples: `<${HYDRA}next> "`,
  rdfxml: '<hydra:next>',
  jsonld: '"hydra:next":"',
};
const TOTAL_ITEMS: Record<ExportFormat, RegExp> = {
  turtle: /hydra:totalItems "?(\d+)/,
  ntriples: /totalItems> "(\d+)"/,
  rdfxml: /<hydra:totalItems[^>]*>(\d+)</,
  jsonld: /"hydra:totalItems":(\d+)/,
};

async function walk(job: WalkJob, onTimed: () => void): Promise<WalkResult> {
  const { url, publicUrl, format } = job;
  const ext = EXPORT_EXT[format];
  // One kept-alive connection; a page is read as bytes (the link is ASCII) and only the few kB
  // after hydra:next are decoded. fetch() with text() took ~10 ms of CPU a page.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const getPage = (pageUrl: string) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      httpGet(pageUrl, { agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on('error', reject);
      }).on('error', reject);
    });
  const after = (body: Buffer, mark: string) => {
    const at = body.indexOf(mark, 0, 'latin1');
    return at < 0 ? '' : body.toString('latin1', at, at + 8192);
  };
  /** Follows hydra:next from `first` for at most `maxPages` pages. */
  const follow = async (first: string, maxPages = Infinity): Promise<WalkResult> => {
    let next: string | undefined = first;
    let pages = 0;
    let total = 0;
    let bytes = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    while (next && pages < maxPages) {
      const { status, body } = await getPage(next);
      if (status !== 200) throw new Error(`${next}: ${status} ${body.toString('utf8', 0, 200)}`);
      bytes += body.length;
      if (pages++ === 0) total = Number(TOTAL_ITEMS[format].exec(body.toString('latin1'))?.[1] ?? 0);
      const link = NEXT_LINK[format].exec(after(body, NEXT_MARK[format]))?.[1]?.replace(/&amp;/g, '&');
      // Links are absolute from PUBLIC_URL; the service listens elsewhere.
      next = link ? url + link.slice(publicUrl.length) : undefined;
    }
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, pages, total, bytes, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  try {
    // A harvester meets a service that has run for a while: the first pages of a fresh process run
    // before V8 has optimised the writer. Warm up in the other profile (same writer and mapping,
    // other URLs, so nothing the service reads ahead is served to the timed walk).
    await follow(`${url}/catalog.${ext}?profile=dcat-ap-de-3`, job.warmupPages);
    onTimed();
    return await follow(`${url}/catalog.${ext}`);
  } finally {
    agent.destroy();
  }
}

/** Printed when the timed walk starts, so the bench can read the service's CPU from there. */
const TIMED_MARK = 'timed walk starts';

/** Walks the export in a process of its own; `onTimed` when the timed walk (after the warm-up) starts. */
export function walkExport(job: WalkJob, onTimed: () => void = () => undefined): Promise<WalkResult> {
  return runJsonChild<WalkResult>(fileURLToPath(import.meta.url), job, (line) => line === TIMED_MARK && onTimed());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await walk(JSON.parse(process.argv[2] ?? '{}') as WalkJob, () => process.stdout.write(`${TIMED_MARK}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
