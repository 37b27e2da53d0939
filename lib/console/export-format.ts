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
 * whom, what, when, where and the query are then exactly what the signed tree
 * committed to. A v1 record binds only tenant, seq, time, action and outcome.
 * Inclusion in a signed checkpoint is shown per event in the console (event
 * detail page).
 *
 * CSV: one row per event, the columns of CSV_COLUMNS, RFC 4180 quoting.
 */

export const CHAIN_EXTENSION_URL = 'urn:smart-chart:audit-chain';

export function chainExtension(e: StoredAuditEvent): Extension {
  return {
    url: CHAIN_EXTENSION_URL,
    extension: [
      { url: 'tenant', valueString: e.tenant },
      { url: 'seq', valueInteger: e.seq },
      { url: 'leafHash', valueString: e.leafHash },
      { url: 'record', valueBase64Binary: e.record },
      ...(e.commitmentSalt !== undefined ? [{ url: 'salt', valueString: e.commitmentSalt }] : []),
    ],
  };
}

export function exportedAuditEvent(e: StoredAuditEvent): AuditEvent {
  const id = `${e.tenant}-${e.seq}`;
  return {
    ...e.event,
    ...(FHIR_ID.test(id) ? { id } : {}),
    extension: [...(e.event.extension ?? []), chainExtension(e)],
  };
}

export function ndjsonLine(e: StoredAuditEvent): string {
  return `${JSON.stringify(exportedAuditEvent(e))}\n`;
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
