import { parentPort, threadId } from 'node:worker_threads';
import { useBlankPrefix } from '../../rdf/syntax/terms.js';
import { renderPage, type PageJob } from './render.js';

/** A render pool's thread: writes the pages it is sent and answers with their bytes (moved, not copied). */
useBlankPrefix(`w${threadId}_`);
parentPort?.on('message', ({ id, job }: { id: number; job: PageJob }) => {
  renderPage(job).then(
    (bytes) => {
      // render() gives bytes over an ArrayBuffer of their own: it moves whole, room at its end included.
      parentPort?.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    (err: unknown) => parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
