import { describe, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { pgDriver } from '../audit/driver-pg';
import { pgliteDriver } from '../audit/driver-pglite';
import { freshPgDatabase, pgTestUrl } from '../audit/testing/harness';
import { embeddedStateDatabase, openLaunchStore } from './index';
import type { LaunchStore } from './launch-store';

/** A real launch store, the embedded default in memory, for tests. */
export function memoryLaunchStore(): Promise<LaunchStore> {
  return openLaunchStore(embeddedStateDatabase(undefined));
}

/** Two handles on one fresh PostgreSQL database, as two app instances have; `done` closes both and drops it. */
export async function twoInstances<T extends { close(): Promise<void> }>(
  superUrl: string,
  open: (url: string) => T | Promise<T>,
): Promise<{ a: T; b: T; done: () => Promise<void> }> {
  const db = await freshPgDatabase(superUrl);
  const a = await open(db.url);
  const b = await open(db.url);
  return {
    a,
    b,
    async done() {
      await a.close();
      await b.close();
      await db.drop();
    },
  };
}

export type OpenPair = () => Promise<{ a: SqlDriver; b: SqlDriver; done: () => Promise<void> }>;

/**
 * Runs `suite` as two app instances would meet the state database: on one in-memory PGlite (both
 * handles the same), and on two connections to a fresh PostgreSQL database when AUDIT_TEST_PG_URL is set.
 */
export function sharedStateSuites(what: string, suite: (name: string, open: OpenPair) => void): void {
  suite(`${what} on PGlite`, async () => {
    const db = await pgliteDriver(undefined);
    return { a: db, b: db, done: () => db.close() };
  });
  const url = pgTestUrl();
  if (url) suite(`${what} on PostgreSQL, two instances`, () => twoInstances(url, (u) => pgDriver(u)));
  else
    describe(`${what} on PostgreSQL`, () => {
      it.skip('skipped: set AUDIT_TEST_PG_URL to run against PostgreSQL', () => undefined);
    });
}
