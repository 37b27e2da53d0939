import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewLaunch } from './launch-store';
import { openSqliteLaunchStore } from './launch-store-sqlite';
import { loadSqlite, type SqliteDatabase, type SqliteValue } from '../sqlite';

const sqlite = loadSqlite();
const T0 = Date.UTC(2026, 0, 5, 8);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'launch-store-'));
  dirs.push(d);
  return path.join(d, 'state', 'state.sqlite');
};

/** A launch open for an hour from T0, with `handle` as its cookie's handle. */
const launch = (launchId: string, handle: string, framed = false): NewLaunch => ({
  launchId,
  handle,
  sealed: `sealed-${launchId}`,
  framed,
  createdAt: T0,
  expiresAt: T0 + 3_600_000,
});

/** Ends a launch in a child process that reports it and is then killed without warning. */
function endThenKill(file: string): Promise<string> {
  const script = `
    const { openSqliteLaunchStore } = await import(${JSON.stringify(path.resolve('lib/state/launch-store-sqlite.ts'))});
    const { loadSqlite } = await import(${JSON.stringify(path.resolve('lib/sqlite.ts'))});
    const store = openSqliteLaunchStore(loadSqlite().DatabaseSync, process.argv[1]);
    const ended = await store.end('launch-kill-000000001', ${T0 + 5}, 'user');
    const claimed = await store.claimState('state-kill', ${T0 + 600_000});
    process.stdout.write(ended && claimed ? 'ended\\n' : 'not ended\\n');
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let answer: string | undefined;
    child.stdout.once('data', (d: Buffer) => {
      answer = d.toString().trim();
      child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () =>
      answer === undefined ? reject(new Error('the child exited before answering')) : resolve(answer),
    );
  });
}

describe.skipIf(!sqlite)('the SQLite launch store in a file', () => {
  it('keeps launches, ends and used states across a reopen, in files only this user can read', async () => {
    const file = fresh();
    const first = openSqliteLaunchStore(sqlite!.DatabaseSync, file);
    await first.create(launch('launch-file-000000001', 'h1', true));
    await first.end('launch-file-000000001', T0 + 10, 'idle');
    expect(await first.claimState('state-1', T0 + 600_000)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    await first.close();
    await expect(first.isEnded('launch-file-000000001')).rejects.toThrow('closed');

    const again = openSqliteLaunchStore(sqlite!.DatabaseSync, file);
    expect(await again.open('launch-file-000000001', 'h1')).toMatchObject({
      framed: true,
      endedAt: T0 + 10,
      endedReason: 'idle',
    });
    expect(await again.claimState('state-1', T0 + 600_000)).toBe(false);
    await again.purge(T0 + 3_600_001);
    expect(await again.open('launch-file-000000001', 'h1')).toBeUndefined();
    expect(await again.claimState('state-1', T0 + 600_000)).toBe(true);
    await again.close();
  });

  it('keeps an acknowledged sign-out when the process is killed right after it', async () => {
    const file = fresh();
    const store = openSqliteLaunchStore(sqlite!.DatabaseSync, file);
    await store.create(launch('launch-kill-000000001', 'hk'));
    await store.close();
    expect(await endThenKill(file)).toBe('ended');
    const after = openSqliteLaunchStore(sqlite!.DatabaseSync, file);
    expect(await after.isEnded('launch-kill-000000001')).toBe(true);
    expect(await after.claimState('state-kill', T0 + 600_000)).toBe(false);
    await after.close();
  }, 30_000);

  it('waits for the disk on every commit but the idle clock', async () => {
    // The real database, with each write noted beside the synchronous setting it commits under.
    const writes: string[] = [];
    class Noting {
      private readonly db: SqliteDatabase;
      constructor(file: string) {
        this.db = new sqlite!.DatabaseSync(file);
      }
      exec(sql: string): void {
        this.db.exec(sql);
      }
      close(): void {
        this.db.close();
      }
      prepare(sql: string) {
        const statement = this.db.prepare(sql);
        const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
        const note = () => {
          if (verb === 'SELECT') return;
          const level = this.db.prepare('PRAGMA synchronous').get()?.synchronous;
          const column = /launches SET (\w+)/.exec(sql)?.[1];
          writes.push([verb, column, String(level)].filter(Boolean).join(' '));
        };
        return {
          run: (...p: SqliteValue[]) => (note(), statement.run(...p)),
          get: (...p: SqliteValue[]) => (note(), statement.get(...p)),
          all: (...p: SqliteValue[]) => (note(), statement.all(...p)),
        };
      }
    }
    const store = openSqliteLaunchStore(Noting, fresh());
    await store.create(launch('launch-sync-000000001', 'hs'));
    expect(await store.touch('launch-sync-000000001', T0 + 1000)).toBe(true);
    expect(await store.touch('launch-sync-000000001', T0 + 2000)).toBe(true);
    expect(await store.reseal('launch-sync-000000001', 'sealed-again')).toBe(true);
    expect(await store.end('launch-sync-000000001', T0 + 3000, 'user')).toBe(true);
    expect(await store.claimState('state-sync', T0 + 600_000)).toBe(true);
    // PRAGMA synchronous: 2 is FULL (the commit waits for the disk), 1 NORMAL.
    expect(writes).toEqual([
      'INSERT 2',
      'UPDATE last_seen_at 1',
      'UPDATE last_seen_at 1',
      'UPDATE sealed 2',
      'UPDATE ended_at 2',
      'INSERT 2',
    ]);
    expect(await store.open('launch-sync-000000001', 'hs')).toMatchObject({ lastSeenAt: T0 + 2000 });
    await store.close();
  });
});
