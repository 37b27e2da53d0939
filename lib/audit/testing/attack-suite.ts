import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditAlert, AuditIntegrityError, AuditUnavailableError } from '../errors';
import type { AuditStore } from '../store';
import { acknowledgeWithoutKeeping, disableTriggers, rebuildWithout } from './attacker';
import { pseudonym } from '../crypto';
import { forgeTail, poisonCheckpoints } from './forger';
import { tempDir, type Harness, type IsolatedStoreOptions } from './harness';
import { newTenant, seed } from './seed';
import { readInput } from './store-suite-input';

/**
 * The attacks of a compromised app login, a database superuser and someone
 * with access to the checkpoint directory, each run against its own store
 * instance (the signer stops a tampered log for good). Each must end with the
 * signer refusing and the store unavailable, or verify failing and naming
 * the place.
 */
/**
 * The app login may not write checkpoints at all, and its checkpoint function refuses a note
 * under another size; on PostgreSQL the poisoning then needs a superuser (PGlite has no roles).
 */
async function poisonAsFarAsAllowed(h: Harness, tenant: string, size: number, upTo: number): Promise<void> {
  const note = (
    await h.app.query(`SELECT note FROM audit.checkpoints WHERE tenant = $1 AND tree_size = $2`, [
      tenant,
      size,
    ])
  )[0]?.note;
  await expect(
    h.app.query(`SELECT audit.add_checkpoint($1, $2, $3, now(), $4)`, [
      tenant,
      size + 1,
      Buffer.alloc(32),
      note,
    ]),
  ).rejects.toThrow(/does not name this tenant, size and root/);
  if (h.kind === 'postgres') {
    await expect(poisonCheckpoints(h.app, tenant, size, upTo)).rejects.toThrow(/permission denied/);
    await poisonCheckpoints(h.admin, tenant, size, upTo);
  } else await poisonCheckpoints(h.app, tenant, size, upTo);
}

/** Runs an attack as a superuser who disabled the triggers, and puts them back. */
async function withTriggersOff(h: Harness, attack: () => Promise<unknown>): Promise<void> {
  await disableTriggers(h.admin);
  try {
    await attack();
  } finally {
    await h.restoreTriggers();
  }
}

export function attackSuite(harness: () => Harness): void {
  describe('attacks on the signer and the checkpoint stores', () => {
    const opened: AuditStore[] = [];
    const alerts: unknown[] = [];
    const open = async (o: IsolatedStoreOptions = {}): Promise<AuditStore> => {
      const s = await harness().openStore({
        onBackgroundError: (e) => alerts.push(e),
        // Signed only when a test asks, unless it tests the background signer.
        checkpointDelayMs: 60_000,
        ...o,
      });
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((s) => s.close()));
      alerts.length = 0;
    });

    const expectStopped = async (store: AuditStore, tenant: string, code: string): Promise<void> => {
      expect(store.health()).toMatchObject({ ok: false, problems: [{ tenant, code }] });
      await expect(store.append([readInput(newTenant('other'), 0)])).rejects.toThrow(AuditUnavailableError);
    };

    it.each([
      ['random sealed bytes', {}],
      ['the sealed payload of a real event (other position)', { copySealed: true }],
    ] as const)(
      'a forged tail (%s) is never signed: the store stops and verify names the event',
      async (_l, v) => {
        const h = harness();
        const store = await open();
        const tenant = newTenant('forged');
        await seed(store, tenant, 10, 2);
        const real = (
          await h.admin.query(`SELECT sealed FROM audit.events WHERE tenant = $1 AND seq = 3`, [tenant])
        )[0]?.sealed as Uint8Array;
        const from = await forgeTail(
          h.app,
          tenant,
          3,
          'copySealed' in v ? { sealed: () => Buffer.from(real) } : {},
        );
        expect(from).toBe(10);

        await expect(store.checkpoint(tenant)).rejects.toMatchObject({
          code: 'event-mismatch',
          tenant,
          seq: 10,
        });
        await expectStopped(store, tenant, 'event-mismatch');
        expect(alerts.some((a) => a instanceof AuditIntegrityError && a.tenant === tenant)).toBe(true);
        // Nothing covers the forged rows, inside the database or outside it.
        const sizes = await h.admin.query(`SELECT tree_size FROM audit.checkpoints WHERE tenant = $1`, [
          tenant,
        ]);
        expect(sizes.map((r) => Number(r.tree_size)).every((n) => n <= 10)).toBe(true);
        expect((await readdir(path.join(h.checkpointDir, tenant))).length).toBe(2);

        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(report.firstBad).toEqual({ tenant, seq: 10 });
        expect(report.tenants[0]?.problems.join('\n')).toMatch(
          /event 10: sealed payload cannot be decrypted/,
        );
      },
    );

    it('a database that acknowledges a disclosure it did not keep: the signer refuses and the store stops', async () => {
      const h = harness();
      const store = await open();
      const tenant = newTenant('acknowledged');
      await store.append(Array.from({ length: 5 }, (_, i) => readInput(tenant, i)));
      await store.checkpoint(tenant);
      const target = 'https://ehr.example/fhir/Patient/vip-1';
      await acknowledgeWithoutKeeping(h.admin, pseudonym(h.keys.hmacKey, 'patient', target));
      try {
        // Acknowledged, so its data would have been sent; traffic goes on and takes its place in the log.
        const [receipt] = await store.append([{ ...readInput(tenant, 5), patient: target }]);
        await store.append([readInput(tenant, 6)]);
        await store.append([readInput(tenant, 7)]);
        expect(receipt!.seq).toBe(5);
        await expect(store.checkpoint(tenant)).rejects.toMatchObject({
          code: 'acknowledged-missing',
          tenant,
          seq: 5,
        });
        await expectStopped(store, tenant, 'acknowledged-missing');
        expect(
          alerts.some((a) => a instanceof AuditIntegrityError && a.code === 'acknowledged-missing'),
        ).toBe(true);
      } finally {
        await h.restoreTriggers();
      }
    });

    it('a database that acknowledges a disclosure it did not keep, its place signed by another instance: the instance it answered finds out and stops', async () => {
      const h = harness();
      const answered = await open();
      const other = await open();
      const tenant = newTenant('acknowledged-two');
      await answered.append(Array.from({ length: 5 }, (_, i) => readInput(tenant, i)));
      await answered.checkpoint(tenant);
      const target = 'https://ehr.example/fhir/Patient/vip-2';
      await acknowledgeWithoutKeeping(h.admin, pseudonym(h.keys.hmacKey, 'patient', target));
      try {
        const [receipt] = await answered.append([{ ...readInput(tenant, 5), patient: target }]);
        expect(receipt!.seq).toBe(5);
        // The other instance's appends take the place; it signs them, since none of its own receipts is missing.
        const taken = await other.append([readInput(tenant, 6), readInput(tenant, 7)]);
        expect(taken.map((r) => r.seq)).toEqual([5, 6]);
        expect((await other.checkpoint(tenant))?.size).toBe(7);
        // The instance that was answered holds its receipt against the signed log before counting it as covered.
        await expect(answered.checkpoint(tenant)).rejects.toMatchObject({
          code: 'acknowledged-missing',
          tenant,
          seq: 5,
        });
        await expectStopped(answered, tenant, 'acknowledged-missing');
      } finally {
        await h.restoreTriggers();
      }
    });

    it("a transaction left open on the app's login holding the chain head: the store says so, and the append fails", async () => {
      const h = harness();
      // PGlite serves one session: no other can hold a lock.
      if (h.kind !== 'postgres') return;
      const store = await open({ coverageBoundMs: 1000 });
      const tenant = newTenant('held');
      await store.append([readInput(tenant, 0)]);
      await store.checkpoint(tenant);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = h.app.transaction(async (tx) => {
        await tx.query(
          `SELECT * FROM audit.append_events($1, -1, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
             '{}', '{}', '{}', ''::bytea, ''::bytea, ''::bytea)`,
          [tenant],
        );
        locked();
        await held;
      });
      try {
        await isLocked;
        const started = Date.now();
        const appending = store.append([readInput(tenant, 1)]).then(
          () => 'committed',
          (e: unknown) => e,
        );
        await new Promise((r) => setTimeout(r, 1500));
        expect(store.health()).toMatchObject({ ok: false, problems: [{ tenant, code: 'append-stalled' }] });
        await expect(store.append([readInput(newTenant('other'), 0)])).rejects.toThrow(AuditUnavailableError);
        // The head's lock is waited for 5 s at most: the disclosure is refused, not left hanging.
        expect(await appending).toBeInstanceOf(AuditUnavailableError);
        expect(Date.now() - started).toBeLessThan(15_000);
      } finally {
        release();
        await holder;
      }
      expect(store.health().ok).toBe(true);
      expect(await store.append([readInput(tenant, 2)])).toHaveLength(1);
    });

    it('checkpoint poisoning: copied notes under other sizes are refused by the signer and by verify', async () => {
      const h = harness();
      const store = await open();
      const tenant = newTenant('poison');
      await seed(store, tenant, 8, 1);
      await poisonAsFarAsAllowed(h, tenant, 8, 30);
      await store.append(Array.from({ length: 4 }, (_, i) => readInput(tenant, 8 + i)));
      await expect(store.checkpoint(tenant)).rejects.toMatchObject({ code: 'checkpoint-foreign', seq: 12 });
      await expectStopped(store, tenant, 'checkpoint-foreign');
      const report = await store.verify({ tenant });
      expect(report.ok).toBe(false);
      expect(report.tenants[0]?.problems.join('\n')).toMatch(
        /database checkpoint row of .* at tree size 9: holds a note for tree size 8, not 9 \(a copied note\)/,
      );
    });

    it('checkpoint poisoning outside: a note under a later file name is reported by name and stops a fresh signer', async () => {
      const h = harness();
      const store = await open();
      const tenant = newTenant('poison-file');
      await seed(store, tenant, 8, 1);
      const dir = path.join(h.checkpointDir, tenant);
      const [name] = await readdir(dir);
      const forgedFile = path.join(dir, `${String(50).padStart(16, '0')}.checkpoint`);
      await cp(path.join(dir, name as string), forgedFile);
      const report = await store.verify({ tenant });
      expect(report.tenants[0]?.problems).toContain(
        `external checkpoint file ${forgedFile}: holds a note for tree size 8, not 50 (a copied note)`,
      );
      const fresh = await open();
      await fresh.append([readInput(tenant, 8)]);
      await expect(fresh.checkpoint(tenant)).rejects.toMatchObject({ code: 'external-checkpoint-invalid' });
    });

    it('a superuser rewrite after poisoning is caught: deleted events, rebuilt chain', async () => {
      const h = harness();
      const store = await open();
      const tenant = newTenant('poison-rewrite');
      await seed(store, tenant, 16, 2);
      await poisonAsFarAsAllowed(h, tenant, 16, 40);
      await withTriggersOff(h, () => rebuildWithout(h.admin, tenant, 3));
      const report = await store.verify({ tenant });
      expect(report.ok).toBe(false);
      const fresh = await open();
      await expect(fresh.checkpoint(tenant)).rejects.toThrow(AuditIntegrityError);
      expect(fresh.health().ok).toBe(false);
    });

    it('a database rewrite is refused by a running instance and by one restarted on an empty checkpoint directory', async () => {
      const h = harness();
      const running = await open();
      const tenant = newTenant('rewrite-restart');
      await seed(running, tenant, 12, 2);
      await withTriggersOff(h, () => rebuildWithout(h.admin, tenant, 4));
      await running.append([readInput(tenant, 12)]);
      await expect(running.checkpoint(tenant)).rejects.toThrow(AuditIntegrityError);
      // The rebuild also removed the database's checkpoints, so an instance on an empty directory has no
      // anchor; it still refuses, because the moved events no longer decrypt at their new positions.
      const restarted = await open({ checkpointDir: tempDir('audit-cp-empty-') });
      await expect(restarted.checkpoint(tenant)).rejects.toThrow(AuditIntegrityError);
      expect(restarted.health().ok).toBe(false);
      expect((await running.verify({ tenant })).ok).toBe(false);
    });

    it('a log whose chain head row was deleted is named by verify', async () => {
      const h = harness();
      const store = await open();
      const tenant = newTenant('headless');
      await seed(store, tenant, 4, 1);
      await withTriggersOff(h, () => h.admin.query(`DELETE FROM audit.heads WHERE tenant = $1`, [tenant]));
      const report = await store.verify();
      expect(report.ok).toBe(false);
      expect(report.tenants.find((t) => t.tenant === tenant)?.problems).toContain(
        `${tenant} has 4 events but no chain head row: every append to it fails`,
      );
    });

    describe('the external directory is cross-checked both ways', () => {
      const seeded = async () => {
        const h = harness();
        const store = await open();
        const tenant = newTenant('external');
        await seed(store, tenant, 12, 3);
        const dir = path.join(h.checkpointDir, tenant);
        expect((await store.verify({ tenant })).ok).toBe(true);
        return { store, tenant, dir, files: (await readdir(dir)).sort() };
      };

      it('a deleted newest file', async () => {
        const { store, tenant, dir, files } = await seeded();
        await rm(path.join(dir, files[files.length - 1] as string));
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(report.tenants[0]?.problems).toContain(
          `checkpoint of ${tenant} at tree size 12 is in the database but missing from the external store: the external copy was deleted or rolled back`,
        );
      });

      it('an emptied directory, and a fresh signer refuses a first signature over it', async () => {
        const { store, tenant, dir } = await seeded();
        await rm(dir, { recursive: true });
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(
          report.tenants[0]?.problems.filter((p) => /missing from the external store/.test(p)),
        ).toHaveLength(3);
        const fresh = await open();
        await fresh.append([readInput(tenant, 12)]);
        await expect(fresh.checkpoint(tenant)).rejects.toMatchObject({ code: 'external-store-missing' });
        expect(fresh.health().ok).toBe(false);
        // The instance that wrote the directory does not fill it again as if nothing happened.
        await store.append([readInput(tenant, 13)]);
        const refused = await store.checkpoint(tenant).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(AuditIntegrityError);
        expect(refused).toMatchObject({ code: 'external-store-missing' });
        expect((refused as Error).message).toMatch(
          /no longer holds the checkpoint at tree size 12 .*it holds none/,
        );
        expect(store.health().ok).toBe(false);
      });

      it('a directory rolled back to an older copy', async () => {
        const { store, tenant, dir } = await seeded();
        const backup = tempDir('audit-cp-backup-');
        await cp(dir, backup, { recursive: true });
        await store.append(Array.from({ length: 3 }, (_, i) => readInput(tenant, 12 + i)));
        await store.checkpoint(tenant);
        await rm(dir, { recursive: true });
        await cp(backup, dir, { recursive: true });
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(report.tenants[0]?.problems.join('\n')).toMatch(/tree size 15 is in the database but missing/);
        await store.append([readInput(tenant, 15)]);
        await expect(store.checkpoint(tenant)).rejects.toMatchObject({ code: 'external-store-missing' });
        await rm(backup, { recursive: true, force: true });
      });

      it('a corrupted file is reported by its name', async () => {
        const { store, tenant, dir, files } = await seeded();
        const file = path.join(dir, files[0] as string);
        await rm(file);
        await writeFile(file, 'not a checkpoint\n');
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(report.tenants[0]?.problems).toContain(
          `external checkpoint file ${file}: corrupted, or not signed by a trusted key`,
        );
        expect(report.firstBad).toEqual({ tenant });
      });
    });

    describe('coverage is a health signal', () => {
      it('a checkpoint directory replaced by a file makes the store unavailable, and it recovers', async () => {
        const dir = tempDir('audit-cp-gone-');
        const store = await open({ checkpointDir: dir, coverageBoundMs: 400, checkpointDelayMs: 50 });
        const tenant = newTenant('coverage');
        await store.append([readInput(tenant, 0)]);
        await store.checkpoint(tenant);
        const backup = tempDir('audit-cp-kept-');
        await cp(dir, backup, { recursive: true });
        await rm(dir, { recursive: true });
        await writeFile(dir, 'not a directory');
        await store.append([readInput(tenant, 1)]);
        expect(store.health().ok).toBe(true);
        await expect.poll(() => store.health().ok, { timeout: 5000 }).toBe(false);
        expect(store.health().problems[0]).toMatchObject({ tenant, code: 'unsigned-tail' });
        await expect(store.append([readInput(tenant, 2)])).rejects.toThrow(AuditUnavailableError);
        expect(alerts.some((a) => (a as { causeCode?: string }).causeCode !== undefined)).toBe(true);
        // Verify reports the unsigned tail past the bound, and that the directory cannot be read.
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(false);
        expect(report.tenants[0]?.problems.join('\n')).toMatch(
          /events 1\.\.1 of .* are not covered by any signed checkpoint; .* past the 0\.4 s bound/,
        );
        expect(report.tenants[0]?.problems).toContain(
          `external checkpoints of ${tenant} cannot be read (ENOTDIR)`,
        );
        const all = await store.verify();
        expect(all.ok).toBe(false);
        expect(all.storeProblems[0]).toMatch(/the external checkpoint store cannot be listed \(ENOTDIR\)/);
        // Put the directory back as it was: the signer's retries catch up and the store is available again. (Put
        // back empty, it would stay stopped: the checkpoint it held is gone.)
        await rm(dir);
        await cp(backup, dir, { recursive: true });
        await expect.poll(() => store.health().ok, { timeout: 5000 }).toBe(true);
        await expect(store.append([readInput(tenant, 2)])).resolves.toHaveLength(1);

        // The outage is an alert (tenant, from, to, the signer's error) and a record in the tenant's log.
        const coverage = alerts.map(auditAlert).filter((a) => a.event === 'audit-coverage-alert');
        expect(coverage.map((a) => [a.code, a.tenant, a.error])).toEqual([
          ['coverage-lost', tenant, 'ENOTDIR'],
          ['coverage-restored', tenant, 'ENOTDIR'],
        ]);
        const [lost, restored] = coverage;
        expect(restored?.since).toBe(lost?.since);
        expect(Date.parse(String(restored?.until))).toBeGreaterThan(Date.parse(String(lost?.since)));
        const page = await store.query({ tenant, actions: ['audit-restored'] }, { limit: 10 });
        expect(page.items).toHaveLength(1);
        const entry = page.items[0]?.event;
        expect(entry?.type).toMatchObject({ code: '110113' });
        expect(entry?.subtype?.[0]).toMatchObject({ code: '110134', display: 'Audit Recording Started' });
        expect(entry?.entity?.find((e) => e.description)?.description).toBe(
          `unavailable from ${String(lost?.since)} to ${String(restored?.until)}: ` +
            'no signed checkpoint within 400 ms (signer error ENOTDIR)',
        );
        // It is signed like any other event.
        expect((await store.checkpoint(tenant))?.size).toBe((await store.treeHead(tenant)).size);
      });

      it('verify reports a young unsigned tail without failing', async () => {
        const store = await open({ checkpointDelayMs: 60_000 });
        const tenant = newTenant('young-tail');
        await store.append([readInput(tenant, 0), readInput(tenant, 1)]);
        const report = await store.verify({ tenant });
        expect(report.ok).toBe(true);
        expect(report.tenants[0]?.unsignedTail).toMatchObject({ from: 0, to: 2 });
      });
    });
  });
}
