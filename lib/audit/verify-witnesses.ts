import type { KeyObject } from 'node:crypto';
import { cosignaturesOf } from '@/lib/witness/cosignature';
import { openCheckpoint } from './checkpoint';
import type { FoundCheckpoint } from './verify-checkpoints';
import { latestCosigned, type WitnessPolicy } from './witnesses';

/**
 * What verify asks of the witnesses: the newest stored checkpoint carries a
 * quorum of valid cosignatures, and each witness's own latest cosigned
 * checkpoint of this log is added to the checkpoints verify matches against
 * the events, under the witness's name. A log cut short or rewritten after a
 * witness cosigned it then fails naming that witness.
 */
export async function witnessCheckpoints(
  policy: WitnessPolicy,
  publicKeys: readonly KeyObject[],
  tenant: string,
  bySize: Map<number, FoundCheckpoint[]>,
): Promise<{ found: FoundCheckpoint[]; problems: string[] }> {
  const trusted = policy.witnesses.map((w) => w.cosigner);
  const problems: string[] = [];
  for (const list of bySize.values())
    for (const { cp, place } of list)
      for (const name of cosignaturesOf(cp.note, trusted).bad)
        problems.push(`${place}: the cosignature of witness ${name} does not verify`);
  const newest = Math.max(0, ...bySize.keys());
  const stored = bySize.get(newest) ?? [];
  const best = Math.max(0, ...stored.map((c) => cosignaturesOf(c.cp.note, trusted).valid.size));
  if (stored.length > 0 && best < policy.quorum)
    problems.push(
      `the newest checkpoint of ${tenant} (tree size ${newest}) carries ${best} of the ${policy.quorum} witness cosignatures it needs`,
    );
  const found: FoundCheckpoint[] = [];
  await Promise.all(
    policy.witnesses.map(async (w) => {
      const place = `witness ${w.cosigner.name} (${w.url})`;
      let note: string | undefined;
      try {
        note = await latestCosigned(w, `smart-chart-audit/${tenant}`);
      } catch (e) {
        const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        problems.push(`${place} cannot be asked for its latest checkpoint of ${tenant} (${code})`);
        return;
      }
      if (note === undefined) {
        if (newest > 0) problems.push(`${place} has cosigned no checkpoint of ${tenant}`);
        return;
      }
      const cp = openCheckpoint(note, publicKeys);
      if (!cp || cp.tenant !== tenant || !cosignaturesOf(note, [w.cosigner]).valid.has(w.cosigner.name)) {
        problems.push(`${place}: its latest checkpoint of ${tenant} does not verify`);
        return;
      }
      const cosignedBefore = Math.max(
        0,
        ...[...bySize.values()]
          .flat()
          .filter((c) => cosignaturesOf(c.cp.note, [w.cosigner]).valid.has(w.cosigner.name))
          .map((c) => c.cp.size),
      );
      if (cosignedBefore > cp.size)
        problems.push(
          `${place} reports tree size ${cp.size} of ${tenant} but cosigned tree size ${cosignedBefore} before: its own store was rolled back`,
        );
      found.push({ cp, external: true, place });
    }),
  );
  return { found, problems };
}
