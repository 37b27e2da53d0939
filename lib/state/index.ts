import 'server-only';
import path from 'node:path';
import { pgDriver } from '../audit/driver-pg';
import { pgliteDriver } from '../audit/driver-pglite';
import type { SqlDriver } from '../audit/driver';
import { env } from '../env';
import { limitsFrom, RateLimiter, type RequestCounter } from '../http/request-limits';
import { processSingleton } from '../process-singleton';
import { createSqlLaunchStore, type LaunchStore } from './launch-store';
import { createSqlFailureCounts, createSqlRateCounter, type FailureCounts } from './rate-windows';
import { migrateState } from './schema';

export type { LaunchStore, LaunchSummary, StoredLaunch } from './launch-store';

export class StateUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The app state database is unavailable', options);
    this.name = 'StateUnavailableError';
  }
}

type StateDatabase = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | undefined };

async function openStateDatabase(database: StateDatabase): Promise<SqlDriver> {
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

/** Opens the state database (PostgreSQL, or PGlite under a directory) and brings its schema up to date. */
export async function openLaunchStore(database: StateDatabase): Promise<LaunchStore> {
  return createSqlLaunchStore(await openStateDatabase(database));
}

// Process-wide handles (a connection pool, or the one PGlite instance a directory allows).
const holder = processSingleton(
  'launch-store',
  (): { driver?: Promise<SqlDriver>; shared?: Promise<LaunchStore>; counter?: RequestCounter } => ({}),
);

/** The state database, opened from env() on first use: STATE_DATABASE_URL, or PGlite under DATA_DIR/state. */
function stateDriver(): Promise<SqlDriver> {
  holder.driver ??= (async () => {
    const e = env();
    return openStateDatabase(
      e.STATE_DATABASE_URL
        ? { kind: 'postgres', url: e.STATE_DATABASE_URL }
        : { kind: 'pglite', dataDir: path.join(e.dataDir, 'state') },
    );
  })().catch((cause: unknown) => {
    holder.driver = undefined;
    throw new StateUnavailableError({ cause });
  });
  return holder.driver;
}

/** The app's launch store. */
export function getLaunchStore(): Promise<LaunchStore> {
  holder.shared ??= stateDriver()
    .then(createSqlLaunchStore)
    .catch((e: unknown) => {
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
