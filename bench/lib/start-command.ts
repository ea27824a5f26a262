import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The arguments `npm start` gives node (its V8 flags and the entry), read from
 * package.json: the bench starts the service as it ships, and the Dockerfile's
 * CMD is checked against the same (test/start-command.test.ts).
 */
export function serviceNodeArgs(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /(?:^|&&\s*)node((?:\s+--\S+)*)\s+(dist\/src\/main\.js)\s*$/.exec(scripts.start ?? '');
  if (!m) throw new Error(`package.json's start script does not end in "node [flags] dist/src/main.js": ${scripts.start}`);
  return [...m[1].split(/\s+/).filter(Boolean), m[2]];
}
