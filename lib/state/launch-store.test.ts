import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTestUrl } from '../audit/testing/harness';
import { openLaunchStore } from './index';
import { loadSqlite } from '../sqlite';
import type { LaunchStore, NewLaunch } from './launch-store';
import { twoInstances } from './testing';

const T0 = Date.UTC(2026, 0, 5, 8);
const launch = (id: string, overrides: Partial<NewLaunch> = {}): NewLaunch => ({
  launchId: id,
  handle: `handle-of-${id}`,
  sealed: `sealed-${id}`,
  framed: false,
  createdAt: T0,
  expiresAt: T0 + 12 * 3_600_000,
  ...overrides,
});

function suite(
  name: string,
  open: () => Promise<{ a: LaunchStore; b: LaunchStore; done: () => Promise<void> }>,
) {
  describe(name, () => {
    let a: LaunchStore;
    let b: LaunchStore;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ a, b, done } = await open());
    }, 60_000);
    afterAll(async () => {
      await done();
    });

    it('opens a launch only with its own handle', async () => {
      await a.create(launch('launch-one-0000000001'));
      expect(await b.open('launch-one-0000000001', 'handle-of-launch-one-0000000001')).toMatchObject({
        sealed: 'sealed-launch-one-0000000001',
        createdAt: T0,
        lastSeenAt: T0,
      });
      expect(await b.open('launch-one-0000000001', 'handle-of-someone-else')).toBeUndefined();
      expect(await b.open('launch-unknown-000001', 'handle-of-launch-unknown-000001')).toBeUndefined();
    });

    it('ends a launch for good, on every instance', async () => {
      await a.create(launch('launch-two-0000000002'));
      expect(await b.touch('launch-two-0000000002', T0 + 1000)).toBe(true);
      expect(await a.end('launch-two-0000000002', T0 + 2000, 'user')).toBe(true);
      expect(await b.end('launch-two-0000000002', T0 + 3000, 'user')).toBe(false);
      expect(await b.isEnded('launch-two-0000000002')).toBe(true);
      expect(await b.touch('launch-two-0000000002', T0 + 4000)).toBe(false);
      expect(await b.reseal('launch-two-0000000002', 'new tokens')).toBe(false);
      const stored = await a.open('launch-two-0000000002', 'handle-of-launch-two-0000000002');
      expect(stored).toMatchObject({
        endedAt: T0 + 2000,
        endedReason: 'user',
        sealed: 'sealed-launch-two-0000000002',
      });
      expect(stored?.lastSeenAt).toBe(T0 + 1000);
    });

    it('lists the launches still open past their idle or absolute limit, to any instance', async () => {
      const MIN = 60_000;
      const T1 = T0 + 30 * 24 * 3_600_000;
      const ids = [
        'overdue-idle-000000001',
        'overdue-old-0000000002',
        'overdue-fresh-00000003',
        'overdue-ended-00000004',
      ];
      await a.create(launch(ids[0]!, { createdAt: T1 }));
      await a.create(launch(ids[1]!, { createdAt: T1 - 13 * 60 * MIN }));
      await a.touch(ids[1]!, T1 + 19 * MIN);
      await a.create(launch(ids[2]!, { createdAt: T1, patientId: 'p-9', patientMac: Buffer.alloc(32, 7) }));
      await a.touch(ids[2]!, T1 + 18 * MIN);
      await a.create(launch(ids[3]!, { createdAt: T1 }));
      await a.end(ids[3]!, T1 + MIN, 'user');
      // At T1 + 20 min, with a 15-minute idle limit and a 12-hour absolute one.
      const mine = async (limit: number) =>
        (await b.overdue(T1 + 5 * MIN, T1 + 20 * MIN - 12 * 60 * MIN, limit)).filter((l) =>
          ids.includes(l.launchId),
        );
      const found = await mine(100);
      expect(found.map((l) => l.launchId).sort()).toEqual([ids[0], ids[1]].sort());
      expect(found.find((l) => l.launchId === ids[0])).toEqual({
        launchId: ids[0],
        sealed: `sealed-${ids[0]}`,
        createdAt: T1,
        lastSeenAt: T1,
      });
      // Its patient and MAC come along, for the session to be checked as a request would.
      await b.touch(ids[2]!, T1 + 18 * MIN);
      const later = (await b.overdue(T1 + 40 * MIN, 0, 100)).find((l) => l.launchId === ids[2]);
      expect(later).toMatchObject({ patientId: 'p-9', patientMac: Buffer.alloc(32, 7) });
      await a.end(ids[0]!, T1 + 20 * MIN, 'idle-timeout');
      expect((await mine(100)).map((l) => l.launchId)).toEqual([ids[1]]);
    });

    it('binds a patient once, with its MAC, and never rebinds', async () => {
      await a.create(launch('launch-bind-000000005'));
      const mac = Buffer.alloc(32, 7);
      expect(await b.bindPatient('launch-bind-000000005', 'pat-1', mac)).toBe(true);
      expect(await a.bindPatient('launch-bind-000000005', 'pat-2', Buffer.alloc(32, 8))).toBe(false);
      const stored = await a.open('launch-bind-000000005', 'handle-of-launch-bind-000000005');
      expect(stored?.patientId).toBe('pat-1');
      expect(stored?.patientMac?.equals(mac)).toBe(true);
      await a.create(launch('launch-bind-000000006', { patientId: 'pat-3', patientMac: mac }));
      expect(await b.bindPatient('launch-bind-000000006', 'pat-4', mac)).toBe(false);
      await a.create(launch('launch-bind-000000007'));
      await a.end('launch-bind-000000007', T0 + 1, 'user');
      expect(await b.bindPatient('launch-bind-000000007', 'pat-5', mac)).toBe(false);
      expect(
        (await b.open('launch-bind-000000007', 'handle-of-launch-bind-000000007'))?.patientId,
      ).toBeUndefined();
    });

    it('accepts a state once across instances', async () => {
      expect(await a.claimState('state-abc', T0 + 600_000)).toBe(true);
      expect(await b.claimState('state-abc', T0 + 600_000)).toBe(false);
      expect(await a.claimState('state-abc', T0 + 600_000)).toBe(false);
    });

    it('lets one instance at a time hold a launch, and the next sees what it stored', async () => {
      await a.create(launch('launch-lock-000000004'));
      const seen: string[] = [];
      let entered!: () => void;
      const firstIn = new Promise<void>((resolve) => (entered = resolve));
      const first = a.withLock('launch-lock-000000004', async (l) => {
        entered();
        seen.push(`a saw ${l.sealed}`);
        await new Promise((r) => setTimeout(r, 300));
        expect(await l.reseal('sealed-by-a')).toBe(true);
        return 'a';
      });
      await firstIn;
      const second = b.withLock('launch-lock-000000004', async (l) => {
        seen.push(`b saw ${l.sealed}`);
        return 'b';
      });
      expect(await Promise.all([first, second])).toEqual(['a', 'b']);
      expect(seen).toEqual(['a saw sealed-launch-lock-000000004', 'b saw sealed-by-a']);
      // A failure inside releases the lock; an ended launch cannot be resealed.
      await expect(
        a.withLock('launch-lock-000000004', () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      await b.end('launch-lock-000000004', T0 + 1, 'user');
      expect(
        await a.withLock('launch-lock-000000004', async (l) => [l.ended, await l.reseal('late')]),
      ).toEqual([true, false]);
    });

    it('summarises the launches a browser holds cookies for, and forgets expired ones', async () => {
      await a.create(launch('launch-three-00000003', { framed: true, expiresAt: T0 + 1000 }));
      const s = await b.summaries([
        'launch-one-0000000001',
        'launch-two-0000000002',
        'launch-three-00000003',
        'nope',
      ]);
      expect(s.map((x) => [x.launchId, x.framed]).sort()).toEqual([
        ['launch-one-0000000001', false],
        ['launch-three-00000003', true],
        ['launch-two-0000000002', false],
      ]);
      // The first ending counts; a launch that has not ended has no time of ending.
      expect(Object.fromEntries(s.map((x) => [x.launchId, x.endedAt]))).toEqual({
        'launch-one-0000000001': undefined,
        'launch-three-00000003': undefined,
        'launch-two-0000000002': T0 + 2000,
      });
      await a.purge(T0 + 2000);
      expect(await b.summaries(['launch-three-00000003'])).toEqual([]);
      expect(await b.isEnded('launch-three-00000003')).toBe(true);
      expect(await b.summaries(['launch-one-0000000001'])).toHaveLength(1);
    });
  });
}

if (loadSqlite()) {
  suite('launch store on SQLite (the embedded default)', async () => {
    const store = await openLaunchStore({ kind: 'sqlite', file: ':memory:' });
    return { a: store, b: store, done: () => store.close() };
  });
} else {
  describe('launch store on SQLite', () => {
    it.skip('skipped: this Node.js has no node:sqlite (22.13 or later has it)', () => undefined);
  });
}

suite('launch store on PGlite', async () => {
  const store = await openLaunchStore({ kind: 'pglite', dataDir: undefined });
  // PGlite serves one process: the second "instance" is the same store.
  return { a: store, b: store, done: () => store.close() };
});

const PG = pgTestUrl();
if (PG) {
  suite('launch store on PostgreSQL, two instances', () =>
    twoInstances(PG, (url) => openLaunchStore({ kind: 'postgres', url })),
  );
} else {
  describe('launch store on PostgreSQL', () => {
    it.skip('skipped: set AUDIT_TEST_PG_URL to run against PostgreSQL', () => undefined);
  });
}
