/**
 * npm run audit:verify [-- --tenant <id>] [-- --deep]
 *
 * Opens every event (its sealed AuditEvent opens only with the record it was
 * sealed with; events stored before record format 3 are compared with their
 * record field by field, and with --deep every event is), recomputes every
 * leaf hash and tree root, checks every signed
 * checkpoint in the database and in the external checkpoint directory
 * against each other, and reports events not yet covered by a signature.
 * Exits 1 naming the first bad place (tenant, sequence number, file) when
 * anything does not match, 2 when the store cannot be opened.
 */
import { parseArgs } from 'node:util';
import { getAuditLog, type TenantVerifyReport } from '@/lib/audit';

function status(t: TenantVerifyReport): string {
  if (t.problems.length === 0) return 'ok';
  if (t.firstBadSeq === undefined) return 'FAILED (see below)';
  return t.firstBadIsBound
    ? `FAILED (history changed at or after seq ${t.firstBadSeq}: a bound, not the exact event)`
    : `FAILED (first bad seq ${t.firstBadSeq})`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, deep: { type: 'boolean' } } });
  const { store } = await getAuditLog();
  try {
    const report = await store.verify({
      ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
      ...(values.deep ? { deep: true } : {}),
    });
    for (const p of report.storeProblems) console.log(`external store: ${p}`);
    for (const t of report.tenants) {
      console.log(
        `${t.tenant}: ${t.events} events, root ${t.root.slice(0, 16)}…, checkpoints db=${t.checkpointsInDb} external=${t.checkpointsExternal} matched=${t.checkpointsMatched}, consistency proofs=${t.consistencyProofsChecked}: ${status(t)}`,
      );
      if (t.unsignedTail)
        console.log(
          `  unsigned tail: events ${t.unsignedTail.from}..${t.unsignedTail.to - 1}, waiting ${(t.unsignedTail.ageMs / 1000).toFixed(1)} s (within the bound)`,
        );
      if (t.checkpointsOnlyExternal > 0)
        console.log(
          `  ${t.checkpointsOnlyExternal} checkpoint(s) only in the external store (an interrupted write)`,
        );
      for (const p of t.problems) console.log(`  - ${p}`);
    }
    console.log(
      `${report.events} events in ${report.seconds.toFixed(2)} s (${report.eventsPerSecond} events/s), ${report.tenants.length} logs`,
    );
    if (!report.ok) {
      const where = report.firstBad
        ? `log "${report.firstBad.tenant}"${report.firstBad.seq !== undefined ? `, ${report.firstBadIsBound ? 'at or after ' : ''}sequence number ${report.firstBad.seq}` : ''}`
        : 'the external checkpoint store';
      console.error(`Audit log verification FAILED: ${where}`);
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
