import t from 'tap';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { testApp } from '../helpers/app.js';
import { admin } from '../helpers/rest.js';
import { harvestJobs } from '../../src/db/schema.js';
import { cronMatches, parseCron } from '../../src/harvest/schedule.js';
import { queueScheduledJobs } from '../../src/harvest/worker.js';

const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi, 17);

t.test('cron expressions', async (t) => {
  const nightly = parseCron('30 4 * * *');
  t.ok(cronMatches(nightly, at(2026, 12, 1, 4, 30)));
  t.notOk(cronMatches(nightly, at(2026, 12, 1, 4, 31)));
  const workdays = parseCron('*/15 6-18 * * 1-5');
  t.ok(cronMatches(workdays, at(2026, 12, 1, 6, 45)), 'Tuesday 06:45');
  t.notOk(cronMatches(workdays, at(2026, 12, 6, 6, 45)), 'Sunday');
  t.notOk(cronMatches(workdays, at(2026, 12, 1, 19, 0)));
  const firstOrMonday = parseCron('0 3 1 * 1');
  t.ok(cronMatches(firstOrMonday, at(2026, 12, 7, 3, 0)), 'a Monday that is not the 1st (either day field may match)');
  t.ok(cronMatches(parseCron('0 0 * * 7'), at(2026, 12, 6, 0, 0)), '7 is Sunday too');
  t.throws(() => parseCron('0 3 * *'), /5 fields/);
  t.throws(() => parseCron('61 3 * * *'), /minute: "61" is outside 0–59/);
  t.throws(() => parseCron('0 3 * * mon'), /day of week: "mon"/);
});

t.test('a schedule queues one job per firing minute', async (t) => {
  const ctx = await testApp({ HARVEST_WORKER: 'false' });
  t.teardown(() => ctx.close());
  const db = ctx.db.database.db;
  const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const mk = (name: string, schedule: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: { name, title: name, type: 'dcat', url: 'https://example.org/catalog.ttl', organization: 'unna', schedule } });
  const bad = await mk('bad', '0 25 * * *');
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { error: { message: /hour: "25" is outside 0–23/ } });
  const nightly = (await mk('nightly', '30 4 * * *')).json<{ id: string }>().id;
  await mk('manual-only', 'manual');

  t.same(await queueScheduledJobs(db, logger, at(2026, 12, 1, 4, 29)), []);
  t.same(await queueScheduledJobs(db, logger, at(2026, 12, 1, 4, 30)), ['nightly']);
  const jobs = await db.select().from(harvestJobs).where(eq(harvestJobs.sourceId, nightly));
  t.equal(jobs.length, 1);
  t.equal(jobs[0].trigger, 'schedule');
  // The job is still queued: the next firing does not pile up another one.
  t.same(await queueScheduledJobs(db, logger, at(2026, 12, 2, 4, 30)), []);
  await db.update(harvestJobs).set({ status: 'finished' }).where(eq(harvestJobs.sourceId, nightly));
  t.same(await queueScheduledJobs(db, logger, at(2099, 1, 1, 4, 31)), [], 'fires only in its minute');
  t.same(await queueScheduledJobs(db, logger, at(2099, 1, 1, 4, 30)), ['nightly'], 'and again once the last job has ended');
  t.equal((await db.select().from(harvestJobs)).length, 2, 'the manual source never got a job');
});
