import { readFileSync } from 'node:fs';
import t from 'tap';
import { serviceNodeArgs } from '../bench/lib/start-command.js';

const root = new URL('../', import.meta.url).pathname;

t.test('the container runs the service with the node flags of npm start, which the bench measures', async (t) => {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(`${root}Dockerfile`, 'utf8'));
  t.ok(cmd, 'the Dockerfile has an exec-form CMD');
  t.same(JSON.parse(cmd![1]), ['node', ...serviceNodeArgs(root)]);
});
