import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Row, SqlClient, SqlDriver } from './driver';

/**
 * PGlite's default 128 MB of shared buffers is sized for a server, not for an embedded store of one app; 16 MB keeps
 * an open instance near 180 MiB of resident memory instead of near 290 MiB.
 */
const POSTGRESQL_CONF = ['shared_buffers=16MB'];

const INITDB_SCRIPT = `
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

/** The embedded default: PGlite persisted in a directory (one process at a time). */
export async function pgliteDriver(dataDir: string | undefined): Promise<SqlDriver> {
  if (dataDir && !dataDir.startsWith('memory://')) await initialiseApart(dataDir);
  // relaxedDurability stays off: a commit is flushed before it is acknowledged.
  const db = await PGlite.create({ dataDir, relaxedDurability: false, postgresqlconf: POSTGRESQL_CONF });
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
    close: () => db.close(),
  };
}
