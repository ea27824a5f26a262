import t from 'tap';
import { machineRows } from '../../bench/lib/machine.js';
import { TEST_DATABASE_URL } from '../helpers/app.js';

t.test('the machine rows: JavaScript always, PostgreSQL work and round trip when a server is given', async (t) => {
  const rows = await machineRows(TEST_DATABASE_URL);
  const metrics = rows.map((r) => `${r.db}: ${r.metric}`);
  t.same(metrics, TEST_DATABASE_URL ? ['node: JSON of 1,000 documents', 'pg: stemming 20,000 texts', 'pg: round trip (SELECT 1)'] : ['node: JSON of 1,000 documents']);
  for (const r of rows) {
    t.equal(r.verdict, 'info', `${r.metric}: a figure, no target`);
    t.ok(Number.isFinite(r.value) && (r.value as number) > 0, `${r.metric}: a positive figure`);
  }
});

t.test('an unreachable server leaves the JavaScript row alone', async (t) => {
  const rows = await machineRows('postgres://postgres@127.0.0.1:1/none');
  t.same(rows.map((r) => r.db), ['node']);
});
