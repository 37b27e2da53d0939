import type { AuditQueryFilter, AuditQueryResult } from '../audit/query';
import type { AuditPage } from '../audit/query';
import { csvLine, csvRow, CSV_COLUMNS, ndjsonLine } from './export-format';
import { integrityFailure, integrityMessage } from './integrity';

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportSource {
  query(filter: AuditQueryFilter, page?: AuditPage): Promise<AuditQueryResult>;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  ndjson: 'application/fhir+ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Why an export ended early, after `count` events. */
export function stoppedReason(e: unknown, count: number): string {
  const failure = integrityFailure(e);
  const why = failure
    ? integrityMessage(failure)
    : 'The audit store could not be read (it may be unavailable); export again later.';
  return `Export stopped after ${count} events, incomplete. ${why}`;
}

/**
 * The export's last line when it cannot go on: for NDJSON a FHIR OperationOutcome (a reader of
 * AuditEvents meets a resource of another type and stops), for CSV a row of its own.
 */
function stoppedLine(format: ExportFormat, reason: string): string {
  if (format === 'csv') return csvLine([`ERROR: ${reason}`]);
  const outcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'fatal', code: 'processing', diagnostics: reason }],
  };
  return `${JSON.stringify(outcome)}\n`;
}

/**
 * Streams a search page by page (newest first, keyset cursor), so an export
 * of millions of events never sits in memory. Pulled by the reader: a slow
 * download slows the database reads instead of buffering them. An event that
 * fails its check (or a store that stops answering) ends the export with a
 * last line saying where it stopped and why, never silently short.
 */
export function exportStream(
  source: ExportSource,
  filter: AuditQueryFilter,
  format: ExportFormat,
  opts: {
    readonly pageSize?: number;
    readonly onDone?: (count: number) => void;
    /** Told when the export stops early, with the error (for the logs: tenant and sequence number). */
    readonly onStopped?: (e: unknown, count: number) => void;
  } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let count = 0;
  let oneByOne = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = '';
      if (!started && format === 'csv') chunk += csvLine(CSV_COLUMNS);
      started = true;
      let page: AuditQueryResult | undefined;
      while (!page) {
        try {
          page = await source.query(filter, {
            limit: oneByOne ? 1 : (opts.pageSize ?? 500),
            ...(cursor !== undefined ? { cursor } : {}),
          });
        } catch (e) {
          // A page holding an event that fails its check is read again one event at a time, so
          // every event before that one is exported and the stop names exactly the one after.
          if (!oneByOne && integrityFailure(e)) {
            oneByOne = true;
            continue;
          }
          opts.onStopped?.(e, count);
          controller.enqueue(encoder.encode(chunk + stoppedLine(format, stoppedReason(e, count))));
          controller.close();
          return;
        }
      }
      for (const e of page.items) chunk += format === 'csv' ? csvRow(e) : ndjsonLine(e);
      count += page.items.length;
      cursor = page.nextCursor;
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (cursor === undefined) {
        opts.onDone?.(count);
        controller.close();
      }
    },
  });
}
