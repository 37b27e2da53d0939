import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { pgliteDriver } from '../audit/driver-pglite';
import { createSqlLaunchStore, type LaunchStore, type NewLaunch } from './launch-store';
import { migrateState } from './schema';

/**
 * The connection to the primary drops right after a statement: whether it committed is unknown to
 * the app. Here it always did (the worst case for a retry), and the store's retry must leave the
 * state it would have left without the loss, and say so.
 */
const lost = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

let db: SqlDriver;
/** Statements matching this fail with a lost connection after running, once each. */
let dropAfter: RegExp | undefined;
const calls: string[] = [];
let store: LaunchStore;

beforeAll(async () => {
  db = await pgliteDriver(undefined);
  await migrateState(db);
  const flaky: SqlDriver = {
    ...db,
    kind: 'postgres',
    async query(sql, params) {
      calls.push(sql.trim().split(/\s+/)[0] ?? '');
      const rows = await db.query(sql, params);
      if (dropAfter?.test(sql)) {
        dropAfter = undefined;
        throw lost();
      }
      return rows as never;
    },
  };
  store = createSqlLaunchStore(flaky, { retryDelayMs: 1 });
});
afterAll(() => db.close());

const T0 = Date.UTC(2026, 0, 5, 8);
const launch = (id: string): NewLaunch => ({
  launchId: id,
  handle: `handle-of-${id}`,
  sealed: `sealed-${id}`,
  framed: false,
  createdAt: T0,
  expiresAt: T0 + 3_600_000,
});

describe('the launch store after a lost connection', () => {
  it('creates a launch whose first insert committed, and refuses another launch under its id', async () => {
    dropAfter = /INSERT INTO app_state\.launches/;
    await store.create(launch('retry-launch-00000001'));
    expect(await store.open('retry-launch-00000001', 'handle-of-retry-launch-00000001')).toMatchObject({
      sealed: 'sealed-retry-launch-00000001',
    });
    dropAfter = /INSERT INTO app_state\.launches/;
    await expect(
      store.create({ ...launch('retry-launch-00000001'), handle: 'another-handle' }),
    ).rejects.toThrow();
  });

  it('binds the patient and ends the launch once, and says so, though the first run committed', async () => {
    await store.create(launch('retry-launch-00000002'));
    dropAfter = /SET patient_id/;
    expect(await store.bindPatient('retry-launch-00000002', 'p-1', Buffer.alloc(32, 1))).toBe(true);
    // Another patient is still refused.
    expect(await store.bindPatient('retry-launch-00000002', 'p-2', Buffer.alloc(32, 2))).toBe(false);
    dropAfter = /SET ended_at/;
    expect(await store.end('retry-launch-00000002', T0 + 60_000, 'logout')).toBe(true);
    expect(await store.isEnded('retry-launch-00000002')).toBe(true);
    // A second sign-out is not the first.
    expect(await store.end('retry-launch-00000002', T0 + 90_000, 'logout')).toBe(false);
  });

  it('runs reads and touches again', async () => {
    await store.create(launch('retry-launch-00000003'));
    dropAfter = /SET last_seen_at/;
    expect(await store.touch('retry-launch-00000003', T0 + 5_000)).toBe(true);
    dropAfter = /SELECT launch_id, framed/;
    expect(await store.summaries(['retry-launch-00000003'])).toEqual([
      expect.objectContaining({ launchId: 'retry-launch-00000003', lastSeenAt: T0 + 5_000 }),
    ]);
  });

  it('never runs a state claim twice: the sign-in fails rather than count its own claim as a replay', async () => {
    calls.length = 0;
    dropAfter = /used_states/;
    await expect(store.claimState('state-1', T0 + 60_000)).rejects.toMatchObject({ code: '57P01' });
    expect(calls.filter((c) => c === 'INSERT')).toHaveLength(1);
  });

  it('does not retry what the server refused', async () => {
    calls.length = 0;
    await store.create(launch('retry-launch-00000004'));
    await expect(store.create(launch('retry-launch-00000004'))).rejects.toThrow(/duplicate key/);
    expect(calls.filter((c) => c === 'INSERT')).toHaveLength(2);
  });
});
