#!/usr/bin/env node
// The `catalog` command: runs the compiled CLI (npm install builds it).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('The catalog is not built yet: run `npm install` (or `npm run build`) first.\n');
  process.exit(1);
}
await import(cli.href);
