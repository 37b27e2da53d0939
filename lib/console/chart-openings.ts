import type { PatientIdentity } from '../audit/types';
import { eventRow, type EventRow } from './event-fields';

/**
 * One chart opening = the events of one launch: its sign-in, the panels and
 * queries that disclosed the patient's data, its sign-out or time-out. The
 * console shows an opening as one line (who, when it opened and closed, from
 * where, which data categories, through which EHR) that expands into its
 * events. Events without a launch (console actions, refusals before a
 * launch) each stay a line of their own.
 */

export const CATEGORIES = ['banner', 'vitals', 'labs', 'problems'] as const;
export type DataCategory = (typeof CATEGORIES)[number];

export interface ChartOpening {
  /** The launch id, or `<tenant>/<seq>` for an event outside any launch. */
  readonly key: string;
  readonly launchId: string;
  readonly tenant: string;
  readonly user: string;
  /** The user's name as the launch's events recorded it, else ''. */
  readonly userName: string;
  readonly patient: string;
  /** The patient's name, birth date and MRN as the opening's newest disclosure recorded them. */
  readonly patientIdentity?: PatientIdentity;
  /** First and last event (ISO 8601, UTC). */
  readonly opened: string;
  readonly closed: string;
  /**
   * How it ended, when the log holds its end: signed out, timed out, or closed by the app when the
   * browser opened more charts than it keeps (lib/smart/end-launch.ts).
   */
  readonly ended: '' | 'logout' | 'session-timeout' | 'displaced';
  readonly sourceIps: readonly string[];
  /** Data categories disclosed, in chart order. */
  readonly categories: readonly DataCategory[];
  /** Every event of the opening, oldest first. */
  readonly events: readonly EventRow[];
}

const CATEGORY_OF: Readonly<Record<string, DataCategory>> = {
  banner: 'banner',
  vitals: 'vitals',
  'vital-signs': 'vitals',
  labs: 'labs',
  laboratory: 'labs',
  problems: 'problems',
};

/** The data category an event disclosed, if it disclosed one. */
export function categoryOf(
  r: Pick<EventRow, 'action' | 'outcome' | 'detail' | 'resourceTypes'>,
): DataCategory | undefined {
  if (r.outcome !== '0') return undefined;
  if (r.action === 'view' || r.action === 'patient-query') return CATEGORY_OF[r.detail];
  // A panel's own reads (the Patient read beside the labs search) carry its detail; a bare Patient read is the banner.
  if (r.action === 'patient-read')
    return CATEGORY_OF[r.detail] ?? (r.resourceTypes.includes('Patient') ? 'banner' : undefined);
  return undefined;
}

type Stored = Parameters<typeof eventRow>[0];

/** Groups events (in any order) into chart openings, newest opening first. */
export function groupOpenings(items: readonly Stored[]): ChartOpening[] {
  const groups = new Map<string, EventRow[]>();
  for (const item of items) {
    const row = eventRow(item);
    const key = row.launchId || `${row.tenant}/${row.seq}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.entries()]
    .map(([key, rows]) => opening(key, rows))
    .sort((a, b) => b.opened.localeCompare(a.opened));
}

const firstOf = (rows: readonly EventRow[], pick: (r: EventRow) => string): string =>
  rows.map(pick).find((v) => v !== '') ?? '';

const isEnd = (r: EventRow): r is EventRow & { readonly action: 'logout' | 'session-timeout' } =>
  r.action === 'logout' || r.action === 'session-timeout';

function opening(key: string, unsorted: readonly EventRow[]): ChartOpening {
  const rows = [...unsorted].sort((a, b) => a.recorded.localeCompare(b.recorded) || a.seq - b.seq);
  // Its end, when the log holds one; requests refused after it (a tab that had not heard, a replayed cookie) stay
  // among its events but do not reopen it.
  const end = rows.findLast(isEnd);
  const last = end ?? rows[rows.length - 1];
  const found = new Set(rows.map(categoryOf));
  // The sign-in names the user first; later events fill in what it lacks.
  const login = rows.filter((r) => r.action === 'login');
  const byLogin = [...login, ...rows];
  const patientIdentity = rows.findLast((r) => r.patientIdentity)?.patientIdentity;
  return {
    key,
    launchId: firstOf(rows, (r) => r.launchId),
    tenant: firstOf(rows, (r) => r.tenant),
    user: firstOf(byLogin, (r) => r.user),
    userName: firstOf(byLogin, (r) => r.userName),
    patient: firstOf(rows, (r) => r.patient),
    ...(patientIdentity ? { patientIdentity } : {}),
    opened: rows[0]?.recorded ?? '',
    closed: last?.recorded ?? '',
    ended:
      end === undefined
        ? ''
        : end.action === 'session-timeout' && end.detail === 'displaced'
          ? 'displaced'
          : end.action,
    sourceIps: [...new Set(rows.map((r) => r.sourceIp).filter(Boolean))],
    categories: CATEGORIES.filter((c) => found.has(c)),
    events: rows,
  };
}
