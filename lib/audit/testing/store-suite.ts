import { createPrivateKey } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendBatch, OPTIMISTIC_ATTEMPTS, type HeadCache } from '../append-batch';
import { acceptNewerCheckpoint, openCheckpoint, signCheckpoint } from '../checkpoint';
import { parseRecord } from '../canonical';
import { toBuffer, type Row, type SqlDriver } from '../driver';
import { AuditIntegrityError, AuditUnavailableError } from '../errors';
import { verifyConsistency, verifyInclusion } from '../merkle';
import { createSqlAuditStore, type AuditStore } from '../store';
import {
  deleteEvent,
  disableTriggers,
  editEvent,
  rebuildWithout,
  swapEvents,
  truncateTail,
} from './attacker';
import { attackSuite } from './attack-suite';
import { appendAsFormat2 } from './forger';
import { newTenant, seed } from './seed';
import { tempDir, type Harness } from './harness';
import { directorySink, type CheckpointSink } from '../checkpoint-dir';

import { PATIENT, USER, readInput } from './store-suite-input';

export { readInput };

/** Wraps a driver so the next batch fails, refused by the server (a full disk, say). */
function faultyDriver(inner: SqlDriver): SqlDriver & { arm(): void } {
  let armed = false;
  return {
    kind: inner.kind,
    arm: () => (armed = true),
    query: async (sql, params) => {
      // Only a real batch: an empty one just asks for the head.
      if (armed && sql.includes('audit.append_events') && (params?.[2] as unknown[]).length > 0) {
        armed = false;
        // A statement the server refused (a lost connection is looked for and retried: store-retry.test.ts).
        throw Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });
      }
      return inner.query(sql, params);
    },
    exec: (sql) => inner.exec(sql),
    transaction: (fn) => inner.transaction(fn),
    close: async () => undefined,
  };
}

export function storeSuite(name: string, makeHarness: () => Promise<Harness>): void {
  describe(name, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('appends gap-free, pages newest first, and decrypts only through the store', async () => {
      const tenant = newTenant('basic');
      const receipts = await h.store.append(Array.from({ length: 12 }, (_, i) => readInput(tenant, i)));
      expect(receipts.map((r) => r.seq)).toEqual([...Array(12).keys()]);

      const first = await h.store.query({ tenant, patient: PATIENT }, { limit: 4 });
      expect(first.items.map((e) => e.seq)).toEqual([10, 8, 6, 4]);
      const second = await h.store.query(
        { tenant, patient: PATIENT },
        { limit: 4, cursor: first.nextCursor },
      );
      expect(second.items.map((e) => e.seq)).toEqual([2, 0]);
      expect(second.nextCursor).toBeUndefined();
      const failures = await h.store.query({ tenant, outcome: 'failure' });
      expect(failures.items.map((e) => e.seq)).toEqual([6]);
      const queries = await h.store.query({ tenant, user: USER, actions: ['patient-query'] });
      expect(queries.items.map((e) => e.seq)).toEqual([9, 4]);

      const ev = first.items[0]!.event;
      expect(ev.recorded).toBe('2026-01-01T00:00:10.000Z');
      expect(ev.entity?.find((e) => e.role?.code === '1')?.what?.reference).toBe(PATIENT);
      expect(
        Buffer.from(ev.entity?.find((e) => e.role?.code === '24')?.query ?? '', 'base64').toString(),
      ).toContain('category=vital-signs');

      // The database alone reveals no patient, user, address, query or session.
      const rows = await h.admin.query(`SELECT * FROM audit.events WHERE tenant = $1`, [tenant]);
      const dump = JSON.stringify(rows, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      for (const secret of [
        'pat-8812',
        'doc-77',
        '198.51.100.23',
        'vital-signs',
        'sess-secret-value',
        'launch-',
      ]) {
        expect(dump).not.toContain(secret);
      }
    });

    it('keeps 1,000 concurrent appends to one log gap-free and fork-free', async () => {
      const tenant = newTenant('concurrent');
      const receipts = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => h.store.append([readInput(tenant, i)])),
      );
      const seqs = receipts.map((r) => r[0]!.seq).sort((a, b) => a - b);
      expect(seqs).toEqual([...Array(1000).keys()]);
      expect(new Set(receipts.map((r) => r[0]!.leafHash)).size).toBe(1000);
      await h.store.checkpoint(tenant);
      const report = await h.store.verify({ tenant });
      expect(report.tenants[0]?.problems).toEqual([]);
      expect(report.tenants[0]).toMatchObject({ events: 1000, problems: [] });
      expect(report.ok).toBe(true);
    });

    it('lets a writer that keeps losing the race to other instances commit, gap-free', async () => {
      const tenant = newTenant('starved');
      const rival: HeadCache = new Map();
      const rivalAppend = (i: number) =>
        appendBatch(h.app, tenant, [readInput(tenant, 100 + i)], h.keys, 'rival', rival);
      let lost = 0;
      let duringLock: Promise<unknown> | undefined;
      const isOffer = (sql: string, params?: readonly unknown[]) =>
        sql.includes('audit.append_events') && (params?.[2] as unknown[]).length > 0;
      // Another instance commits just before each of this writer's offers: every optimistic one is stale.
      const starved: SqlDriver = {
        ...h.app,
        query: async (sql, params, name) => {
          if (isOffer(sql, params)) await rivalAppend(lost++);
          return h.app.query(sql, params, name);
        },
        transaction: (fn) =>
          h.app.transaction((tx) =>
            fn({
              query: async (sql, params, name) => {
                // The rival tries again while this writer holds the head's lock: it must wait.
                if (isOffer(sql, params)) duringLock ??= rivalAppend(99);
                return tx.query(sql, params, name);
              },
            }),
          ),
      };
      await rivalAppend(-1);
      const receipts = await appendBatch(
        starved,
        tenant,
        [0, 1, 2].map((i) => readInput(tenant, i)),
        h.keys,
        'smart-chart',
        new Map(),
      );
      expect(lost).toBe(OPTIMISTIC_ATTEMPTS - 1);
      expect(receipts.map((r) => r.seq)).toEqual([lost + 1, lost + 2, lost + 3]);
      const late = (await duringLock) as { seq: number }[];
      expect(late.map((r) => r.seq)).toEqual([lost + 4]);
      await h.store.checkpoint(tenant);
      const report = await h.store.verify({ tenant });
      expect(report.tenants[0]).toMatchObject({ events: lost + 5, problems: [] });
    });

    it('runs a migration beside a writer holding the head: the migration waits, the writer commits', async () => {
      if (h.kind !== 'postgres') return; // One connection: nothing runs beside a transaction.
      const tenant = newTenant('migrating');
      await h.store.append([readInput(tenant, 0)]);
      let migration: Promise<void> | undefined;
      const waitingOnLock = async () => {
        for (let i = 0; i < 200; i++) {
          const rows = await h.admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (Number(rows[0]?.n) > 0) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('the migration never waited for the writer');
      };
      // Another instance commits before each optimistic offer, so this writer takes the locked path; once
      // its first, empty offer holds the head's row lock, an instance starts and migrates.
      const rival: HeadCache = new Map();
      let n = 0;
      const writer: SqlDriver = {
        ...h.app,
        query: async (sql, params, name) => {
          if (sql.includes('audit.append_events') && (params?.[2] as unknown[]).length > 0)
            await appendBatch(h.app, tenant, [readInput(tenant, 10 + n++)], h.keys, 'rival', rival);
          return h.app.query(sql, params, name);
        },
        transaction: (fn) =>
          h.app.transaction((tx) =>
            fn({
              query: async <R extends Row>(sql: string, params?: readonly unknown[], name?: string) => {
                const rows = await tx.query<R>(sql, params, name);
                if (!migration) {
                  migration = h.restoreTriggers();
                  migration.catch(() => undefined); // Awaited below.
                  await waitingOnLock();
                }
                return rows;
              },
            }),
          ),
      };
      const receipts = await appendBatch(
        writer,
        tenant,
        [readInput(tenant, 1)],
        h.keys,
        'smart-chart',
        new Map(),
      );
      expect(receipts.map((r) => r.seq)).toEqual([n + 1]);
      await migration;
      await h.store.checkpoint(tenant);
      expect((await h.store.verify({ tenant })).tenants[0]).toMatchObject({ events: n + 2, problems: [] });
    });

    it("takes another instance's checkpoint as coverage while that instance holds the signer lock", async () => {
      if (h.kind !== 'postgres') return; // One process: no other instance.
      const tenant = newTenant('covered-elsewhere');
      const bound = 1000;
      const store = await h.openStore({ coverageBoundMs: bound, checkpointDelayMs: 50 });
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // Another instance signing this tenant holds its signer lock throughout.
      await h.admin.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(727170002, hashtext($1))`, [tenant]);
        await store.append([readInput(tenant, 0)]);
        await sleep(bound + 300);
        // Nothing covers the append yet: past the bound, the store says so (and refuses appends).
        expect(store.health().problems).toEqual([expect.objectContaining({ tenant, code: 'unsigned-tail' })]);
        // The other instance stores the checkpoint it signed over the head.
        const head = await store.treeHead(tenant);
        const signed = signCheckpoint(
          { tenant, size: head.size, root: Buffer.from(head.root, 'hex'), time: new Date().toISOString() },
          createPrivateKey(h.keys.signingKey),
        );
        await h.app.query(`SELECT audit.add_checkpoint($1, $2, $3, $4, $5)`, [
          tenant,
          signed.size,
          signed.root,
          signed.time,
          signed.note,
        ]);
        for (let i = 0; i < 40 && !store.health().ok; i++) await sleep(50);
        expect(store.health()).toEqual({ ok: true, problems: [] });
      });
    });

    it('starts signing from the newest external note, not from every note the log ever had', async () => {
      const tenant = newTenant('many-notes');
      const dir = tempDir('audit-many-cp-');
      try {
        const first = await h.openStore({ checkpointDir: dir });
        for (let i = 0; i < 30; i++) {
          await first.append([readInput(tenant, i)]);
          await first.checkpoint(tenant);
        }
        await first.close();
        const inner = directorySink(dir);
        let notesRead = 0;
        const counting: CheckpointSink = {
          ...inner,
          entries: async (t, last) => {
            const found = await inner.entries(t, last);
            notesRead += found.length;
            return found;
          },
        };
        const fresh = await h.openStore({ sink: counting });
        await fresh.append([readInput(tenant, 30)]);
        await fresh.checkpoint(tenant);
        expect(notesRead).toBe(1);
        expect((await fresh.verify({ tenant })).tenants[0]).toMatchObject({ events: 31, problems: [] });
        await fresh.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('covers appended events with signed checkpoints, in the database and outside it', async () => {
      const tenant = newTenant('checkpoint');
      await h.store.append([readInput(tenant, 0), readInput(tenant, 1), readInput(tenant, 2)]);
      // The debounced checkpointer (50 ms in tests) signs without being asked.
      await expect
        .poll(async () => (await h.store.verify({ tenant })).tenants[0]?.checkpointsMatched, {
          timeout: 10_000,
        })
        .toBe(2);
      const head = await h.store.treeHead(tenant);
      expect(head.checkpoint?.size).toBe(3);
      expect(head.checkpoint?.root.toString('hex')).toBe(head.root);
      const report = await h.store.verify({ tenant });
      expect(report.tenants[0]).toMatchObject({ checkpointsInDb: 1, checkpointsExternal: 1, problems: [] });
    });

    it('verifies a log the release before record format 3 wrote, and the events appended after it', async () => {
      const tenant = newTenant('upgrade');
      await appendAsFormat2(
        h.app,
        h.keys,
        tenant,
        [0, 1, 2, 3, 4].map((i) => readInput(tenant, i)),
      );
      await h.store.append([readInput(tenant, 5), readInput(tenant, 6)]);
      const formats = await h.admin.query(
        `SELECT canonical FROM audit.events WHERE tenant = $1 ORDER BY seq`,
        [tenant],
      );
      expect(formats.map((r) => parseRecord(toBuffer(r.canonical)).v)).toEqual([2, 2, 2, 2, 2, 3, 3]);
      expect((await h.store.checkpoint(tenant))?.size).toBe(7);
      const report = await h.store.verify({ tenant });
      expect(report.ok).toBe(true);
      expect(report.tenants[0]).toMatchObject({ events: 7, problems: [] });
      // Every payload of both formats compared with its record field by field, on checking threads of its own.
      const deep = await h.store.verify({ tenant, deep: true });
      expect(deep.ok).toBe(true);
      expect(deep.tenants[0]).toMatchObject({ events: 7, problems: [] });
      // Both formats open for a reader, newest first.
      const page = await h.store.query({ tenant }, { limit: 10 });
      expect(page.items.map((e) => e.event.recorded)).toEqual(
        [6, 5, 4, 3, 2, 1, 0].map((i) => readInput(tenant, i).recorded?.toISOString()),
      );
    });

    it('serves inclusion and consistency proofs that verify against signed checkpoints', async () => {
      const tenant = newTenant('proofs');
      await h.store.append(Array.from({ length: 37 }, (_, i) => readInput(tenant, i)));
      const small = await h.store.checkpoint(tenant);
      await h.store.append(Array.from({ length: 60 }, (_, i) => readInput(tenant, 37 + i)));
      const big = await h.store.checkpoint(tenant);
      expect(small?.size).toBe(37);
      expect(big?.size).toBe(97);
      for (const seq of [0, 18, 36, 64, 96]) {
        const p = await h.store.proveInclusion(tenant, seq, 97);
        const path = p.path.map((x) => Buffer.from(x, 'hex'));
        expect(verifyInclusion(Buffer.from(p.leafHash, 'hex'), seq, 97, path, big!.root)).toBe(true);
        expect(verifyInclusion(Buffer.from(p.leafHash, 'hex'), seq ^ 1, 97, path, big!.root)).toBe(false);
        expect(verifyInclusion(Buffer.from(p.leafHash, 'hex'), seq, 97, path.slice(1), big!.root)).toBe(
          false,
        );
      }
      const proof = (await h.store.proveConsistency(tenant, 37, 97)).map((x) => Buffer.from(x, 'hex'));
      expect(verifyConsistency(37, 97, small!.root, big!.root, proof)).toBe(true);
      expect(verifyConsistency(37, 97, small!.root, big!.root, proof.reverse())).toBe(false);
      await expect(h.store.proveInclusion(tenant, 0, 98)).rejects.toThrow(RangeError);
    });

    it('refuses UPDATE, DELETE and TRUNCATE, also for a superuser in replica mode', async () => {
      const tenant = newTenant('immutable');
      await seed(h.store, tenant, 4, 1);
      const attempts = [
        `UPDATE audit.events SET outcome = '0' WHERE tenant = '${tenant}'`,
        `DELETE FROM audit.events WHERE tenant = '${tenant}' AND seq = 1`,
        `TRUNCATE audit.events`,
        `DELETE FROM audit.checkpoints WHERE tenant = '${tenant}'`,
        `TRUNCATE audit.checkpoints`,
        `UPDATE audit.nodes SET idx = idx`,
        `DELETE FROM audit.heads WHERE tenant = '${tenant}'`,
        `TRUNCATE audit.heads`,
      ];
      for (const role of ['origin', 'replica']) {
        for (const sql of attempts) {
          await expect(
            h.admin.transaction(async (tx) => {
              await tx.query(`SET LOCAL session_replication_role = ${role}`);
              await tx.query(sql);
            }),
            `${sql} (${role})`,
          ).rejects.toThrow(/append-only/);
        }
      }
      expect((await h.store.verify({ tenant })).ok).toBe(true);
    });

    describe('a superuser who disables the triggers', () => {
      // Each attack runs against its own store instance: the signer stops a tampered log for good.
      let store: AuditStore;
      beforeEach(async () => {
        store = await h.openStore();
      });
      afterEach(async () => {
        await store.close();
      });
      afterAll(async () => {
        await h.restoreTriggers();
      });

      it.each([
        ['edits one event', (a: SqlDriver, t: string) => editEvent(a, t, 5), 5],
        ['deletes one in the middle', (a: SqlDriver, t: string) => deleteEvent(a, t, 9), 9],
        ['swaps two', (a: SqlDriver, t: string) => swapEvents(a, t, 3, 11), 3],
      ] as const)('%s: verify names the first bad event', async (_label, tamper, firstBad) => {
        const tenant = newTenant('tamper');
        await seed(store, tenant, 20);
        expect((await store.verify({ tenant })).ok).toBe(true);
        await disableTriggers(h.admin);
        await tamper(h.admin, tenant);
        for (const external of [false, true]) {
          const report = await store.verify({ tenant, external });
          expect(report.ok).toBe(false);
          expect(report.firstBad).toEqual({ tenant, seq: firstBad });
        }
      });

      it('truncates the tail: only the external checkpoints reveal it', async () => {
        const tenant = newTenant('truncate');
        await seed(store, tenant, 24);
        await disableTriggers(h.admin);
        await truncateTail(h.admin, tenant, 18);
        // The database alone cannot tell: what is left is a perfectly valid shorter log.
        const dbOnly = await store.verify({ tenant, external: false });
        expect(dbOnly.ok).toBe(true);
        const full = await store.verify({ tenant });
        expect(full.ok).toBe(false);
        expect(full.firstBad).toEqual({ tenant, seq: 18 });
        expect(full.tenants[0]?.problems.join('\n')).toMatch(/events were removed/);
      });

      it('rebuilds the whole log with recomputed hashes: the sealed payloads and the external checkpoints reveal it', async () => {
        const tenant = newTenant('rebuild');
        await seed(store, tenant, 24);
        await disableTriggers(h.admin);
        await rebuildWithout(h.admin, tenant, 7);
        // The hashes of the rebuilt log are consistent, but every payload after the gap is sealed to its old position.
        const dbOnly = await store.verify({ tenant, external: false });
        expect(dbOnly.ok).toBe(false);
        expect(dbOnly.tenants[0]?.events).toBe(23);
        expect(dbOnly.firstBad).toEqual({ tenant, seq: 7 });
        expect(dbOnly.tenants[0]?.problems[0]).toBe(
          'event 7: sealed payload cannot be decrypted and read with its record',
        );
        const full = await store.verify({ tenant });
        expect(full.ok).toBe(false);
        expect(full.tenants[0]?.problems.join('\n')).toMatch(/does not match the root recomputed/);
        expect(full.firstBad?.seq).toBeLessThanOrEqual(7);
      });

      it('rejects a split view: a history inconsistent with the last trusted checkpoint', async () => {
        const tenant = newTenant('split');
        await seed(store, tenant, 16, 2);
        const trusted = (await store.treeHead(tenant)).checkpoint!;
        expect(trusted.size).toBe(16);
        await disableTriggers(h.admin);
        await rebuildWithout(h.admin, tenant, 2);
        await store.append(Array.from({ length: 6 }, (_, i) => readInput(tenant, 100 + i)));
        // The app's own signer refuses to bless the forked head...
        await expect(store.checkpoint(tenant)).rejects.toThrow(AuditIntegrityError);
        // ...and a checkpoint signed anyway (stolen key) fails the auditor's consistency check.
        const head = await store.treeHead(tenant);
        const forged = signCheckpoint(
          { tenant, size: head.size, root: Buffer.from(head.root, 'hex'), time: new Date().toISOString() },
          createPrivateKey(h.keys.signingKey),
        );
        const proof = (await store.proveConsistency(tenant, trusted.size, head.size)).map((x) =>
          Buffer.from(x, 'hex'),
        );
        expect(() => acceptNewerCheckpoint(trusted, forged.note, proof, store.publicKey)).toThrow(
          /not consistent/,
        );
        expect(openCheckpoint(forged.note, store.publicKey)).toBeDefined();
      });
    });

    attackSuite(() => h);

    it('rejects every waiter with AuditUnavailableError when the database fails mid-batch, leaving nothing partial', async () => {
      const tenant = newTenant('fault');
      const driver = faultyDriver(h.admin);
      const store = createSqlAuditStore({
        driver,
        keys: h.keys,
        sink: undefined,
        appId: 'test',
        checkpointDelayMs: 60_000,
      });
      await store.append([readInput(tenant, 0)]);
      driver.arm();
      const batch = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.append([readInput(tenant, i + 1)])),
      );
      const rejected = batch.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.length).toBeGreaterThan(0);
      for (const r of rejected) expect(r.reason).toBeInstanceOf(AuditUnavailableError);
      const fulfilled = batch.filter((r) => r.status === 'fulfilled').length;
      const after = await store.append([readInput(tenant, 99)]);
      expect(after[0]?.seq).toBe(1 + fulfilled);
      expect((await h.store.verify({ tenant })).ok).toBe(true);
      await store.close();
    });
  });
}
