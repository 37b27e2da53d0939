import type { AuditQueryFilter } from '../audit/query';

import type { ExportSource } from './export-stream';
import { DISCLOSURE_ACTIONS, isDisclosure, summarize } from './event-fields';

export interface VolumeAlert {
  readonly user: string;
  /** Start of the UTC hour. */
  readonly hour: string;
  readonly distinctPatients: number;
}

export interface RefusalAlert {
  readonly tenant: string;
  readonly reason: string;
  readonly count: number;
  readonly last: string;
}

/** The audit log of one EHR was unavailable (no signed checkpoint within the bound); recorded when it came back. */
export interface OutageAlert {
  readonly tenant: string;
  /** When it came back (the record's time). */
  readonly recorded: string;
  /** From when to when, and the signer's error if any, as recorded. */
  readonly detail: string;
}

export interface AlertReport {
  readonly from: string;
  readonly to: string;
  readonly threshold: number;
  readonly volume: readonly VolumeAlert[];
  readonly refusals: readonly RefusalAlert[];
  /** Audit log outages that ended in the period, newest first. */
  readonly outages: readonly OutageAlert[];
  /** Events read; when the cap is reached the report covers only the newest ones. */
  readonly scanned: number;
  readonly truncated: boolean;
}

async function* scan(
  source: ExportSource,
  filter: AuditQueryFilter,
  cap: number,
): AsyncGenerator<ReturnType<typeof summarize>> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await source.query(filter, { limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
    for (const e of page.items) {
      if (seen++ >= cap) return;
      yield summarize(e.event);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/**
 * Alerts computed from the audit store over a period:
 * - volume: one user opening more than `threshold` distinct patients within one UTC hour;
 * - refusals: refused launches, forged or replayed states and other denials, by EHR and reason;
 * - outages: times an EHR's audit log was unavailable for lack of a signed checkpoint.
 */
export async function computeAlerts(
  source: ExportSource,
  opts: { readonly from: Date; readonly to: Date; readonly threshold: number; readonly cap?: number },
): Promise<AlertReport> {
  const cap = opts.cap ?? 200_000;
  const range = { from: opts.from, to: opts.to };
  const perUserHour = new Map<string, Set<string>>();
  let scanned = 0;
  let truncated = false;
  for await (const s of scan(source, { ...range, actions: DISCLOSURE_ACTIONS, outcome: '0' }, cap)) {
    scanned++;
    if (!s.user || !s.patient || !isDisclosure(s)) continue;
    const key = `${s.user}\u0000${s.recorded.slice(0, 13)}:00:00.000Z`;
    const set = perUserHour.get(key) ?? new Set<string>();
    set.add(s.patient);
    perUserHour.set(key, set);
  }
  if (scanned >= cap) truncated = true;
  const volume: VolumeAlert[] = [];
  for (const [key, patients] of perUserHour) {
    if (patients.size <= opts.threshold) continue;
    const [user = '', hour = ''] = key.split('\u0000');
    volume.push({ user, hour, distinctPatients: patients.size });
  }
  volume.sort((a, b) => b.distinctPatients - a.distinctPatients || b.hour.localeCompare(a.hour));

  const refusals = new Map<string, { tenant: string; reason: string; count: number; last: string }>();
  let refusalScanned = 0;
  for await (const s of scan(source, { ...range, actions: ['access-denied', 'rate-limited'] }, cap)) {
    refusalScanned++;
    const reason = s.outcomeDesc || s.action;
    const key = `${s.tenant}\u0000${reason}`;
    const entry = refusals.get(key);
    // Newest first: the first one seen is the latest.
    if (entry) entry.count++;
    else refusals.set(key, { tenant: s.tenant, reason, count: 1, last: s.recorded });
  }
  if (refusalScanned >= cap) truncated = true;
  const outages: OutageAlert[] = [];
  for await (const s of scan(source, { ...range, actions: ['audit-restored'] }, cap))
    outages.push({ tenant: s.tenant, recorded: s.recorded, detail: s.detail });
  return {
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    threshold: opts.threshold,
    volume,
    refusals: [...refusals.values()].sort((a, b) => b.count - a.count),
    outages,
    scanned: scanned + refusalScanned + outages.length,
    truncated,
  };
}
