import type { Metadata } from 'next';
import { getAuditLog } from '@/lib/audit';
import { computeAlerts } from '@/lib/console/alerts';
import { IntegrityAlert } from '@/components/console/integrity-alert';
import { LocalTime } from '@/components/console/local-time';
import { familyNameAlert, FAMILY_NAME_CACHE_MINUTES } from '@/lib/console/family-name-cache';
import { readChecked } from '@/lib/console/integrity';
import { pageSourceIp, recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { env } from '@/lib/env';
import { backendAccessToken } from '@/lib/smart/backend-services';
import { oauthDepsFrom } from '@/lib/smart/oauth-client';
import { registrations } from '@/lib/smart/registrations';
import { TableHead } from '@/components/console/table-head';

export const metadata: Metadata = { title: 'Alerts – Audit console' };

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
  const from = new Date(to.getTime() - hours * 3_600_000);
  const log = await getAuditLog();
  const read = await readChecked(() => computeAlerts(log.store, { from, to, threshold }));
  if ('failure' in read)
    return (
      <section aria-labelledby="alerts-heading">
        <h1 id="alerts-heading" className="text-2xl font-semibold">
          Alerts
        </h1>
        <IntegrityAlert failure={read.failure} />
      </section>
    );
  const report = read.value;
  // Looked up at the EHRs at most every 10 minutes; every patient looked up is recorded first.
  const { value: family, computedAt } = await familyNameAlert(
    {
      source: log.store,
      audit: log,
      registrations: registrations(),
      consoleUserId: user.id,
      sourceIp: await pageSourceIp(),
      token: (reg) => backendAccessToken(reg, oauthDepsFrom(env())),
    },
    hours,
  );
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
            <TableHead columns={['EHR', 'Reason', 'Count', 'Latest']} />
            <tbody>
              {report.refusals.map((r) => (
                <tr key={`${r.tenant}${r.reason}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{r.tenant}</td>
                  <td className="px-3 py-2">{r.reason}</td>
                  <td className="px-3 py-2">{r.count}</td>
                  <td className="px-3 py-2">
                    <LocalTime iso={r.last} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="outage-heading">
        <h2 id="outage-heading" className="text-lg font-semibold">
          Audit log outages (no signed checkpoint in time: access was refused meanwhile)
        </h2>
        {report.outages.length === 0 ? (
          <p className="text-slate-700">None.</p>
        ) : (
          <table className="mt-2 min-w-full rounded-lg bg-white text-left text-sm">
            <TableHead columns={['EHR', 'Outage', 'Recorded']} />
            <tbody>
              {report.outages.map((o) => (
                <tr key={`${o.tenant}${o.recorded}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{o.tenant}</td>
                  <td className="px-3 py-2">{o.detail}</td>
                  <td className="px-3 py-2">
                    <LocalTime iso={o.recorded} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="family-heading" className="space-y-2">
        <h2 id="family-heading" className="text-lg font-semibold">
          Same family name (user and patient)
        </h2>
        <p className="text-sm text-slate-700">
          Users who opened a patient who shares a family name with them. Both people were looked up at the EHR
          at <LocalTime iso={new Date(computedAt).toISOString()} /> (again after {FAMILY_NAME_CACHE_MINUTES}{' '}
          minutes; names are compared on the server and neither shown nor stored). The {family.audited}{' '}
          patient look-ups are recorded in the audit log as security review (purpose HSYSADMIN), not as
          disclosures.
        </p>
        {family.cut && (
          <p role="status">
            Only the {family.maxPairs} most recent of {family.pairs} user–patient pairs were looked up; narrow
            the period to check the rest.
          </p>
        )}
        {family.timedOut && (
          <p role="status">The EHRs did not answer every lookup in time; some pairs were not checked.</p>
        )}
        {family.problems.length > 0 && (
          <div role="status">
            <p>These EHRs could not be asked, so their pairs were not (all) checked:</p>
            <ul className="list-disc pl-6">
              {family.problems.map((p) => (
                <li key={p.tenant}>
                  {p.label} ({p.tenant}): {p.problem}
                </li>
              ))}
            </ul>
          </div>
        )}
        {family.unsupported.length > 0 && (
          <p role="status">
            Not checked (no SMART Backend Services client registered for the EHR):{' '}
            {family.unsupported.join(', ')}.
          </p>
        )}
        {family.matches.length === 0 ? (
          <p className="text-slate-700">None among the {family.compared} pairs checked.</p>
        ) : (
          <table className="mt-2 min-w-full rounded-lg bg-white text-left text-sm">
            <TableHead columns={['EHR', 'User', 'Patient', 'Finding', 'Accesses', 'Latest']} />
            <tbody>
              {family.matches.map((m) => (
                <tr key={`${m.tenant}${m.user}${m.patient}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{m.tenant}</td>
                  <td className="px-3 py-2 break-all">{m.user}</td>
                  <td className="px-3 py-2 break-all">{m.patient}</td>
                  <td className="px-3 py-2">shares a family name</td>
                  <td className="px-3 py-2">{m.count}</td>
                  <td className="px-3 py-2">
                    <LocalTime iso={m.last} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
