import { getAuditLog } from '@/lib/audit';
import { computeAlerts } from '@/lib/console/alerts';
import { recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

interface Props {
  readonly searchParams: Promise<{ hours?: string }>;
}

/** Alerts computed from the audit log over the last hours. */
export default async function AlertsPage({ searchParams }: Props) {
  const user = await requireConsoleUser('auditor', '/console/alerts');
  const hours = Math.min(Math.max(Number((await searchParams).hours ?? 24) || 24, 1), 24 * 31);
  await recordPageAction({ action: 'console-view', userId: user.id, detail: `alerts:${hours}h` });
  const to = new Date();
  const threshold = env().CONSOLE_ALERT_PATIENTS_PER_HOUR;
  const report = await computeAlerts((await getAuditLog()).store, {
    from: new Date(to.getTime() - hours * 3_600_000),
    to,
    threshold,
  });
  return (
    <section aria-labelledby="alerts-heading" className="space-y-6">
      <h1 id="alerts-heading" className="text-2xl font-semibold">
        Alerts
      </h1>
      <form method="get" className="flex items-end gap-3">
        <div>
          <label htmlFor="hours" className="block text-sm font-medium">
            Period (hours)
          </label>
          <input
            id="hours"
            name="hours"
            type="number"
            min={1}
            max={744}
            defaultValue={hours}
            className="mt-1 w-28 rounded-md border border-slate-400 px-3 py-2"
          />
        </div>
        <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white">
          Update
        </button>
      </form>
      {report.truncated && <p role="status">Only the newest {report.scanned} events were analysed.</p>}

      <section aria-labelledby="volume-heading">
        <h2 id="volume-heading" className="text-lg font-semibold">
          Unusual volume (more than {threshold} distinct patients in one hour)
        </h2>
        {report.volume.length === 0 ? (
          <p className="text-slate-700">None.</p>
        ) : (
          <ul className="mt-2 list-disc pl-6">
            {report.volume.map((v) => (
              <li key={`${v.user}${v.hour}`}>
                <span className="break-all">{v.user}</span>: {v.distinctPatients} patients in the hour from{' '}
                {v.hour.slice(0, 16).replace('T', ' ')} UTC
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="refusal-heading">
        <h2 id="refusal-heading" className="text-lg font-semibold">
          Refused access (unknown issuers, forged or replayed states, wrong patient, rate limits)
        </h2>
        {report.refusals.length === 0 ? (
          <p className="text-slate-700">None.</p>
        ) : (
          <table className="mt-2 min-w-full rounded-lg bg-white text-left text-sm">
            <thead className="bg-slate-100">
              <tr>
                {['EHR', 'Reason', 'Count', 'Latest (UTC)'].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.refusals.map((r) => (
                <tr key={`${r.tenant}${r.reason}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{r.tenant}</td>
                  <td className="px-3 py-2">{r.reason}</td>
                  <td className="px-3 py-2">{r.count}</td>
                  <td className="px-3 py-2">{r.last.replace('T', ' ').replace('Z', '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="family-heading">
        <h2 id="family-heading" className="text-lg font-semibold">
          Same family name (user and patient)
        </h2>
        <p className="text-slate-700">
          Not implemented. The audit log holds references only, never names; comparing a user&apos;s and a
          patient&apos;s family names needs both looked up at the EHR, which requires an EHR access token at
          alert time that the console does not have.
        </p>
      </section>
    </section>
  );
}
