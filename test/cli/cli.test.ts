import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { projectPath } from '../../src/util/paths.js';
import { freshDatabase } from '../helpers/app.js';

// The CLI as a user runs it: a separate process on the configured database.
function cli(env: Record<string, string>, ...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', projectPath('src/cli/main.ts'), ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

// PostgreSQL when the suite runs on it, else an embedded database in a temp folder.
const pgDb = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? await freshDatabase() : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'catalog-cli-'));
const env: Record<string, string> = pgDb?.url ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dataDir };
t.teardown(async () => {
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

t.test('a steward is set up from the command line and can use the API', async (t) => {
  t.equal(cli(env, 'migrate').status, 0);
  const orgs = cli(env, 'org', 'list');
  t.equal(orgs.status, 0);
  t.equal(orgs.stdout.trim().split('\n').length, 11);
  t.match(orgs.stdout, /froendenberg-ruhr\tStadt Fröndenberg\/Ruhr\t05978012/);

  const created = cli(env, 'org', 'create', 'zweckverband', '--title', 'Zweckverband Test', '--ags', '05978');
  t.equal(created.status, 0, created.stderr);
  t.equal(cli(env, 'user', 'create', 'anna', '--email', 'anna@unna.de').status, 0);
  const member = cli(env, 'user', 'add-member', 'anna', '--org', 'unna', '--role', 'editor');
  t.equal(member.status, 0, member.stderr);
  const token = cli(env, 'token', 'create', 'anna', '--label', 'laptop');
  t.equal(token.status, 0, token.stderr);
  const secret = token.stdout.trim();
  t.match(secret, /^kuc_[A-Za-z0-9_-]{43}$/, 'stdout holds the token and nothing else');

  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  t.teardown(() => app.close());
  const me = await app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${secret}` } });
  t.equal(me.statusCode, 200);
  t.equal(me.json().name, 'anna');
  t.same(
    me.json().memberships.map((m: { organization: { name: string }; role: string }) => [m.organization.name, m.role]),
    [['unna', 'editor']],
  );
  const orgsApi = await app.inject({ method: 'GET', url: '/api/v1/organizations' });
  t.ok(JSON.stringify(orgsApi.json()).includes('zweckverband'));

  if (!pgDb) {
    // The server holds the embedded database: the CLI says so and touches nothing.
    const busy = cli(env, 'org', 'list');
    t.equal(busy.status, 1);
    t.match(busy.stderr, /in use by process \d+/);
    t.equal(busy.stderr.trim().split('\n').length, 1, 'one plain line, no stack trace');
  }
});

t.test('mistakes give a clear message and a non-zero exit', async (t) => {
  const unknownUser = cli(env, 'token', 'create', 'nobody');
  t.equal(unknownUser.status, 1);
  t.match(unknownUser.stderr, /User "nobody" was not found/);
  const badRole = cli(env, 'user', 'add-member', 'anna', '--org', 'unna', '--role', 'boss');
  t.equal(badRole.status, 2);
  t.match(badRole.stderr, /--role must be one of member, editor, admin/);
  const dup = cli(env, 'user', 'create', 'anna', '--email', 'x@y.de');
  t.equal(dup.status, 1);
  t.match(dup.stderr, /already exists/);
  const unknown = cli(env, 'frobnicate');
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, /Usage: catalog/);
});
