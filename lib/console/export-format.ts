import type { AuditEvent, Extension } from '@medplum/fhirtypes';
import type { StoredAuditEvent } from '../audit/query';
import { summarize } from './event-fields';
import { FHIR_ID } from '../fhir/id';

/**
 * Export formats of the audit console.
 *
 * NDJSON: one FHIR R4 AuditEvent per line, with its place in the log in the
 * extension `urn:smart-chart:audit-chain`:
 *   tenant (valueString)      the chain (EHR registration, or 'console')
 *   seq (valueInteger)        zero-based position in that chain
 *   leafHash (valueString)    hex SHA-256(0x00 || record bytes), the RFC 6962 leaf
 *   record (valueBase64Binary) the stored canonical record the leaf hash covers
 *   salt (valueString)        hex salt of the record's payload commitment (records
 *                             of formats v2 and v3; absent for v1 records stored before)
 * A reader checks the line by hashing `record` and comparing with `leafHash`,
 * and, for a v2 or v3 record, that SHA-256(salt || RFC 8785 bytes of the AuditEvent
 * without this extension and id) equals the record's payloadCommitment: who,
 * whom, what, when, where and the query are then exactly what the record
 * commits to. A v1 record binds only tenant, seq, time, action and outcome.
 *   checkpoint (valueString)  the tenant's newest signed checkpoint when the
 *                             export began (a C2SP signed note, with any
 *                             witnesses' cosignatures)
 *   inclusion (valueString)   hex hashes, space-separated: the RFC 6962
 *                             inclusion proof of the leaf in that checkpoint's
 *                             tree (both absent for events not yet covered by
 *                             a checkpoint when the export began)
 * With the log's public key a reader then knows the record is in the tree the
 * log signed: a line rewritten and hashed again is not (export-check.ts).
 *
 * CSV: one row per event, the columns of CSV_COLUMNS, RFC 4180 quoting.
 */

export const CHAIN_EXTENSION_URL = 'urn:smart-chart:audit-chain';

/** An exported event's proof that its leaf is in a signed tree: the checkpoint and the inclusion path. */
export interface ExportedInclusion {
  readonly checkpoint: string;
  readonly path: readonly string[];
}

export function chainExtension(e: StoredAuditEvent, inclusion?: ExportedInclusion): Extension {
  return {
    url: CHAIN_EXTENSION_URL,
    extension: [
      { url: 'tenant', valueString: e.tenant },
      { url: 'seq', valueInteger: e.seq },
      { url: 'leafHash', valueString: e.leafHash },
      { url: 'record', valueBase64Binary: e.record },
      ...(e.commitmentSalt !== undefined ? [{ url: 'salt', valueString: e.commitmentSalt }] : []),
      ...(inclusion
        ? [
            { url: 'checkpoint', valueString: inclusion.checkpoint },
            // A tree of one leaf has an empty path, and an empty string is no valid FHIR string.
            ...(inclusion.path.length > 0
              ? [{ url: 'inclusion', valueString: inclusion.path.join(' ') }]
              : []),
          ]
        : []),
    ],
  };
}

export function exportedAuditEvent(e: StoredAuditEvent, inclusion?: ExportedInclusion): AuditEvent {
  const id = `${e.tenant}-${e.seq}`;
  return {
    ...e.event,
    ...(FHIR_ID.test(id) ? { id } : {}),
    extension: [...(e.event.extension ?? []), chainExtension(e, inclusion)],
  };
}

export function ndjsonLine(e: StoredAuditEvent, inclusion?: ExportedInclusion): string {
  return `${JSON.stringify(exportedAuditEvent(e, inclusion))}\n`;
}

export const CSV_COLUMNS = [
  'recorded',
  'tenant',
  'seq',
  'action',
  'outcome',
  'outcomeDesc',
  'user',
  'patient',
  'resourceTypes',
  'detail',
  'query',
  'sourceIp',
  'leafHash',
] as const;

/**
 * RFC 4180 field. Cells that a spreadsheet would run as a formula (= + - @,
 * tab, carriage return) get a leading apostrophe: an export must not execute.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number)[]): string =>
  `${cells.map(csvField).join(',')}\r\n`;

export function csvRow(e: StoredAuditEvent): string {
  const s = summarize(e.event);
  return csvLine([
    e.recorded,
    e.tenant,
    e.seq,
    e.action,
    e.outcome,
    s.outcomeDesc,
    s.user,
    s.patient,
    e.resourceTypes.join(' '),
    s.detail,
    s.query,
    s.sourceIp,
    e.leafHash,
  ]);
}
