import t from 'tap';
import { testApp } from '../../helpers/app.js';
import { admin, create, dataset } from '../../helpers/rest.js';
import { call, pkg, result } from '../../helpers/ckan.js';

/**
 * Keywords are free text in DCAT-AP.de ("Fröndenberg/Ruhr"); CKAN tags are not. A new
 * package gets CKAN's tag rule; a dict package_show gave can go back unchanged.
 */
const ctx = await testApp();
t.teardown(() => ctx.close());
const { app } = ctx;

t.test('package_show → package_update keeps a keyword CKAN would not accept as a new tag', async (t) => {
  const { doc } = await create(app, dataset({ organization: 'froendenberg-ruhr', keyword: ['Fröndenberg/Ruhr', 'Haushalt'] }));
  const shown = await result<Record<string, unknown> & { tags: { name: string }[] }>(app, 'package_show', { id: doc.id });
  t.same(shown.tags.map((x) => x.name).sort(), ['Fröndenberg/Ruhr', 'Haushalt']);
  const updated = await result<{ tags: { name: string }[] }>(app, 'package_update', { ...shown, title: 'Haushalt der Stadt Fröndenberg/Ruhr' }, { headers: admin });
  t.same(updated.tags.map((x) => x.name).sort(), ['Fröndenberg/Ruhr', 'Haushalt']);

  const added = await call(app, 'package_update', { ...shown, tags: [...shown.tags, { name: 'a/b' }] }, { headers: admin });
  t.equal(added.status, 409, 'a new tag still follows CKAN’s rule');
  t.match(added.body.error?.tags, [/Tag "a\/b" can only contain/]);
  const created = await call(app, 'package_create', pkg('neu-mit-schraegstrich', { tags: [{ name: 'Fröndenberg/Ruhr' }] }), { headers: admin });
  t.equal(created.status, 409, 'package_create applies CKAN’s tag rule');
});
