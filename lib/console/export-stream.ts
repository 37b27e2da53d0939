import type { AuditQueryFilter, AuditQueryResult, StoredAuditEvent } from '../audit/query';
import type { AuditPage } from '../audit/query';
import type { TreeHead } from '../audit/store';
import { csvLine, csvRow, CSV_COLUMNS, ndjsonLine, type ExportedInclusion } from './export-format';
import { integrityFailure, integrityMessage } from './integrity';

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportSource {
  query(filter: AuditQueryFilter, page?: AuditPage): Promise<AuditQueryResult>;
  /** With these, NDJSON lines carry their inclusion proofs in the newest checkpoint (the audit store has them). */
  treeHead?(tenant: string): Promise<TreeHead>;
  proveInclusions?(
    tenant: string,
    seqs: readonly number[],
    treeSize: number,
  ): Promise<ReadonlyMap<number, readonly string[]>>;
}

/**
 * Each event's proof of inclusion in its tenant's newest signed checkpoint, as the export began (one checkpoint per
 * tenant for the whole export, so the lines of one chain prove themselves against one signed tree). Events after
 * it get none.
 */
function inclusionsFor(source: ExportSource) {
  if (!source.treeHead || !source.proveInclusions) return undefined;
  const checkpoints = new Map<string, Promise<{ note: string; size: number } | undefined>>();
  const checkpointOf = (tenant: string) => {
    let cp = checkpoints.get(tenant);
    if (!cp) {
      cp = source.treeHead!(tenant).then((h) =>
        h.checkpoint ? { note: h.checkpoint.note, size: h.checkpoint.size } : undefined,
      );
      checkpoints.set(tenant, cp);
    }
    return cp;
  };
  return async (items: readonly StoredAuditEvent[]): Promise<Map<StoredAuditEvent, ExportedInclusion>> => {
    const found = new Map<StoredAuditEvent, ExportedInclusion>();
    const byTenant = new Map<string, StoredAuditEvent[]>();
    for (const e of items) byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), e]);
    for (const [tenant, events] of byTenant) {
      const cp = await checkpointOf(tenant);
      const covered = cp ? events.filter((e) => e.seq < cp.size) : [];
      if (!cp || covered.length === 0) continue;
      const paths = await source.proveInclusions!(
        tenant,
        covered.map((e) => e.seq),
        cp.size,
      );
      for (const e of covered) {
        const path = paths.get(e.seq);
        if (path) found.set(e, { checkpoint: cp.note, path });
      }
    }
    return found;
  };
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
  const proofs = format === 'ndjson' ? inclusionsFor(source) : undefined;
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
      let included: ReadonlyMap<StoredAuditEvent, ExportedInclusion> = new Map();
      try {
        if (proofs) included = await proofs(page.items);
      } catch (e) {
        opts.onStopped?.(e, count);
        controller.enqueue(encoder.encode(chunk + stoppedLine(format, stoppedReason(e, count))));
        controller.close();
        return;
      }
      for (const e of page.items) chunk += format === 'csv' ? csvRow(e) : ndjsonLine(e, included.get(e));
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
