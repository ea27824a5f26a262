import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a TypeScript file of the bench in a process of its own (`node --import tsx`, from the
 * project's folder, where tsx resolves) with one JSON argument, and resolves with the JSON of
 * the last line it prints. `onLine` sees each line as it comes (progress marks).
 */
export function runJsonChild<T>(file: string, arg: unknown, onLine: (line: string) => void = () => undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, JSON.stringify(arg)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      const parts = (partial + b.toString()).split('\n');
      partial = parts.pop() as string;
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} failed (${code}): ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse([...lines, partial].filter((l) => l.trim()).pop() as string) as T);
      } catch (e) {
        reject(e);
      }
    });
  });
}
