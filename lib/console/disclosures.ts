import type { AuditAction } from '../audit/types';
import { groupOpenings, type ChartOpening } from './chart-openings';
import { DISCLOSURE_ACTIONS, isDisclosure, type EventRow } from './event-fields';
import { csvLine } from './export-format';
import type { ExportSource } from './export-stream';

/**
 * Accounting of disclosures for one patient over a period, following 45 CFR
 * 164.528: the date, the name of the recipient, what was disclosed and the
 * purpose. One row per chart opening (the events of one launch), newest
 * first. Reads made for the organisation's own security review (purpose of
 * use HSYSADMIN, e.g. the alerts page's lookups) are not disclosures and are
 * left out.
 */
export interface DisclosureRow {
  /** When the opening began and ended (ISO 8601, UTC). */
  readonly date: string;
  readonly until: string;
  /** The recipient's name when recorded, else their reference. */
  readonly recipient: string;
  /** The recipient's reference (fhirUser or console user). */
  readonly recipientRef: string;
  /** The EHR's registration label. */
  readonly ehr: string;
  readonly what: string;
  readonly purpose: string;
  /** Disclosure events in this opening. */
  readonly events: number;
}

/** Besides the disclosures, the sign-in and sign-out of each launch (they name the user and close it). */
const ACCOUNTING_ACTIONS: readonly AuditAction[] = [
  ...DISCLOSURE_ACTIONS,
  'login',
  'logout',
  'session-timeout',
];

export async function accountDisclosures(
  source: ExportSource,
  opts: {
    readonly patient: string;
    readonly from: Date;
    readonly to: Date;
    /** Registration id → label. */
    readonly ehrLabels?: ReadonlyMap<string, string>;
    /** Events read at most. */
    readonly max?: number;
  },
): Promise<{ rows: DisclosureRow[]; truncated: boolean }> {
  const max = opts.max ?? 20_000;
  const items: Parameters<typeof groupOpenings>[0][number][] = [];
  let truncated = false;
  let cursor: string | undefined;
  do {
    const page = await source.query(
      { patient: opts.patient, from: opts.from, to: opts.to, actions: ACCOUNTING_ACTIONS },
      { limit: 500, ...(cursor !== undefined ? { cursor } : {}) },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    if (items.length >= max && cursor !== undefined) truncated = true;
  } while (cursor !== undefined && !truncated);
  const rows = groupOpenings(items).flatMap((o) => {
    const disclosed = o.events.filter(isDisclosure);
    return disclosed.length > 0 ? [accountingRow(o, disclosed, opts.ehrLabels)] : [];
  });
  return { rows, truncated };
}

function accountingRow(
  o: ChartOpening,
  disclosed: readonly EventRow[],
  labels: ReadonlyMap<string, string> | undefined,
): DisclosureRow {
  const types = [...new Set(disclosed.flatMap((e) => e.resourceTypes))];
  return {
    date: o.opened,
    until: o.closed,
    recipient: o.userName || o.user || 'unknown',
    recipientRef: o.user,
    ehr: labels?.get(o.tenant) ?? o.tenant,
    what: o.categories.length > 0 ? o.categories.join(', ') : types.join(', ') || 'patient record',
    purpose: [...new Set(disclosed.map((e) => e.purpose))].join('; '),
    events: disclosed.length,
  };
}

export function disclosuresCsv(rows: readonly DisclosureRow[]): string {
  return (
    csvLine(['date', 'until', 'recipient', 'recipientRef', 'ehr', 'what', 'purpose', 'events']) +
    rows
      .map((r) =>
        csvLine([r.date, r.until, r.recipient, r.recipientRef, r.ehr, r.what, r.purpose, String(r.events)]),
      )
      .join('')
  );
}
