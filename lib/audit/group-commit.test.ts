import { describe, expect, it } from 'vitest';
import { AuditUnavailableError } from './errors';
import { GroupCommitter } from './group-commit';
import type { AuditInput, AuditReceipt } from './types';

const input = (tenant: string): AuditInput => ({ action: 'login', outcome: '0', tenant });

/** A commit function the test releases by hand, recording each batch. */
function gatedCommit() {
  const batches: number[] = [];
  const gates: { open: () => void; fail: (e: Error) => void }[] = [];
  let next = 0;
  const commit = (tenant: string, inputs: readonly AuditInput[]) =>
    new Promise<AuditReceipt[]>((resolve, reject) => {
      batches.push(inputs.length);
      gates.push({
        open: () => resolve(inputs.map(() => ({ tenant, seq: next++, leafHash: '' }))),
        fail: reject,
      });
    });
  return { commit, batches, gates };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('group commit', () => {
  it('coalesces waiting appends into one batch and resolves nobody before the commit', async () => {
    const g = gatedCommit();
    const committed: string[] = [];
    const gc = new GroupCommitter(g.commit, (t) => committed.push(t));
    let settled = 0;
    const all = Array.from({ length: 10 }, () => gc.submit('a', [input('a')]).then((r) => (settled++, r)));
    await flush();
    expect(g.batches).toEqual([1]); // the first append started a commit; nine wait behind it
    expect(settled).toBe(0);
    g.gates[0]!.open();
    await flush();
    expect(settled).toBe(1);
    expect(g.batches).toEqual([1, 9]);
    g.gates[1]!.open();
    const receipts = await Promise.all(all);
    expect(receipts.map((r) => r[0]!.seq)).toEqual([...Array(10).keys()]);
    expect(committed).toEqual(['a', 'a']);
  });

  it('rejects every waiter of a failed batch with AuditUnavailableError and carries on', async () => {
    const g = gatedCommit();
    const gc = new GroupCommitter(g.commit, () => undefined);
    const first = gc.submit('a', [input('a')]);
    const waiting = [gc.submit('a', [input('a')]), gc.submit('a', [input('a'), input('a')])];
    await flush();
    g.gates[0]!.open();
    await first;
    await flush();
    g.gates[1]!.fail(new Error('connection reset'));
    for (const w of waiting) await expect(w).rejects.toBeInstanceOf(AuditUnavailableError);
    const later = gc.submit('a', [input('a')]);
    await flush();
    g.gates[2]!.open();
    expect((await later)[0]?.seq).toBe(1);
    await gc.close();
    await expect(gc.submit('a', [input('a')])).rejects.toBeInstanceOf(AuditUnavailableError);
  });

  it('names a tenant whose batch has waited for the database past a bound, until it settles', async () => {
    const g = gatedCommit();
    let now = 1_000;
    const gc = new GroupCommitter(
      g.commit,
      () => undefined,
      1000,
      () => now,
    );
    const pending = [gc.submit('a', [input('a')]), gc.submit('b', [input('b')])];
    await flush();
    now += 5_000;
    expect(gc.stalled(5_000)).toEqual([]);
    now += 1;
    expect(gc.stalled(5_000)).toEqual([
      { tenant: 'a', ageMs: 5_001 },
      { tenant: 'b', ageMs: 5_001 },
    ]);
    g.gates[0]!.open();
    await pending[0];
    expect(gc.stalled(5_000).map((s) => s.tenant)).toEqual(['b']);
    g.gates[1]!.fail(new Error('lock timeout'));
    await expect(pending[1]).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(gc.stalled(5_000)).toEqual([]);
  });
});
