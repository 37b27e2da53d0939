import 'server-only';
import path from 'node:path';
import { pgDriver } from '../audit/driver-pg';
import { pgliteDriver } from '../audit/driver-pglite';
import type { SqlDriver } from '../audit/driver';
import { env } from '../env';
import { processSingleton } from '../process-singleton';
import { createSqlLaunchStore, type LaunchStore } from './launch-store';
import { migrateState } from './schema';

export type { LaunchStore, LaunchSummary, StoredLaunch } from './launch-store';

export class StateUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The app state database is unavailable', options);
    this.name = 'StateUnavailableError';
  }
}

/** Opens the state database (PostgreSQL, or PGlite under a directory) and brings its schema up to date. */
export async function openLaunchStore(
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | undefined },
): Promise<LaunchStore> {
  const driver: SqlDriver =
    database.kind === 'postgres' ? pgDriver(database.url) : await pgliteDriver(database.dataDir);
  try {
    await migrateState(driver);
  } catch (e) {
    await driver.close().catch(() => undefined);
    throw e;
  }
  return createSqlLaunchStore(driver);
}

// Process-wide handle (a connection pool, or the one PGlite instance a directory allows).
const holder = processSingleton('launch-store', (): { shared?: Promise<LaunchStore> } => ({}));

/** The app's launch store, built from env() on first use: STATE_DATABASE_URL, or PGlite under DATA_DIR/state. */
export function getLaunchStore(): Promise<LaunchStore> {
  holder.shared ??= (async () => {
    const e = env();
    return openLaunchStore(
      e.STATE_DATABASE_URL
        ? { kind: 'postgres', url: e.STATE_DATABASE_URL }
        : { kind: 'pglite', dataDir: path.join(e.dataDir, 'state') },
    );
  })().catch((cause: unknown) => {
    holder.shared = undefined;
    throw new StateUnavailableError({ cause });
  });
  return holder.shared;
}
