import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { admin, create, dataset } from '../../helpers/rest.js';
import { pkg, result } from '../../helpers/ckan.js';

/** dcat:inSeries on the CKAN face: ckanext-dcat's in_series (the series IRIs), descriptions in json_inSeries. */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;

type Dict = Record<string, unknown> & { extras: { key: string; value: string }[] };
const extrasOf = (d: Dict) => Object.fromEntries(d.extras.map((e) => [e.key, e.value]));
const SERIES = 'https://opendata.unna.de/series/haushalt';

t.test('CKAN in_series becomes dcat:inSeries', async (t) => {
  const created = await result<Dict>(app, 'package_create', pkg('haushalt-reihe-2024', { extras: [{ key: 'in_series', value: JSON.stringify([SERIES]) }] }), { headers: admin });
  const doc = (await app.inject({ url: `/api/v1/datasets/${created.id}`, headers: admin })).json();
  t.same(doc.inSeries, [SERIES]);
  t.equal(extrasOf(created).in_series, JSON.stringify([SERIES]));
  t.notOk('json_inSeries' in extrasOf(created), 'IRIs need no JSON backup');
  const ttl = await app.inject({ url: `/dataset/${created.id}.ttl?profile=dcat-ap-de-3` });
  t.match(ttl.body, /dcat:inSeries <https:\/\/opendata\.unna\.de\/series\/haushalt>/);
});

t.test('a described series: its IRI in in_series, the description in json_inSeries, and a dict sent back changes nothing', async (t) => {
  const { doc } = await create(
    app,
    dataset({
      inSeries: [
        'https://opendata.unna.de/series/finanzen',
        { '@id': SERIES, title: 'Haushaltspläne der Kreisstadt Unna', description: 'Jährliche Haushaltspläne', accrualPeriodicity: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL' },
      ],
    }),
  );
  const series = (doc.inSeries as unknown[])[1] as Record<string, unknown>;
  t.same(series.title, { de: 'Haushaltspläne der Kreisstadt Unna' }, 'texts become language maps');
  t.match(series.publisher, { '@id': 'http://catalog.test/organization/unna' }, "the series' publisher defaults to the dataset's");
  const ckan = await result<Dict>(app, 'package_show', { id: doc.id });
  const extras = extrasOf(ckan);
  t.same(JSON.parse(extras.in_series), ['https://opendata.unna.de/series/finanzen', SERIES], 'in_series lists the series IRIs');
  t.same(JSON.parse(extras.json_inSeries), doc.inSeries, 'the full value travels as json_inSeries');
  await result(app, 'package_update', ckan, { headers: admin });
  const after = (await app.inject({ url: `/api/v1/datasets/${doc.id}`, headers: admin })).json();
  t.same(after.inSeries, doc.inSeries, 'unchanged');
  t.equal(after.revision, 2);
});
