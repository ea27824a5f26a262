import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { admin, create, CSV, dataset, DL_BY, JSON_FORMAT } from '../../helpers/rest.js';

/** A PUT without distribution ids keeps the ids and URIs of the distributions it continues (issue 6). */
const ta = await testApp();
t.teardown(() => ta.close());
const { app } = ta;

type Dist = { id: string; '@id': string; accessURL: string[]; title?: Record<string, string> };

t.test('PUT without ids: unchanged distributions keep id and URI, a new one gets a new id, removed ones vanish', async (t) => {
  const { doc } = await create(
    app,
    dataset({
      distribution: [
        { title: 'CSV', accessURL: ['https://example.org/haushalt.csv'], format: CSV, license: DL_BY },
        { title: 'JSON', accessURL: ['https://example.org/haushalt.json'], format: JSON_FORMAT, license: DL_BY },
        { title: 'Alt', accessURL: ['https://example.org/haushalt-alt.csv'], format: CSV, license: DL_BY },
      ],
    }),
  );
  const [csv, json, old] = doc.distribution as Dist[];
  const before = await app.inject({ url: `/api/3/action/package_show?id=${doc.id}` });
  t.same(before.json().result.resources.map((r: { id: string }) => r.id), [csv.id, json.id, old.id], 'CKAN resource ids are the distribution ids');

  // A client that rebuilds the document from its own data: no ids, no @id, another order, one new, one gone.
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${doc.id}`,
    headers: admin,
    payload: dataset({
      title: 'Haushaltsplan 2025',
      distribution: [
        { title: 'JSON (neu)', accessURL: ['https://example.org/haushalt.json'], format: JSON_FORMAT, license: DL_BY },
        { title: 'PDF', accessURL: ['https://example.org/haushalt.pdf'], license: DL_BY },
        { title: 'CSV', accessURL: ['https://example.org/haushalt.csv'], format: CSV, license: DL_BY },
      ],
    }),
  });
  t.equal(put.statusCode, 200, put.body);
  const [json2, pdf, csv2] = put.json().distribution as Dist[];
  t.same([json2.id, json2['@id']], [json.id, json['@id']], 'the changed JSON distribution keeps id and URI');
  t.same([csv2.id, csv2['@id']], [csv.id, csv['@id']], 'the unchanged CSV distribution keeps id and URI');
  t.notOk([csv.id, json.id, old.id].includes(pdf.id), 'the new distribution gets a new id');
  t.equal(pdf['@id'], `http://catalog.test/dataset/${doc.id}/distribution/${pdf.id}`);

  const gone = await app.inject({ url: `/api/v1/datasets/${doc.id}/distributions/${old.id}` });
  t.equal(gone.statusCode, 404, 'the removed distribution vanishes');
  const one = await app.inject({ url: `/api/v1/datasets/${doc.id}/distributions/${json.id}` });
  t.equal(one.statusCode, 200, 'the kept id still addresses its distribution');
  t.same(one.json().title, { de: 'JSON (neu)' });
  const after = await app.inject({ url: `/api/3/action/resource_show?id=${csv.id}` });
  t.equal(after.json().result?.id, csv.id, 'the CKAN resource id still resolves');
});
