import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { testApp, type TestApp } from './app.js';
import { admin } from './rest.js';
import { runHarvestJob } from '../../src/harvest/runner.js';
import { createHarvestFetch } from '../../src/harvest/http.js';

export interface DcatSourceBench extends TestApp {
  sourceId: string;
  /** Starts a job through the API, runs it in the foreground and returns GET /api/v1/harvest-jobs/{id}. */
  harvest<Job = Record<string, unknown>>(): Promise<Job>;
}

/**
 * A real local HTTP server answering every request with `turtle(url)`, the service on a
 * clean database, and a `dcat` harvest source of `organization` pointing at the server
 * (loopback allowed for exactly that host). Closed at the end of the test file.
 */
export async function dcatSourceBench(t: Test, turtle: (url: URL) => string, source: { name: string; title: string; organization: string }): Promise<DcatSourceBench> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/turtle' });
    res.end(turtle(new URL(req.url ?? '/', `http://${req.headers.host}`)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ctx = await testApp({ HARVEST_WORKER: 'false' });
  t.teardown(() => ctx.close());
  const fetch = createHarvestFetch(ctx.config, { policy: { allowPrivateNetworks: false, allowedHosts: [host] }, retries: 0 });
  const made = await ctx.app.inject({ method: 'POST', url: '/api/v1/harvest-sources', headers: admin, payload: { ...source, type: 'dcat', url: `http://${host}/catalog.ttl` } });
  t.equal(made.statusCode, 201, made.body);
  const sourceId = made.json<{ id: string }>().id;
  return {
    ...ctx,
    sourceId,
    async harvest<Job>() {
      const started = await ctx.app.inject({ method: 'POST', url: `/api/v1/harvest-sources/${sourceId}/jobs`, headers: admin, payload: {} });
      t.equal(started.statusCode, 202, started.body);
      const id = started.json<{ id: string }>().id;
      await runHarvestJob(ctx.db.database.db, ctx.config, id, { fetch });
      return ctx.app.inject({ url: `/api/v1/harvest-jobs/${id}`, headers: admin }).then((r) => r.json<Job>());
    },
  };
}
