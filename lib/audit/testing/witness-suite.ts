import { cp, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cosignaturesOf } from '@/lib/witness/cosignature';
import { startWitness, type RunningWitness } from '@/lib/witness/testing';
import { createPrivateKey } from 'node:crypto';
import { publicKeyOf, signCheckpoint, type SignedCheckpoint } from '../checkpoint';
import { AuditUnavailableError } from '../errors';
import type { AuditStore } from '../store';
import { collectCosignatures, type WitnessPolicy } from '../witnesses';
import { disableTriggers, truncateTail } from './attacker';
import { tempDir, type Harness, type IsolatedStoreOptions } from './harness';
import { newTenant, seed } from './seed';
import { readInput } from './store-suite-input';

/**
 * Witnesses against a superuser who rewrites the database and everything the
 * app keeps (its checkpoints, its checkpoint directory), and against a
 * witness whose own store was rolled back.
 */
export function witnessSuite(name: string, make: () => Promise<Harness>): void {
  describe(name, () => {
    let h: Harness;
    const running: RunningWitness[] = [];
    const opened: AuditStore[] = [];
    const dirs: string[] = [];
    const alerts: unknown[] = [];
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h.dispose();
    });
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((s) => s.close()));
      await Promise.allSettled(running.splice(0).map((w) => w.close()));
      await Promise.allSettled(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
      alerts.length = 0;
    });

    const witness = async (wname: string): Promise<RunningWitness> => {
      const dataDir = tempDir('witness-');
      dirs.push(dataDir);
      const w = await startWitness({ dataDir, logKeys: [publicKeyOf(h.keys.signingKey)], name: wname });
      running.push(w);
      return w;
    };
    const policy = (ws: readonly RunningWitness[], quorum: number): WitnessPolicy => ({
      witnesses: ws.map((w) => ({ url: w.url, cosigner: w.cosigner })),
      quorum,
    });
    const open = async (o: IsolatedStoreOptions): Promise<AuditStore> => {
      const s = await h.openStore({
        checkpointDelayMs: 60_000,
        onBackgroundError: (e) => alerts.push(e),
        ...o,
      });
      opened.push(s);
      return s;
    };
    const problems = async (s: AuditStore, tenant: string): Promise<string> => {
      const report = await s.verify({ tenant });
      expect(report.ok).toBe(false);
      return report.tenants[0]?.problems.join('\n') ?? '';
    };

    it("takes another instance's checkpoint as coverage only once the witness quorum cosigned it", async () => {
      if (h.kind !== 'postgres') return; // One process: no other instance.
      const tenant = newTenant('cosigned-elsewhere');
      const w = await witness('witness.test/elsewhere');
      const bound = 1000;
      const store = await open({ witnesses: policy([w], 1), coverageBoundMs: bound, checkpointDelayMs: 50 });
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const signHead = async () => {
        const head = await store.treeHead(tenant);
        return signCheckpoint(
          { tenant, size: head.size, root: Buffer.from(head.root, 'hex'), time: new Date().toISOString() },
          createPrivateKey(h.keys.signingKey),
        );
      };
      const put = (cp: SignedCheckpoint, note: string) =>
        h.app.query(`SELECT audit.add_checkpoint($1, $2, $3, $4, $5)`, [
          tenant,
          cp.size,
          cp.root,
          cp.time,
          note,
        ]);
      // Another instance signing this tenant holds its signer lock throughout.
      await h.admin.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(727170002, hashtext($1))`, [tenant]);
        await store.append([readInput(tenant, 0)]);
        // Signed by the log's key but not cosigned: not final, so not coverage.
        const bare = await signHead();
        await put(bare, bare.note);
        await sleep(bound + 300);
        expect(store.health()).toMatchObject({ ok: false, problems: [{ tenant, code: 'unsigned-tail' }] });
        // The other instance appends too, and stores its next checkpoint with the witness's cosignature.
        const other = await open({ witnesses: policy([w], 1), checkpointDelayMs: 50 });
        await other.append([readInput(tenant, 1)]);
        const signed = await signHead();
        const { note } = await collectCosignatures(policy([w], 1), signed, new Map(), async () => []);
        await put(signed, note);
        for (let i = 0; i < 40 && !store.health().ok; i++) await sleep(50);
        expect(store.health()).toEqual({ ok: true, problems: [] });
      });
    });

    it('stores the quorum of cosignatures with each checkpoint, in the database and outside, and verify checks them', async () => {
      const ws = [await witness('witness.test/a'), await witness('witness.test/b')];
      const store = await open({ witnesses: policy(ws, 2) });
      const tenant = newTenant('cosigned');
      await seed(store, tenant, 12, 3);
      const trusted = ws.map((w) => w.cosigner);
      const rows = await h.admin.query(`SELECT note FROM audit.checkpoints WHERE tenant = $1`, [tenant]);
      expect(rows.length).toBe(3);
      for (const r of rows) expect(cosignaturesOf(String(r.note), trusted).valid.size).toBe(2);
      const files = await readdir(path.join(h.checkpointDir, tenant));
      const newest = await readFile(
        path.join(h.checkpointDir, tenant, files.sort().at(-1) as string),
        'utf8',
      );
      expect(cosignaturesOf(newest, trusted).valid.size).toBe(2);
      const report = await store.verify({ tenant });
      expect(report.tenants[0]?.problems).toEqual([]);
      expect(report.ok).toBe(true);
      // Each witness's latest checkpoint matched the events too (3 in the database, 3 outside, 2 witnesses).
      expect(report.tenants[0]?.checkpointsMatched).toBe(8);

      // A store that asks for a witness it does not have: checkpoints without them fail verify.
      const stricter = await open({ witnesses: policy([...ws, await witness('witness.test/c')], 3) });
      expect(await problems(stricter, tenant)).toMatch(
        /newest checkpoint of .* \(tree size 12\) carries 2 of the 3 witness cosignatures[\s\S]*witness witness\.test\/c .* has cosigned no checkpoint/,
      );
    });

    it.each([
      ['cut short', 0, /has cosigned tree size 20, but the log holds 12 events/],
      ['cut short and grown past the witness', 10, /refused the consistency proof/],
    ] as const)(
      'a log %s, with its checkpoints deleted and a new instance on an empty directory, is refused by the witness',
      async (_l, regrow, refusal) => {
        const w = await witness('witness.test/w1');
        const tenant = newTenant('cut');
        const first = await open({ witnesses: policy([w], 1) });
        await seed(first, tenant, 20, 2);
        await disableTriggers(h.admin);
        try {
          await truncateTail(h.admin, tenant, 12);
          await h.admin.query(`DELETE FROM audit.checkpoints WHERE tenant = $1`, [tenant]);
        } finally {
          await h.restoreTriggers();
        }
        const emptyDir = tempDir('audit-cp-empty-');
        dirs.push(emptyDir);
        const fresh = await open({ witnesses: policy([w], 1), checkpointDir: emptyDir });
        if (regrow > 0)
          await fresh.append(Array.from({ length: regrow }, (_, i) => readInput(tenant, 100 + i)));
        const refused: unknown = await fresh.checkpoint(tenant).catch((e: unknown) => e);
        expect(refused).toMatchObject({ code: 'witness-refused', tenant });
        expect((refused as Error).message).toMatch(refusal);
        expect(fresh.health()).toMatchObject({ ok: false, problems: [{ tenant, code: 'witness-refused' }] });
        await expect(fresh.append([readInput(tenant, 200)])).rejects.toThrow(AuditUnavailableError);
        expect(await h.admin.query(`SELECT 1 FROM audit.checkpoints WHERE tenant = $1`, [tenant])).toEqual(
          [],
        );
        const found = await problems(fresh, tenant);
        expect(found).toMatch(
          regrow === 0
            ? /witness witness\.test\/w1 \(http:[^)]+\) covers 20 events but the log holds 12/
            : /witness witness\.test\/w1 \(http:[^)]+\) does not match the root recomputed/,
        );
      },
    );

    it("a witness whose own store was rolled back is caught by the app, by verify and by the other witness's quorum", async () => {
      const [a, b] = [await witness('witness.test/a'), await witness('witness.test/b')];
      const tenant = newTenant('rollback');
      const first = await open({ witnesses: policy([a, b], 1) });
      await seed(first, tenant, 8, 1);
      const backup = tempDir('witness-backup-');
      dirs.push(backup);
      await cp(a.dataDir, backup, { recursive: true });
      await seed(first, tenant, 8, 1);
      await first.close();
      // Witness a's operator restores an old copy of its data directory.
      await rm(path.join(a.dataDir, 'logs'), { recursive: true });
      await cp(path.join(backup, 'logs'), path.join(a.dataDir, 'logs'), { recursive: true });

      // A fresh instance remembers (from the stored notes) that a cosigned 16, and does not count it.
      const second = await open({ witnesses: policy([a, b], 1) });
      await second.append(Array.from({ length: 4 }, (_, i) => readInput(tenant, 16 + i)));
      const cp20 = await second.checkpoint(tenant);
      expect(cp20?.size).toBe(20);
      expect([...cosignaturesOf(cp20?.note ?? '', [a.cosigner, b.cosigner]).valid.keys()]).toEqual([
        'witness.test/b',
      ]);
      const degraded = alerts.map((e) =>
        String((e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : ''),
      );
      expect(degraded.join('\n')).toMatch(
        /witness\.test\/a: the witness reports tree size 8 but cosigned 16 before/,
      );
      expect(await problems(second, tenant)).toMatch(
        /witness witness\.test\/a .* reports tree size 8 of .* but cosigned tree size 16 before: its own store was rolled back/,
      );

      // With both required, no checkpoint is final: the store turns unavailable at the bound.
      const strict = await open({ witnesses: policy([a, b], 2), coverageBoundMs: 500 });
      await strict.append([readInput(tenant, 20)]);
      await expect(strict.checkpoint(tenant)).rejects.toMatchObject({
        name: 'AuditSignerError',
        cause: { code: 'witness-quorum' },
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(strict.health()).toMatchObject({ ok: false, problems: [{ tenant, code: 'unsigned-tail' }] });
    });
  });
}
