import { spawnSync } from 'node:child_process';
import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { projectPath } from '../../src/util/paths.js';

t.test('defaults describe the Kreis Unna catalog on the embedded database', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.databaseUrl, undefined);
  t.match(c.dataDir, /data$/);
  t.equal(c.publicUrl, 'http://localhost:3000');
  t.equal(c.catalog.contributorId, 'http://dcat-ap.de/def/contributors/openNRW');
  t.equal(c.catalog.language, 'de');
  t.match(c.catalog.title, /Kreis Unna/);
  t.ok(c.dcat.renderThreads >= 1 && c.dcat.renderThreads <= 4, 'catalog pages are written by 1–4 threads');
  t.equal(loadConfig({ CATALOG_RENDER_THREADS: '0' }).dcat.renderThreads, 0);
});

t.test('PUBLIC_URL follows PORT and loses a trailing slash', async (t) => {
  t.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  t.equal(loadConfig({ PUBLIC_URL: 'https://daten.kreis-unna.de/' }).publicUrl, 'https://daten.kreis-unna.de');
});

const bad: Array<[Record<string, string>, string]> = [
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
  [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ BOOTSTRAP_ADMIN_TOKEN: 'short' }, 'BOOTSTRAP_ADMIN_TOKEN'],
  [{ CATALOG_CONTRIBUTOR_ID: 'openNRW' }, 'CATALOG_CONTRIBUTOR_ID'],
  [{ CATALOG_RENDER_THREADS: '-1' }, 'CATALOG_RENDER_THREADS'],
  [{ CATALOG_RENDER_THREADS: 'many' }, 'CATALOG_RENDER_THREADS'],
];
for (const [env, variable] of bad) {
  t.test(`a bad ${variable} is named`, async (t) => {
    const err = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
    })();
    t.type(err, ConfigError);
    t.equal((err as ConfigError).variable, variable);
    t.match((err as ConfigError).message, variable);
  });
}

t.test('the service refuses to start on a malformed variable with one line naming it', async (t) => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', projectPath('src/main.ts')], {
    env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(res.status, 2);
  t.equal(res.stderr.trim().split('\n').length, 1);
  t.match(res.stderr, /PORT must be a whole number/);
});
