import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { acquireDataDirLock, DataDirBusyError } from '../../src/db/lock.js';

// The embedded database belongs to one process at a time; a lock left by a dead process does not lock anybody out.
const dir = mkdtempSync(join(tmpdir(), 'catalog-lock-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'catalog.lock');

t.test('a living process holds the folder; the next one is told who', async (t) => {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  t.teardown(() => holder.kill('SIGKILL'));
  writeFileSync(file, String(holder.pid));
  const err = (() => {
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      return e;
    }
  })();
  t.type(err, DataDirBusyError);
  t.match((err as Error).message, `in use by process ${holder.pid}`);
  t.equal(readFileSync(file, 'utf8'), String(holder.pid), 'the holder keeps its lock');
});

t.test('a lock left by a process that died (kill -9) is taken over, and released on close', async (t) => {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(file, dead.stdout);
  const lock = acquireDataDirLock(dir);
  t.equal(readFileSync(file, 'utf8'), String(process.pid));
  lock.release();
  t.notOk(existsSync(file));
});
