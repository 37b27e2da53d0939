import type { Metadata } from 'next';
import { IntegrityAlert } from '@/components/console/integrity-alert';
import { LocalTime } from '@/components/console/local-time';
import { PrintButton } from '@/components/console/session-controls';
import { getAuditLog } from '@/lib/audit';
import { accountDisclosures } from '@/lib/console/disclosures';
import { readChecked } from '@/lib/console/integrity';
import { recordPageAction } from '@/lib/console/page-context';
import { requireConsoleUser } from '@/lib/console/require-user';
import { DEFAULT_RANGE_DAYS, isPatientReference, parseSearch } from '@/lib/console/search-params';
import { userLabel } from '@/lib/console/user-label';
import { pageNames } from '@/lib/console/user-names';
import { registrations } from '@/lib/smart/registrations';
import { env } from '@/lib/env';
import { openSearchParams, SEALED_PATIENT, sealPatient } from '@/lib/console/patient-handle';
import { ConsoleTable } from '@/components/console/table-head';

export const metadata: Metadata = { title: 'Accounting of disclosures – Audit console' };

export const dynamic = 'force-dynamic';

interface Props {
  readonly searchParams: Promise<{ patient?: string; pt?: string; from?: string; to?: string }>;
}

const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2';

const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Accounting of disclosures for one patient over a period (45 CFR 164.528: date, recipient,
 * what, purpose), one row per chart opening; printable (one page per patient) and as CSV.
 */
export default async function DisclosuresPage({ searchParams }: Props) {
  const user = await requireConsoleUser('auditor', '/console/disclosures');
  const sp = await searchParams;
  const today = new Date();
  const defaultFrom = day(new Date(today.getTime() - DEFAULT_RANGE_DAYS * 86_400_000));
  // "To" is exclusive: tomorrow, so that today is covered.
  const defaultTo = day(new Date(today.getTime() + 86_400_000));
  const secret = env().secrets.sessionSecret;
  const opened = await openSearchParams(
    new URLSearchParams(Object.entries(sp).filter((e): e is [string, string] => typeof e[1] === 'string')),
    secret,
    user.id,
  );
  const parsed = opened.ok ? parseSearch(opened.params) : { ok: false as const, errors: [opened.error] };
  const ready =
    parsed.ok &&
    parsed.search.patient &&
    isPatientReference(parsed.search.patient) &&
    parsed.search.from &&
    parsed.search.to
      ? parsed.search
      : undefined;
  let result: Awaited<ReturnType<typeof accountDisclosures>> | undefined;
  if (ready?.patient && ready.from && ready.to) {
    await recordPageAction({
      action: 'console-search',
      userId: user.id,
      detail: 'accounting-of-disclosures',
      patient: ready.patient,
    });
    const { store } = await getAuditLog();
    const period = { patient: ready.patient, from: ready.from, to: ready.to };
    const read = await readChecked(() =>
      accountDisclosures(store, {
        ...period,
        ehrLabels: new Map(registrations().map((r) => [r.id, r.label])),
      }),
    );
    if ('failure' in read)
      return (
        <section aria-labelledby="disc-heading">
          <h1 id="disc-heading" className="text-2xl font-semibold">
            Accounting of disclosures
          </h1>
          <IntegrityAlert failure={read.failure} />
        </section>
      );
    result = read.value;
  }
  const names = result ? await pageNames(result.rows.map((r) => r.recipientRef)) : {};
  const csvHref = ready
    ? `/api/console/disclosures?${new URLSearchParams({ [SEALED_PATIENT]: await sealPatient(ready.patient!, secret, user.id), from: ready.from!.toISOString(), to: ready.to!.toISOString() }).toString()}`
    : undefined;
  return (
    <section aria-labelledby="disc-heading" className="space-y-4">
      <h1 id="disc-heading" className="text-2xl font-semibold">
        Accounting of disclosures
      </h1>
      <form
        method="post"
        action="/api/console/search"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 print:hidden"
      >
        <input type="hidden" name="page" value="disclosures" />
        <div className="sm:col-span-2">
          <label htmlFor="d-patient" className="block text-sm font-medium">
            Patient (absolute FHIR reference)
          </label>
          <input
            id="d-patient"
            name="patient"
            type="url"
            required
            defaultValue={opened.ok ? (opened.params.get('patient') ?? undefined) : undefined}
            className={input}
          />
        </div>
        <div>
          <label htmlFor="d-from" className="block text-sm font-medium">
            From
          </label>
          <input
            id="d-from"
            name="from"
            type="date"
            required
            defaultValue={sp.from?.slice(0, 10) ?? defaultFrom}
            className={input}
          />
        </div>
        <div>
          <label htmlFor="d-to" className="block text-sm font-medium">
            To (exclusive)
          </label>
          <input
            id="d-to"
            name="to"
            type="date"
            required
            defaultValue={sp.to?.slice(0, 10) ?? defaultTo}
            className={input}
          />
        </div>
        <button
          type="submit"
          className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white sm:col-start-4"
        >
          Show accounting
        </button>
      </form>
      {!parsed.ok && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {parsed.errors.join('; ')}
        </p>
      )}
      {ready && result && (
        <section aria-label="Accounting" className="space-y-4 break-after-page">
          <p>
            Patient <span className="break-all font-mono">{ready.patient}</span>, {day(ready.from!)} to{' '}
            {day(ready.to!)} (exclusive): {result.rows.length}{' '}
            {result.rows.length === 1 ? 'chart opening' : 'chart openings'} with disclosures
            {result.truncated ? ' (the period has more events than one page can read; narrow it)' : ''}.
          </p>
          <div className="flex gap-3 print:hidden">
            <PrintButton />
            <a href={csvHref} className="rounded-md border border-slate-400 px-3 py-1 text-sm">
              Download CSV
            </a>
          </div>
          <ConsoleTable
            caption="Disclosures of this patient's information"
            columns={['Date', 'Recipient', 'EHR', 'What was disclosed', 'Purpose']}
          >
            {result.rows.map((r, i) => (
              <tr key={`${i}-${r.date}`} className="border-t border-slate-100 align-top">
                <td className="whitespace-nowrap px-3 py-2">
                  <LocalTime iso={r.date} />
                  <span className="block text-xs text-slate-600">
                    until <LocalTime iso={r.until} />
                  </span>
                </td>
                <td className="px-3 py-2">
                  {userLabel(r.recipientRef, names, r.recipient === r.recipientRef ? '' : r.recipient)}
                  <span className="block break-all text-xs text-slate-600">{r.recipientRef}</span>
                </td>
                <td className="px-3 py-2">{r.ehr}</td>
                <td className="px-3 py-2">{r.what}</td>
                <td className="px-3 py-2">{r.purpose}</td>
              </tr>
            ))}
          </ConsoleTable>
        </section>
      )}
    </section>
  );
}
