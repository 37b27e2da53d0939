import Link from 'next/link';
import type { EventRow } from '@/lib/console/event-fields';
import { userLabel, type ConsoleNames } from '@/lib/console/user-label';
import { LocalTime } from './local-time';
import { ConsoleTable } from './table-head';

export const OUTCOME: Readonly<Record<string, string>> = {
  '0': 'Success',
  '4': 'Minor failure',
  '8': 'Serious failure',
  '12': 'Major failure',
};

export const eventHref = (r: Pick<EventRow, 'tenant' | 'seq' | 'recorded'>): string =>
  `/console/events/${encodeURIComponent(r.tenant)}/${r.seq}?at=${encodeURIComponent(r.recorded)}`;

/** Audit events; each links to its detail (plain summary, full AuditEvent and inclusion proof). */
export function EventsTable({
  rows,
  names,
  caption = 'Audit events, newest first',
}: {
  readonly rows: readonly EventRow[];
  readonly names: ConsoleNames;
  readonly caption?: string;
}) {
  if (rows.length === 0)
    return <p className="rounded-md bg-white p-4 text-slate-700">No audit events match this search.</p>;
  return (
    <ConsoleTable
      caption={caption}
      columns={['Time', 'Action', 'Outcome', 'User', 'Patient', 'EHR', 'Details']}
    >
      {rows.map((r) => (
        <tr key={`${r.tenant}/${r.seq}`} className="border-t border-slate-100 align-top">
          <td className="whitespace-nowrap px-3 py-2">
            <Link href={eventHref(r)} className="text-blue-700 underline">
              <LocalTime iso={r.recorded} />
            </Link>
          </td>
          <td className="px-3 py-2">{r.action}</td>
          <td className="px-3 py-2">
            {OUTCOME[r.outcome] ?? r.outcome}
            {r.outcomeDesc && <span className="block text-xs text-slate-600">{r.outcomeDesc}</span>}
          </td>
          <td className="break-all px-3 py-2">{userLabel(r.user, names, r.userName)}</td>
          <td className="break-all px-3 py-2">{r.patient}</td>
          <td className="px-3 py-2">{r.tenant}</td>
          <td className="px-3 py-2">{[r.resourceTypes.join(', '), r.detail].filter(Boolean).join(' · ')}</td>
        </tr>
      ))}
    </ConsoleTable>
  );
}
