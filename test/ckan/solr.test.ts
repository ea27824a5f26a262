import t from 'tap';
import { sql } from 'drizzle-orm';
import { parseFilters, parseQ, parseSolr, solrDate, SolrSyntaxError } from '../../src/ckan/solr.js';
import type { Filter, FilterField } from '../../src/catalog/query.js';
import { compileFilter } from '../../src/catalog/search.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

const now = new Date('2024-06-15T12:34:56.789Z');
const p = (q: string) => parseSolr(q, { now });
const eq = (field: FilterField, value: string): Filter => ({ op: 'eq', field, value });
const NONE: Filter = { op: 'not', filter: { op: 'all' } };

t.test('queries from CKAN-CONTRACT §6.2', async (t) => {
  t.same(p('metadata_modified:[2024-05-01T09:12:33.123456Z TO *]'), {
    op: 'range',
    field: 'metadata_modified',
    from: '2024-05-01T09:12:33.123456Z',
    fromInclusive: true,
    toInclusive: true,
  });
  t.same(p('organization:a OR organization:b'), { op: 'or', filters: [eq('organization', 'a'), eq('organization', 'b')] });
  t.same(p('-organization:x'), { op: 'not', filter: eq('organization', 'x') });
  t.same(p('groups:a OR groups:b'), { op: 'or', filters: [eq('theme', 'a'), eq('theme', 'b')] });
  t.same(p('-groups:x'), { op: 'not', filter: eq('theme', 'x') });
  t.same(p('tags:"x" organization:"y" res_format:"CSV" license_id:"cc-by" groups:"z" +dataset_type:dataset'), {
    op: 'and',
    filters: [eq('keyword', 'x'), eq('organization', 'y'), eq('format', 'CSV'), eq('license', 'cc-by'), eq('theme', 'z')],
  });
  t.same(p('+owner_org:"6f1a2b3c-0000-4000-8000-000000000001"'), eq('organization', '6f1a2b3c-0000-4000-8000-000000000001'));
  t.same(p('+groups:"gove"'), eq('theme', 'gove'));
  t.same(p('owner_org:abc'), eq('organization', 'abc'));
  t.same(p('name:x'), eq('name', 'x'));
  t.same(p('tags:economy'), eq('keyword', 'economy'));
  t.same(p('res_format:CSV'), eq('format', 'CSV'));
  t.same(p('spending'), eq('text', 'spending'));
  t.same(p('-dataset_type:harvest'), { op: 'all' }, 'we have no harvest sources, so excluding them excludes nothing');
  t.same(p('metadata_modified:[2015-07-24T00:00:00Z TO NOW]'), {
    op: 'range',
    field: 'metadata_modified',
    from: '2015-07-24T00:00:00.000Z',
    to: '2024-06-15T12:34:56.789Z',
    fromInclusive: true,
    toInclusive: true,
  });
  t.same(p('*:*'), { op: 'all' });
  t.same(p(''), { op: 'all' });
  t.same(p('   '), { op: 'all' });
});

t.test('harvester terms joined with a space', async (t) => {
  t.same(p('organization:a OR organization:b -groups:x metadata_modified:[2024-05-01T09:12:33.123456Z TO *]'), {
    op: 'and',
    filters: [
      { op: 'or', filters: [eq('organization', 'a'), eq('organization', 'b')] },
      { op: 'not', filter: eq('theme', 'x') },
      { op: 'range', field: 'metadata_modified', from: '2024-05-01T09:12:33.123456Z', fromInclusive: true, toInclusive: true },
    ],
  });
  t.same(p('-organization:x -organization:y'), { op: 'and', filters: [{ op: 'not', filter: eq('organization', 'x') }, { op: 'not', filter: eq('organization', 'y') }] });
});

t.test('field mapping', async (t) => {
  t.same(p('id:abc'), eq('id', 'abc'));
  t.same(p('title:wasser'), eq('title', 'wasser'));
  t.same(p('notes:wasser'), eq('text', 'wasser'));
  t.same(p('text:wasser'), eq('text', 'wasser'));
  t.same(p('state:active'), eq('state', 'active'));
  t.same(p('capacity:public'), eq('private', 'false'));
  t.same(p('capacity:private'), eq('private', 'true'));
  t.same(p('uri:"https://example.org/ds/1"'), eq('uri', 'https://example.org/ds/1'));
  t.same(p('extras_uri:https://example.org/ds/1'), eq('uri', 'https://example.org/ds/1'), 'colons belong to the value once the field is known');
  t.same(p('identifier:x1'), eq('identifier', 'x1'));
  t.same(p('extras_identifier:x1'), eq('identifier', 'x1'));
  t.same(p('politicalGeocodingURI:"http://dcat-ap.de/def/politicalGeocoding/districtKey/05978"'), eq('geocoding', 'http://dcat-ap.de/def/politicalGeocoding/districtKey/05978'));
  t.same(p('extras_politicalGeocodingURI:"x"'), eq('geocoding', 'x'));
  t.same(p('metadata_created:2024-01-02'), eq('metadata_created', '2024-01-02T00:00:00.000Z'));
  t.same(p('dataset_type:dataset'), { op: 'all' });
  t.same(p('type:dataset'), { op: 'all' });
  t.same(p('dataset_type:harvest'), NONE);
  t.same(p('type:showcase'), NONE);
  t.same(p('dataset_type:data*'), { op: 'all' });
  t.same(p('-dataset_type:dataset'), NONE);
});

t.test('boolean operators and precedence', async (t) => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((v) => eq('text', v));
  t.same(p('a AND b OR c'), { op: 'or', filters: [{ op: 'and', filters: [a, b] }, c] }, 'AND binds tighter than OR');
  t.same(p('a OR b AND c'), { op: 'or', filters: [a, { op: 'and', filters: [b, c] }] });
  t.same(p('a && b || c'), p('a AND b OR c'));
  t.same(p('(a OR b) AND (c OR d)'), { op: 'and', filters: [{ op: 'or', filters: [a, b] }, { op: 'or', filters: [c, d] }] });
  t.same(p('a OR b c'), { op: 'and', filters: [{ op: 'or', filters: [a, b] }, c] }, 'whitespace joins loosest');
  t.same(p('a b c'), { op: 'and', filters: [a, b, c] });
  t.same(p('+a +b -c'), { op: 'and', filters: [a, b, { op: 'not', filter: c }] });
  t.same(p('((a OR (b AND (c))))'), { op: 'or', filters: [a, { op: 'and', filters: [b, c] }] });
  t.same(p('a NOT b'), { op: 'and', filters: [a, { op: 'not', filter: b }] });
  t.same(p('a AND NOT b'), { op: 'and', filters: [a, { op: 'not', filter: b }] });
  t.same(p('!a'), { op: 'not', filter: a });
  t.same(p('NOT (a OR b)'), { op: 'not', filter: { op: 'or', filters: [a, b] } });
  t.same(p('a OR NOT b'), { op: 'or', filters: [a, { op: 'not', filter: b }] }, 'NOT is boolean negation');
  t.same(p('a OR (*:* -b)'), { op: 'or', filters: [a, { op: 'not', filter: b }] });
  t.same(p('*:* -organization:x'), { op: 'not', filter: eq('organization', 'x') });
  t.same(p('-(a b)'), { op: 'not', filter: { op: 'and', filters: [a, b] } });
  t.same(p('tags:(a OR b) name:x'), { op: 'and', filters: [{ op: 'or', filters: [eq('keyword', 'a'), eq('keyword', 'b')] }, eq('name', 'x')] }, 'field-scoped group');
  t.same(p('and or not'), { op: 'and', filters: [eq('text', 'and'), eq('text', 'or'), eq('text', 'not')] }, 'operators are upper case only');
  t.same(p('"a b" c'), { op: 'and', filters: [eq('text', 'a b'), c] }, 'bare phrase');
  t.same(p('title:wasser^2'), eq('title', 'wasser'), 'boosts only change scores');
});

t.test('wildcards, exists, escapes', async (t) => {
  t.same(p('title:wass*'), { op: 'wildcard', field: 'title', value: 'wass*' });
  t.same(p('name:da?en'), { op: 'wildcard', field: 'name', value: 'da?en' });
  t.same(p('wass*'), { op: 'wildcard', field: 'text', value: 'wass*' });
  t.same(p('identifier:*'), { op: 'exists', field: 'identifier' });
  t.same(p('tags:[* TO *]'), { op: 'exists', field: 'keyword' });
  t.same(p('name:foo\\*bar'), eq('name', 'foo*bar'), 'escaped * is literal');
  t.same(p('name:a\\:b'), eq('name', 'a:b'));
  t.same(p('title:"say \\"hi\\" \\\\ there"'), eq('title', 'say "hi" \\ there'));
  t.same(p('tags:"a*b"'), eq('keyword', 'a*b'), 'no wildcards in phrases');
  t.same(p('name:foo-bar'), eq('name', 'foo-bar'), 'a dash inside a term is no operator');
});

t.test('ranges', async (t) => {
  t.same(p('name:{a TO m]'), { op: 'range', field: 'name', from: 'a', to: 'm', fromInclusive: false, toInclusive: true });
  t.same(p('name:[a TO m}'), { op: 'range', field: 'name', from: 'a', to: 'm', fromInclusive: true, toInclusive: false });
  t.same(p('metadata_created:[* TO 2024-01-01]'), { op: 'range', field: 'metadata_created', to: '2024-01-01T00:00:00.000Z', fromInclusive: true, toInclusive: true });
  t.same(p('metadata_modified:{"2024-01-01T00:00:00Z" TO NOW/DAY}'), {
    op: 'range',
    field: 'metadata_modified',
    from: '2024-01-01T00:00:00.000Z',
    to: '2024-06-15T00:00:00.000Z',
    fromInclusive: false,
    toInclusive: false,
  });
});

t.test('date math', async (t) => {
  const d = (v: string) => solrDate(v, v, now);
  t.equal(d('NOW'), '2024-06-15T12:34:56.789Z');
  t.equal(d('NOW-1DAY'), '2024-06-14T12:34:56.789Z');
  t.equal(d('NOW/DAY'), '2024-06-15T00:00:00.000Z');
  t.equal(d('NOW-7DAYS'), '2024-06-08T12:34:56.789Z');
  t.equal(d('NOW+1HOUR'), '2024-06-15T13:34:56.789Z');
  t.equal(d('NOW/DAY-1MONTH'), '2024-05-15T00:00:00.000Z');
  t.equal(d('NOW/YEAR'), '2024-01-01T00:00:00.000Z');
  t.equal(d('NOW-2YEARS/MONTH'), '2022-06-01T00:00:00.000Z');
  t.equal(d('2024-01-01T10:20:30Z/DAY'), '2024-01-01T00:00:00.000Z');
  t.equal(d('2024-01-31T00:00:00Z+1MONTH'), '2024-02-29T00:00:00.000Z', 'month arithmetic clamps the day');
  t.equal(d('2024-05-01T09:12:33.123456Z'), '2024-05-01T09:12:33.123456Z', 'microseconds are kept');
  t.equal(d('2024-05-01T09:12:33.123456Z+1SECOND'), '2024-05-01T09:12:34.123456Z');
  t.equal(d('2024-05-01T09:12:33.1234567Z'), '2024-05-01T09:12:33.123456Z', 'beyond microseconds is cut');
  t.equal(d('2024-05-01T09:12:33.1Z'), '2024-05-01T09:12:33.100Z');
  t.equal(d('2015-07-24T10:00:00'), '2015-07-24T10:00:00.000Z', 'no zone means UTC');
  t.equal(d('2015-07-24T10:00:00+02:00'), '2015-07-24T08:00:00.000Z');
  t.ok(!Number.isNaN(Date.parse(d('2024-05-01T09:12:33.123456Z'))), 'Date.parse accepts the result');
  t.same(p('metadata_modified:[NOW-1DAY TO NOW]'), { op: 'range', field: 'metadata_modified', from: '2024-06-14T12:34:56.789Z', to: '2024-06-15T12:34:56.789Z', fromInclusive: true, toInclusive: true });
  t.throws(() => d('2024-02-30'), SolrSyntaxError);
  t.throws(() => d('NOW-1FORTNIGHT'), SolrSyntaxError);
  t.throws(() => d('yesterday'), SolrSyntaxError);
});

t.test('parseQ', async (t) => {
  for (const q of [undefined, '', '  ', '""', "''", '*:*']) t.same(parseQ(q), {}, `q=${String(q)}`);
  t.same(parseQ('wasser unna'), { text: 'wasser unna' }, 'no colon: DisMax free text');
  t.same(parseQ('"wasser unna" -kreis'), { text: '"wasser unna" -kreis' });
  t.same(parseQ('name:x'), { filter: eq('name', 'x') });
  t.same(parseQ('tags:economy wasser'), { filter: { op: 'and', filters: [eq('keyword', 'economy'), eq('text', 'wasser')] } });
  t.same(parseQ('dataset_type:dataset'), {});
  t.throws(() => parseQ('{!lucene}wasser'), { message: /^Local parameters are not supported/ });
  t.throws(() => parseQ('foo:bar'), SolrSyntaxError);
});

t.test('parseFilters', async (t) => {
  t.equal(parseFilters([]), undefined);
  t.equal(parseFilters([undefined, '', '*:*', ' ']), undefined);
  t.equal(parseFilters(['-dataset_type:harvest', '-dataset_type:showcase']), undefined);
  t.same(parseFilters(['tags:economy', undefined, 'res_format:CSV']), { op: 'and', filters: [eq('keyword', 'economy'), eq('format', 'CSV')] });
  t.same(parseFilters(['+owner_org:"o1"']), eq('organization', 'o1'));
  t.same(parseFilters(['organization:a', '-dataset_type:harvest', '-dataset_type:showcase', 'metadata_modified:[2015-07-24T00:00:00Z TO NOW]'], { now }), {
    op: 'and',
    filters: [eq('organization', 'a'), { op: 'range', field: 'metadata_modified', from: '2015-07-24T00:00:00.000Z', to: '2024-06-15T12:34:56.789Z', fromInclusive: true, toInclusive: true }],
  });
  t.same(parseFilters(['dataset_type:harvest', 'name:x']), { op: 'and', filters: [NONE, eq('name', 'x')] });
});

t.test('errors name the offending term', async (t) => {
  const cases: [string, RegExp, string?][] = [
    ['foo:bar', /^Unknown search field "foo" in "foo:bar"/, 'foo:bar'],
    ['vocab_x:y', /Unknown search field "vocab_x"/, 'vocab_x:y'],
    ['Name:x', /Unknown search field "Name"/, 'Name:x'],
    ['metadata_modified:[broken TO', /metadata_modified:\[broken TO/, 'metadata_modified:[broken TO'],
    ['metadata_modified:[2024-01-01 2024-02-01]', /expected "TO"/],
    ['name:[a TO b', /expected "\]" or "\}"/],
    ['metadata_modified:[broken TO *]', /Invalid date "broken"/],
    ['metadata_modified:yesterday', /Invalid date "yesterday"/],
    ['(a OR b', /Missing "\)"/, '(a OR b'],
    ['a OR b)', /Unexpected "\)"/, ')'],
    ['()', /Empty parentheses/],
    ['title:"abc', /Unterminated quoted value in "title:"abc"/, 'title:"abc'],
    ['"abc', /Unterminated quoted value/],
    ['name:', /Empty value for field "name" in "name:"/, 'name:'],
    ['name: x', /Empty value for field "name"/],
    ['tags:""', /Empty value for field "tags"/],
    ['a AND', /Expected a clause after "AND"/, 'AND'],
    ['OR a', /Unexpected "OR"/, 'OR'],
    ['NOT', /Expected a clause after "NOT"/],
    ['a OR -b', /Ambiguous "-b" inside OR/, '-b'],
    ['+a OR b', /Ambiguous "\+a" inside OR/, '+a'],
    ['{!lucene}x', /^Local parameters are not supported/],
    ['name:x {!type=dismax}', /^Local parameters are not supported/],
    ['title:wasser~2', /Fuzzy and proximity/],
    ['name:/ab+c/', /Regular expressions are not supported/],
    ['capacity:secret', /capacity must be "public" or "private"/],
    ['text:[a TO b]', /A range on text is not supported/],
    ['dataset_type:[a TO b]', /A range on dataset_type/],
    ['metadata_modified:2024*', /Wildcards are not supported on metadata_modified/],
    ['*:foo', /only allowed in "\*:\*"/],
    [':x', /Unexpected ":"/],
    ['name:x\\', /Dangling backslash/],
  ];
  for (const [q, message, term] of cases) {
    try {
      p(q);
      t.fail(`${q} should not parse`);
    } catch (err) {
      t.type(err, SolrSyntaxError, q);
      t.match((err as Error).message, message, q);
      if (term !== undefined) t.equal((err as SolrSyntaxError).term, term, `${q}: term`);
    }
  }
});

t.test('parsed filters compile to SQL that PostgreSQL accepts', async (t) => {
  const database = await connect({ memory: true });
  t.teardown(() => database.close());
  await runMigrations(database, undefined);
  const queries = [
    'metadata_modified:[2024-05-01T09:12:33.123456Z TO *]',
    'metadata_modified:[2015-07-24T00:00:00Z TO NOW] -organization:x',
    'organization:a OR organization:b -groups:x',
    'tags:"x" organization:"y" res_format:"CSV" license_id:"cc-by" groups:"gove" +dataset_type:dataset',
    '+owner_org:"6f1a2b3c-0000-4000-8000-000000000001"',
    'dataset_type:harvest',
    'title:wass* OR (wasser AND NOT name:x*)',
    'capacity:public state:active identifier:* metadata_created:{NOW/DAY-1YEAR TO NOW/DAY}',
    'name:[a TO m} politicalGeocodingURI:"http://x" tags:[* TO *]',
  ];
  for (const q of queries) {
    const res = await database.db.execute(sql`SELECT count(*)::int AS n FROM datasets d WHERE ${compileFilter(parseSolr(q))}`);
    const rows = (res as { rows?: { n: number }[] }).rows ?? (res as unknown as { n: number }[]);
    t.equal(Number(rows[0]?.n), 0, q);
  }
});
