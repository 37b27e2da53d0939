/**
 * npm run audit:verify [-- --tenant <id>]
 *
 * Recomputes every leaf hash and tree root of the audit log, checks every
 * signed checkpoint (in the database and in the external checkpoint
 * directory) and prints the figures. Exits 1 naming the first bad sequence
 * number when anything does not match, 2 when the store cannot be opened.
 */
import { parseArgs } from 'node:util';
import { getAuditLog } from '@/lib/audit';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
  const { store } = await getAuditLog();
  try {
    const report = await store.verify(values.tenant !== undefined ? { tenant: values.tenant } : {});
    for (const t of report.tenants) {
      const status =
        t.problems.length === 0 ? 'ok' : `TAMPERED (first bad seq ${t.firstBadSeq ?? 'unknown'})`;
      console.log(
        `${t.tenant}: ${t.events} events, root ${t.root.slice(0, 16)}…, checkpoints db=${t.checkpointsInDb} external=${t.checkpointsExternal} matched=${t.checkpointsMatched}, consistency proofs=${t.consistencyProofsChecked}: ${status}`,
      );
      for (const p of t.problems) console.log(`  - ${p}`);
    }
    console.log(
      `${report.events} events in ${report.seconds.toFixed(2)} s (${report.eventsPerSecond} events/s), ${report.tenants.length} logs`,
    );
    if (!report.ok) {
      console.error(
        `Audit log verification FAILED: first bad sequence number ${report.firstBad?.seq ?? 'unknown'} in log "${report.firstBad?.tenant ?? '?'}"`,
      );
      return 1;
    }
    console.log('Audit log verified: intact.');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
    console.error(
      `Audit store could not be opened: ${e instanceof Error ? e.message : 'unknown error'}${cause}`,
    );
    process.exit(2);
  },
);
