import type { AddressInfo } from 'node:net';
import t from 'tap';
import { EXPORT_FORMATS, walkExport } from '../../bench/lib/export-walker.js';
import { testApp } from '../helpers/app.js';
import { create, dataset } from '../helpers/rest.js';

// The bench's export client, as its own process against a listening service: it must follow
// hydra:next through every page in every syntax, or the export's rate would be of a part.
const N = 7;
const ctx = await testApp({ CATALOG_PAGE_SIZE: '3' });
t.teardown(() => ctx.close());
for (let i = 0; i < N; i++) await create(ctx.app, dataset({ title: `Haushaltsplan ${i}`, name: `haushalt-${i}` }));
await ctx.app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;

for (const format of EXPORT_FORMATS) {
  t.test(`${format}: every page of the catalog, after the warm-up`, async (t) => {
    let timed = false;
    const result = await walkExport({ url, publicUrl: ctx.config.publicUrl, format, warmupPages: 1 }, () => (timed = true));
    t.ok(timed, 'the timed walk is announced');
    t.equal(result.total, N, 'hydra:totalItems of the first page');
    t.equal(result.pages, Math.ceil(N / 3), 'pages followed by hydra:next to the last');
    t.ok(result.bytes > N * 500, `${result.bytes} bytes read`);
    t.ok(result.cpuMs > 0 && result.seconds > 0, 'its own CPU and time');
  });
}

t.test('a page that fails stops the walk with its status', async (t) => {
  await t.rejects(walkExport({ url: `${url}/nowhere`, publicUrl: ctx.config.publicUrl, format: 'turtle', warmupPages: 0 }), /404/);
});
