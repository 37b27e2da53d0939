import type { ChartOpening } from '@/lib/console/chart-openings';
import { userLabel, type ConsoleNames } from '@/lib/console/user-label';
import { EventsTable } from './events-table';
import { LocalTime } from './local-time';
import { patientIdentityText } from '@/lib/console/patient-find';

const ENDED: Readonly<Record<ChartOpening['ended'], string>> = {
  logout: 'signed out',
  'session-timeout': 'timed out',
  displaced: 'closed for newer charts',
  '': 'last event',
};

/** One line per chart opening (or per event outside a launch), each expanding into its events. */
export function OpeningsList({
  openings,
  names,
  ehrLabels,
}: {
  readonly openings: readonly ChartOpening[];
  readonly names: ConsoleNames;
  readonly ehrLabels: Readonly<Record<string, string>>;
}) {
  if (openings.length === 0)
    return <p className="rounded-md bg-white p-4 text-slate-700">No audit events match this search.</p>;
  return (
    <ul aria-label="Chart openings, newest first" className="space-y-2">
      {openings.map((o) => {
        const who = userLabel(o.user, names, o.userName);
        const single = !o.launchId;
        return (
          <li key={o.key} className="rounded-lg border border-slate-200 bg-white">
            <details>
              <summary className="cursor-pointer px-4 py-3 text-sm">
                <span className="font-medium">{who}</span>
                {who !== o.user && o.user && <span className="ml-2 break-all text-slate-600">{o.user}</span>}
                <span className="block">
                  {single ? (
                    <>
                      {o.events[0]?.action} · <LocalTime iso={o.opened} />
                    </>
                  ) : (
                    <>
                      Chart opened <LocalTime iso={o.opened} />, {ENDED[o.ended]} <LocalTime iso={o.closed} />
                    </>
                  )}
                  {' · '}
                  {ehrLabels[o.tenant] ?? o.tenant}
                  {o.sourceIps.length > 0 && ` · from ${o.sourceIps.join(', ')}`}
                </span>
                {o.patientIdentity && (
                  <span className="block font-medium">Patient {patientIdentityText(o.patientIdentity)}</span>
                )}
                {o.patient && <span className="block break-all text-slate-700">Patient {o.patient}</span>}
                {o.categories.length > 0 && (
                  <span className="block">Disclosed: {o.categories.join(', ')}</span>
                )}
                <span className="block text-slate-600">
                  {o.events.length} {o.events.length === 1 ? 'event' : 'events'}
                </span>
              </summary>
              <div className="border-t border-slate-100 p-2">
                <EventsTable
                  rows={o.events}
                  names={names}
                  caption="Events of this chart opening, oldest first"
                />
              </div>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
