import { parentPort, threadId } from 'node:worker_threads';
import { useBlankPrefix } from '../../rdf/syntax/terms.js';
import { renderPage, type PageJob } from './render.js';

/** A render pool's thread: writes the pages it is sent and answers with their bytes (moved, not copied). */
useBlankPrefix(`w${threadId}_`);
parentPort?.on('message', ({ id, job }: { id: number; job: PageJob }) => {
  renderPage(job).then(
    (bytes) => {
      // A small Buffer may be a slice of Node's shared pool, which cannot be moved: copy it out.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
      parentPort?.postMessage({ id, bytes: own }, [own.buffer as ArrayBuffer]);
    },
    (err: unknown) => parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
