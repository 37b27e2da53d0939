import type { Metadata } from 'next';
import Link from 'next/link';
import { EventsTable } from '@/components/console/events-table';
import { IntegrityAlert } from '@/components/console/integrity-alert';
import { OpeningsList } from '@/components/console/openings-list';
import { PeopleFound } from '@/components/console/people-found';
import { SearchForm } from '@/components/console/search-form';
import { getAuditLog } from '@/lib/audit';
import { CONSOLE_TENANT } from '@/lib/console/console-audit';
import { groupOpenings } from '@/lib/console/chart-openings';
import { eventRow, summarize } from '@/lib/console/event-fields';
import { readChecked } from '@/lib/console/integrity';
import { recordPageAction, recordPagePatientsFound } from '@/lib/console/page-context';
import { resolvePatients } from '@/lib/console/patient-find';
import { requireConsoleUser } from '@/lib/console/require-user';
import { hasRole } from '@/lib/console/roles';
import {
  describeSearch,
  parseSearch,
  patientReference,
  searchToParams,
  SEARCHABLE_ACTIONS,
  withDefaultRange,
} from '@/lib/console/search-params';
import { pageNames } from '@/lib/console/user-names';
import { registrations } from '@/lib/smart/registrations';
import { env } from '@/lib/env';
import { openSearchParams, sealPatient } from '@/lib/console/patient-handle';

export const metadata: Metadata = { title: 'Audit console' };

export const dynamic = 'force-dynamic';

interface Props {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const toParams = (sp: Record<string, string | string[] | undefined>) =>
  new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
const localValue = (d: Date | undefined) => d?.toISOString().slice(0, 16);

/** Audit search for auditors; viewers land on the open FHIR servers they may use. */
export default async function ConsoleHome({ searchParams }: Props) {
  const user = await requireConsoleUser('viewer');
  const regs = registrations();
  if (!hasRole(user.role, 'auditor')) {
    const open = regs.filter((r) => r.client.type === 'none');
    return (
      <section aria-labelledby="open-heading">
        <h1 id="open-heading" className="text-2xl font-semibold">
          Open FHIR servers
        </h1>
        <ul className="mt-4 grid gap-2 sm:grid-cols-2">
          {open.map((r) => (
            <li key={r.id}>
              <Link
                href={`/open/${r.id}`}
                className="block rounded-md border border-slate-300 bg-white px-4 py-3 hover:border-blue-600"
              >
                {r.label}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  const secret = env().secrets.sessionSecret;
  const opened = await openSearchParams(toParams(await searchParams), secret, user.id);
  const parsed = opened.ok ? parseSearch(opened.params) : { ok: false as const, errors: [opened.error] };
  const tenants = [...regs.map((r) => r.id), CONSOLE_TENANT, 'app'];
  if (!parsed.ok) {
    return (
      <>
        <h1 className="mb-4 text-2xl font-semibold">Audit events</h1>
        <SearchForm values={{}} actions={SEARCHABLE_ACTIONS} tenants={tenants} />
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-800">
          This search is not valid: {parsed.errors.join('; ')}
        </p>
      </>
    );
  }
  const sp = await searchParams;
  const perEvent = sp.view === 'events';
  const s = withDefaultRange(parsed.search, new Date());
  // The officers' own console activity is folded away unless asked for.
  const consoleAsked = s.tenant === CONSOLE_TENANT || (s.action?.startsWith('console-') ?? false);
  const showConsole = consoleAsked || sp.console === 'show';
  await recordPageAction({
    action: 'console-search',
    userId: user.id,
    detail: describeSearch(s),
    ...(patientReference(s) ? { patient: patientReference(s) } : {}),
  });
  const { store } = await getAuditLog();
  const read = await readChecked(async () => {
    const { filter, found } = await resolvePatients(store, s);
    const page = await store.query(filter, { limit: 50, ...(s.cursor ? { cursor: s.cursor } : {}) });
    return { found, page };
  });
  if ('failure' in read)
    return (
      <>
        <h1 className="mb-4 text-2xl font-semibold">Audit events</h1>
        <IntegrityAlert failure={read.failure} />
      </>
    );
  const { found, page } = read.value;
  await recordPagePatientsFound({ action: 'console-search', userId: user.id }, found);
  const shown = showConsole ? page.items : page.items.filter((e) => e.tenant !== CONSOLE_TENANT);
  const hidden = page.items.length - shown.length;
  const names = await pageNames(shown.map((e) => summarize(e.event).user));
  const ehrLabels = Object.fromEntries(regs.map((r) => [r.id, r.label]));
  // The patient in every link of the page sealed, as each patient found is in the links to their own search.
  const pt = s.patient === undefined ? undefined : await sealPatient(s.patient, secret, user.id);
  const sealedFound = new Map(
    await Promise.all(
      (found?.patients ?? []).map(
        async (p) => [p.reference, await sealPatient(p.reference, secret, user.id)] as const,
      ),
    ),
  );
  const base = searchToParams(s, pt);
  const viewParams = {
    ...(perEvent ? { view: 'events' } : {}),
    ...(showConsole && !consoleAsked ? { console: 'show' } : {}),
  };
  const link = (extra: Record<string, string>) => `/console?${searchToParams(s, pt, extra).toString()}`;
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Audit events</h1>
      <SearchForm
        values={{ ...s, from: localValue(s.from), to: localValue(s.to) }}
        actions={SEARCHABLE_ACTIONS}
        tenants={tenants}
      />
      {found && !s.cursor && (
        <PeopleFound
          found={found}
          ehrLabels={ehrLabels}
          searchHref={(reference) =>
            `/console?${searchToParams({ ...s, patient: reference }, sealedFound.get(reference), viewParams).toString()}`
          }
        />
      )}
      <div className="my-4 flex flex-wrap items-center gap-3 text-sm">
        <span>
          {page.items.length} events on this page, newest first
          {hidden > 0 && `, ${hidden} of them console activity (hidden)`}.
        </span>
        <Link
          href={link({ ...viewParams, ...(perEvent ? { view: 'openings' } : { view: 'events' }) })}
          className="text-blue-700 underline"
        >
          {perEvent ? 'One line per chart opening' : 'One line per event'}
        </Link>
        {!consoleAsked && (
          <Link
            href={link({
              ...(perEvent ? { view: 'events' } : {}),
              ...(showConsole ? {} : { console: 'show' }),
            })}
            className="text-blue-700 underline"
          >
            {showConsole ? 'Hide console activity' : 'Show console activity'}
          </Link>
        )}
        <a
          href={`/api/console/export?${searchToParams(s, pt, { format: 'ndjson' }).toString()}`}
          className="rounded-md border border-slate-400 bg-white px-3 py-1"
        >
          Export NDJSON
        </a>
        <a
          href={`/api/console/export?${searchToParams(s, pt, { format: 'csv' }).toString()}`}
          className="rounded-md border border-slate-400 bg-white px-3 py-1"
        >
          Export CSV
        </a>
      </div>
      {perEvent ? (
        <EventsTable rows={shown.map(eventRow)} names={names} />
      ) : (
        <OpeningsList openings={groupOpenings(shown)} names={names} ehrLabels={ehrLabels} />
      )}
      {page.nextCursor && (
        <p className="mt-4">
          <Link
            href={`/console?${new URLSearchParams([...base, ...Object.entries(viewParams), ['cursor', page.nextCursor]]).toString()}`}
            className="text-blue-700 underline"
          >
            Older events
          </Link>
        </p>
      )}
    </>
  );
}
