import t from 'tap';
import { testApp } from '../helpers/app.js';

// The database goes away under a running service: /health says so with 503 (a load balancer takes the instance out).
const ctx = await testApp();
t.teardown(() => ctx.app.close());

t.test('GET /health is 200 while the database answers and 503 once it is gone', async (t) => {
  const up = await ctx.app.inject({ url: '/health' });
  t.equal(up.statusCode, 200);
  t.same(up.json(), { status: 'ok', database: { kind: ctx.db.database.kind, up: true } });

  await ctx.db.drop();
  const down = await ctx.app.inject({ url: '/health' });
  t.equal(down.statusCode, 503);
  t.same(down.json(), { status: 'unavailable', database: { kind: ctx.db.database.kind, up: false } });
});
