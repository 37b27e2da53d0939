import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { loadSqlite, type SqliteDatabase } from '../sqlite';

/**
 * One process at a time per embedded (PGlite) data directory. PGlite has no
 * lock of its own: two processes on one directory (a second `npm start`, or
 * `npm run audit:verify` while the app runs) each keep their own view of the
 * files, and whichever writes last wins: acknowledged commits are lost and
 * the database can be left unreadable. So the directory is
 * locked before PGlite opens it and until it is closed.
 *
 * The lock is SQLite's exclusive lock on `<dir>.lock` (`node:sqlite`): a
 * POSIX lock the operating system drops when the process ends however it
 * ends, so a crash leaves nothing to clean up, and SQLite also refuses a
 * second connection in the same process. Runtimes without `node:sqlite`
 * (Node.js 22 before 22.13) get a file created exclusively that names the
 * process; one left by a process that is gone is taken over.
 */

export class DataDirInUseError extends Error {
  constructor(what: LockPurpose, dir: string, holder: string | undefined) {
    super(
      `${what.name} in ${dir} is in use by another process${holder ? ` (${holder})` : ''}. ` +
        `One process at a time may use it: stop the other one and try again${what.hint ? `, ${what.hint}` : ''}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** What is locked, for the refusal: its name and what else the operator can do. */
export interface LockPurpose {
  readonly name: string;
  readonly hint?: string;
}

export interface DirLock {
  release(): void;
}

const ownerLine = (): string => `pid ${process.pid} on ${hostname()} since ${new Date().toISOString()}`;

function readHolder(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Locks `dir` for this process; `sqlite` is the runtime's `node:sqlite` (null: the file that names the process). */
export function lockDataDir(
  dir: string,
  what: LockPurpose,
  sqlite: ReturnType<typeof loadSqlite> | null = loadSqlite(),
): DirLock {
  const lockFile = `${dir}.lock`;
  const ownerFile = `${lockFile}.owner`;
  mkdirSync(path.dirname(dir), { recursive: true });
  if (!sqlite) return pidFileLock(dir, what, ownerFile);
  let db: SqliteDatabase | undefined;
  try {
    db = new sqlite.DatabaseSync(lockFile);
    // Held from BEGIN EXCLUSIVE until the connection closes; busy_timeout 0 fails at once instead of waiting.
    db.exec('PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE');
  } catch (e) {
    db?.close();
    if (/locked|busy/i.test(e instanceof Error ? e.message : ''))
      throw new DataDirInUseError(what, dir, readHolder(ownerFile));
    throw e;
  }
  writeOwner(ownerFile);
  const held = db;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(ownerFile, { force: true });
      held.close();
    },
  };
}

function writeOwner(file: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, `${ownerLine()}\n`);
  } finally {
    closeSync(fd);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Fallback files this process holds. */
const heldFiles = new Set<string>();

function pidFileLock(dir: string, what: LockPurpose, file: string): DirLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${ownerLine()}\n`);
      } finally {
        closeSync(fd);
      }
      heldFiles.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldFiles.delete(file);
          rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(file);
      const [, pidText, host] = /^pid (\d+) on (\S+)/.exec(holder ?? '') ?? [];
      const pid = Number(pidText);
      const sameHost = host === hostname();
      // Our own pid in a file this process did not write: left by an earlier process that had it (a restart).
      const stale = sameHost && Number.isInteger(pid) && (pid === process.pid || !alive(pid));
      if (heldFiles.has(file) || !stale) throw new DataDirInUseError(what, dir, holder);
      rmSync(file, { force: true });
    }
  }
  throw new DataDirInUseError(what, dir, readHolder(file));
}
