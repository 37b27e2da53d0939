import type { AuditQueryFilter, AuditQueryResult } from '../audit/query';
import type { AuditPage } from '../audit/query';
import { csvLine, csvRow, CSV_COLUMNS, ndjsonLine } from './export-format';

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportSource {
  query(filter: AuditQueryFilter, page?: AuditPage): Promise<AuditQueryResult>;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  ndjson: 'application/fhir+ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Streams a search page by page (newest first, keyset cursor), so an export
 * of millions of events never sits in memory. Pulled by the reader: a slow
 * download slows the database reads instead of buffering them.
 */
export function exportStream(
  source: ExportSource,
  filter: AuditQueryFilter,
  format: ExportFormat,
  opts: { readonly pageSize?: number; readonly onDone?: (count: number) => void } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let count = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = '';
      if (!started && format === 'csv') chunk += csvLine(CSV_COLUMNS);
      started = true;
      const page = await source.query(filter, {
        limit: opts.pageSize ?? 500,
        ...(cursor !== undefined ? { cursor } : {}),
      });
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
