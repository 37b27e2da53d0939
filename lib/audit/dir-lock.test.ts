import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { exited, killAll } from '../../test/support/child-processes';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './dir-lock';
import { pgliteDriver } from './driver-pglite';
import { tempDir } from './testing/harness';

const CHILD = path.resolve(import.meta.dirname, 'testing/hold-dir-child.ts');
const children: ChildProcess[] = [];

/** A second process holding `dir` open through the app's own driver; resolves once it has opened it. */
function holdInChild(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'open') resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before opening ${dir}`)));
  });
}

afterEach(() => killAll(children));

describe('one process at a time per embedded data directory', () => {
  it('refuses a second opening in the same process until the first is closed', async () => {
    const dir = path.join(tempDir('dir-lock-'), 'audit');
    const first = await pgliteDriver(dir);
    await expect(pgliteDriver(dir)).rejects.toThrow(DataDirInUseError);
    await first.query('CREATE TABLE t (n int)');
    await first.close();
    const again = await pgliteDriver(dir);
    expect(await again.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    await again.close();
  });

  it('refuses a directory another process holds, naming it, and takes it once that process is killed', async () => {
    const dir = path.join(tempDir('dir-lock-'), 'audit');
    const child = await holdInChild(dir);
    const refused = await pgliteDriver(dir).then(
      async (d) => {
        await d.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`pid ${child.pid} on ${hostname()}`);
    expect((refused as Error).message).toContain(dir);
    // kill -9 leaves no lock behind: the operating system drops it with the process.
    child.kill('SIGKILL');
    await exited(child);
    const taken = await pgliteDriver(dir);
    expect(await taken.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await taken.close();
  });

  it('is free again when the other process closes the database and exits', async () => {
    const dir = path.join(tempDir('dir-lock-'), 'audit');
    const child = await holdInChild(dir);
    await expect(pgliteDriver(dir)).rejects.toThrow(DataDirInUseError);
    child.stdin!.end();
    await exited(child);
    expect(child.exitCode).toBe(0);
    const taken = await pgliteDriver(dir);
    await taken.close();
  });
});

describe('without node:sqlite (a file naming the process)', () => {
  const noSqlite = null;
  const PURPOSE = { name: 'The test directory' };

  it('refuses while held, in this process or by a live one, and frees on release', () => {
    const dir = path.join(tempDir('dir-lock-'), 'audit');
    const lock = lockDataDir(dir, PURPOSE, noSqlite);
    expect(() => lockDataDir(dir, PURPOSE, noSqlite)).toThrow(DataDirInUseError);
    lock.release();
    expect(existsSync(`${dir}.lock.owner`)).toBe(false);
    // The parent of this process is alive: its file is respected.
    writeFileSync(
      `${dir}.lock.owner`,
      `pid ${process.ppid} on ${hostname()} since 2026-01-01T00:00:00.000Z\n`,
    );
    expect(() => lockDataDir(dir, PURPOSE, noSqlite)).toThrow(`pid ${process.ppid} on ${hostname()}`);
  });

  it('takes over a file left by a process that is gone, or by an earlier process with this pid', async () => {
    const dir = path.join(tempDir('dir-lock-'), 'audit');
    const gone = spawn(process.execPath, ['-e', '0']);
    await exited(gone);
    for (const pid of [gone.pid, process.pid]) {
      writeFileSync(`${dir}.lock.owner`, `pid ${pid} on ${hostname()} since 2026-01-01T00:00:00.000Z\n`);
      const lock = lockDataDir(dir, PURPOSE, noSqlite);
      expect(() => lockDataDir(dir, PURPOSE, noSqlite)).toThrow(DataDirInUseError);
      lock.release();
    }
  });
});
