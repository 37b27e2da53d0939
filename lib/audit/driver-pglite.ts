import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type LockPurpose } from './dir-lock';
import type { Row, SqlClient, SqlDriver } from './driver';

/**
 * PGlite's defaults are sized for a server, not for an embedded store of one app. PostgreSQL touches all of its
 * shared memory when it starts, and WebAssembly memory is never given back, so each setting is resident from the
 * start: 8 MB of shared buffers (the default is 128 MB) and room for 10 backends (the default 100; PGlite runs one)
 * keep an instance's WebAssembly memory near 17 MiB instead of 30 MiB at 16 MB and 100. Pages beyond the buffers are
 * read from the operating system's file cache.
 */
export const POSTGRESQL_CONF = ['shared_buffers=8MB', 'max_connections=10'];

/** initdb in a process of its own (initialiseApart): the data directory is its one argument. */
export const INITDB_SCRIPT = `
const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create({ dataDir: process.argv[1] });
await db.close();
`;

/**
 * Creates a new data directory in a short-lived child process. initdb inside WebAssembly grows the instance's memory
 * to about 750 MiB, which a process never gives back; done in a child, the app opens the finished directory at its
 * normal size. Where the child cannot run (no module resolution from the working directory, say), the caller
 * initialises in-process as before: heavier, never wrong.
 */
async function initialiseApart(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  try {
    await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', INITDB_SCRIPT, path.resolve(dataDir)],
      { timeout: 120_000 },
    );
  } catch {
    // Fall through: PGlite.create below runs initdb itself.
  }
}

/** The refusal's words when another process holds an embedded database. */
export const EMBEDDED: LockPurpose = {
  name: 'The embedded database',
  hint: 'or use PostgreSQL for several (npm start and npm run audit:verify each open it)',
};

/** The embedded default: PGlite persisted in a directory, one process at a time (dir-lock.ts). */
export async function pgliteDriver(dataDir: string | undefined): Promise<SqlDriver> {
  const onDisk = dataDir !== undefined && !dataDir.startsWith('memory://');
  // Locked before anything touches the files, and until the database is closed (dir-lock.ts).
  const lock = onDisk ? lockDataDir(path.resolve(dataDir), EMBEDDED) : undefined;
  let db: PGlite;
  try {
    if (onDisk) await initialiseApart(dataDir);
    // relaxedDurability stays off: a commit is flushed before it is acknowledged.
    db = await PGlite.create({ dataDir, relaxedDurability: false, postgresqlconf: POSTGRESQL_CONF });
  } catch (e) {
    lock?.release();
    throw e;
  }
  return {
    kind: 'pglite',
    query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
      (await db.query<R>(sql, params ? [...params] : undefined)).rows,
    async exec(sql) {
      await db.exec(sql);
    },
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>) =>
      db.transaction(async (tx) =>
        fn({
          query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<R>(sql, params ? [...params] : undefined)).rows,
        }),
      ),
    async close() {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
