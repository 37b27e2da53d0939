import type { Metadata } from 'next';
import { LocalTime } from '@/components/console/local-time';
import { VerifyButton } from '@/components/console/verify-button';
import { getAuditLog } from '@/lib/audit';
import { recordedDetail } from '@/lib/audit/audit-event';
import { CONSOLE_TENANT } from '@/lib/console/console-audit';
import { recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { parseVerifySummary } from '@/lib/console/verify-summary';
import { registrations } from '@/lib/smart/registrations';
import { ConsoleTable } from '@/components/console/table-head';

export const metadata: Metadata = { title: 'Integrity – Audit console' };

export const dynamic = 'force-dynamic';

/** Per chain: size, latest signed checkpoint, and the last recorded verification; and a button to verify now. */
export default async function IntegrityPage() {
  const user = await requireConsoleUser('auditor', '/console/integrity');
  await recordPageAction({ action: 'console-view', userId: user.id, detail: 'integrity' });
  const { store } = await getAuditLog();
  const tenants = [...new Set([...registrations().map((r) => r.id), CONSOLE_TENANT, 'app'])];
  const heads = (await Promise.all(tenants.map((t) => store.treeHead(t)))).filter((h) => h.size > 0);
  const last = (await store.query({ tenant: CONSOLE_TENANT, actions: ['console-verify'] }, { limit: 1 }))
    .items[0];
  const lastDetail = last ? recordedDetail(last.event) : '';
  const results = new Map(parseVerifySummary(lastDetail).map((r) => [r.tenant, r]));
  return (
    <section aria-labelledby="int-heading" className="space-y-4">
      <h1 id="int-heading" className="text-2xl font-semibold">
        Integrity
      </h1>
      <p className="text-slate-700">
        {last ? (
          <>
            Last verification: <LocalTime iso={last.recorded} />,{' '}
            {last.outcome === '0' ? 'all chains intact' : 'PROBLEMS FOUND'}.
          </>
        ) : (
          'No verification has been run from the console yet.'
        )}
      </p>
      <VerifyButton />
      <ConsoleTable
        caption="Audit chains"
        columns={['Chain', 'Events', 'Latest signed checkpoint', 'Last verification']}
      >
        {heads.map((h) => {
          const r = results.get(h.tenant);
          return (
            <tr key={h.tenant} className="border-t border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 font-medium">
                {h.tenant}
              </th>
              <td className="px-3 py-2">{h.size}</td>
              <td className="px-3 py-2">
                {h.checkpoint ? (
                  <>
                    {h.checkpoint.size} events at {h.checkpoint.time}
                    <span className="block break-all font-mono text-xs text-slate-600">
                      {h.checkpoint.root.toString('hex')}
                    </span>
                  </>
                ) : (
                  'none yet'
                )}
              </td>
              <td className="px-3 py-2">
                {r
                  ? r.ok
                    ? `Intact (${r.events} events)`
                    : `FAILED from #${r.firstBadSeq ?? '?'}`
                  : 'not verified yet'}
              </td>
            </tr>
          );
        })}
      </ConsoleTable>
    </section>
  );
}
