import 'server-only';
import path from 'node:path';
import { pgDriver } from '../audit/driver-pg';
import { pgliteDriver } from '../audit/driver-pglite';
import type { SqlDriver } from '../audit/driver';
import { env } from '../env';
import { limitsFrom, RateLimiter, type RequestCounter } from '../http/request-limits';
import { processSingleton } from '../process-singleton';
import { createSqlLaunchStore, type LaunchStore } from './launch-store';
import { openSqliteLaunchStore } from './launch-store-sqlite';
import { loadSqlite } from '../sqlite';
import { createSqlFailureCounts, createSqlRateCounter, type FailureCounts } from './rate-windows';
import { migrateState } from './schema';

export type { LaunchStore, LaunchSummary, StoredLaunch } from './launch-store';

export class StateUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The app state database is unavailable', options);
    this.name = 'StateUnavailableError';
  }
}

type StateDatabase =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'sqlite'; file: string };

/**
 * The embedded default under `dataDir` (memory when undefined): SQLite where the runtime has it, a few MiB
 * beside the audit store's PGlite; PGlite, as the audit store, where it does not (Node.js before 22.13).
 */
export function embeddedStateDatabase(dataDir: string | undefined): StateDatabase {
  if (loadSqlite())
    return { kind: 'sqlite', file: dataDir ? path.join(dataDir, 'state.sqlite') : ':memory:' };
  return { kind: 'pglite', dataDir: dataDir ? path.join(dataDir, 'state') : undefined };
}

async function openStateDatabase(database: Exclude<StateDatabase, { kind: 'sqlite' }>): Promise<SqlDriver> {
  const driver: SqlDriver =
    database.kind === 'postgres' ? pgDriver(database.url) : await pgliteDriver(database.dataDir);
  try {
    await migrateState(driver);
  } catch (e) {
    await driver.close().catch(() => undefined);
    throw e;
  }
  return driver;
}

/** Opens the launch store (PostgreSQL, SQLite in a file, or PGlite under a directory), its schema up to date. */
export async function openLaunchStore(database: StateDatabase): Promise<LaunchStore> {
  if (database.kind === 'sqlite') {
    const sqlite = loadSqlite();
    if (!sqlite) throw new Error('This Node.js has no node:sqlite (Node.js 22.13 or later has it)');
    return openSqliteLaunchStore(sqlite.DatabaseSync, database.file);
  }
  return createSqlLaunchStore(await openStateDatabase(database));
}

// Process-wide handles (a connection pool, or the one embedded database a directory allows).
const holder = processSingleton(
  'launch-store',
  (): { driver?: Promise<SqlDriver>; shared?: Promise<LaunchStore>; counter?: RequestCounter } => ({}),
);

/** The shared state database, opened from env() on first use: STATE_DATABASE_URL (PostgreSQL). */
function stateDriver(): Promise<SqlDriver> {
  holder.driver ??= (async () => {
    const url = env().STATE_DATABASE_URL;
    if (!url) throw new Error('STATE_DATABASE_URL is not set');
    return openStateDatabase({ kind: 'postgres', url });
  })().catch((cause: unknown) => {
    holder.driver = undefined;
    throw new StateUnavailableError({ cause });
  });
  return holder.driver;
}

/** The app's launch store: in STATE_DATABASE_URL, else embedded under DATA_DIR. */
export function getLaunchStore(): Promise<LaunchStore> {
  holder.shared ??= (
    env().STATE_DATABASE_URL
      ? stateDriver().then(createSqlLaunchStore)
      : openLaunchStore(embeddedStateDatabase(env().dataDir)).catch((cause: unknown) => {
          throw new StateUnavailableError({ cause });
        })
  ).catch((e: unknown) => {
    holder.shared = undefined;
    throw e;
  });
  return holder.shared;
}

/** The launch store if this process has opened it, for closing it at shutdown. */
export function openedLaunchStore(): Promise<LaunchStore> | undefined {
  return holder.shared;
}

/**
 * The request counter of the rate limits: in the shared PostgreSQL state
 * database when there is one (every instance counts against one limit),
 * else in this process (the embedded default serves one process).
 */
export function getRequestCounter(): RequestCounter {
  if (!holder.counter) {
    const e = env();
    const limits = limitsFrom({
      launch: e.RATE_LIMIT_LAUNCH,
      callback: e.RATE_LIMIT_CALLBACK,
      view: e.RATE_LIMIT_VIEW,
      refused: e.RATE_LIMIT_REFUSED,
    });
    holder.counter = e.STATE_DATABASE_URL
      ? createSqlRateCounter(stateDriver, limits)
      : new RateLimiter(limits);
  }
  return holder.counter;
}

/**
 * Failure counts shared by every instance (the console's sign-in throttle) when the state
 * database is PostgreSQL; undefined for the embedded default, where one process counts alone.
 */
export function sharedFailureCounts(): FailureCounts | undefined {
  return env().STATE_DATABASE_URL ? createSqlFailureCounts(stateDriver) : undefined;
}
