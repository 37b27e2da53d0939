import { DISCLOSURE_ACTIONS } from './alerts';
import { summarize } from './event-fields';
import { csvLine } from './export-format';
import type { ExportSource } from './export-stream';

/**
 * Accounting of disclosures for one patient over a period, in the manner of
 * HIPAA §164.528: date, who received the information, what was disclosed,
 * and the purpose. Built from the audit log's successful reads, queries and
 * panel views of that patient, newest first.
 */
export interface DisclosureRow {
  readonly date: string;
  readonly recipient: string;
  readonly ehr: string;
  readonly what: string;
  readonly purpose: string;
  readonly action: string;
}

export async function accountDisclosures(
  source: ExportSource,
  opts: { readonly patient: string; readonly from: Date; readonly to: Date; readonly max?: number },
): Promise<{ rows: DisclosureRow[]; truncated: boolean }> {
  const max = opts.max ?? 5000;
  const rows: DisclosureRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.query(
      { patient: opts.patient, from: opts.from, to: opts.to, actions: DISCLOSURE_ACTIONS, outcome: '0' },
      { limit: 500, ...(cursor !== undefined ? { cursor } : {}) },
    );
    for (const e of page.items) {
      if (rows.length >= max) return { rows, truncated: true };
      const s = summarize(e.event);
      const what = [s.resourceTypes.join(', '), s.detail ? `(${s.detail})` : ''].filter(Boolean).join(' ');
      rows.push({
        date: s.recorded,
        recipient: s.user || 'unknown',
        ehr: s.tenant,
        what: what || e.action,
        purpose: s.purpose,
        action: e.action,
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { rows, truncated: false };
}

export function disclosuresCsv(rows: readonly DisclosureRow[]): string {
  return (
    csvLine(['date', 'recipient', 'ehr', 'what', 'purpose', 'action']) +
    rows.map((r) => csvLine([r.date, r.recipient, r.ehr, r.what, r.purpose, r.action])).join('')
  );
}
