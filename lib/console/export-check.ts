import { createHash } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from '../audit/audit-event';
import { CHAIN_EXTENSION_URL } from './export-format';

export interface ExportedLineCheck {
  readonly ok: boolean;
  readonly tenant?: string;
  readonly seq?: number;
  readonly problems: readonly string[];
}

/**
 * Checks one NDJSON export line without any key: it is a FHIR AuditEvent,
 * SHA-256(0x00 || record) equals its leaf hash, and the record it covers
 * names the same chain position, time, action and outcome as the event.
 */
export function checkExportedLine(line: string): ExportedLineCheck {
  const problems: string[] = [];
  let event: AuditEvent;
  try {
    event = JSON.parse(line) as AuditEvent;
  } catch {
    return { ok: false, problems: ['not JSON'] };
  }
  if (event.resourceType !== 'AuditEvent') problems.push('not an AuditEvent');
  if (typeof event.recorded !== 'string' || !Array.isArray(event.agent) || typeof event.source !== 'object') {
    problems.push('AuditEvent lacks recorded, agent or source');
  }
  const chain = event.extension?.find((x) => x.url === CHAIN_EXTENSION_URL)?.extension ?? [];
  const part = (name: string) => chain.find((x) => x.url === name);
  const tenant = part('tenant')?.valueString;
  const seq = part('seq')?.valueInteger;
  const leafHash = part('leafHash')?.valueString;
  const record = part('record')?.valueBase64Binary;
  if (tenant === undefined || seq === undefined || leafHash === undefined || record === undefined) {
    return { ok: false, problems: [...problems, 'chain extension incomplete'] };
  }
  const bytes = Buffer.from(record, 'base64');
  const computed = createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(bytes)
    .digest('hex');
  if (computed !== leafHash) problems.push('leaf hash does not match the record');
  try {
    const r = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (r.tenant !== tenant || r.seq !== seq) problems.push('record is for another chain position');
    if (r.recorded !== event.recorded) problems.push('record time differs from the event');
    if (r.outcome !== event.outcome) problems.push('record outcome differs from the event');
    if (r.action !== event.subtype?.find((c) => c.system === ACTION_SYSTEM)?.code)
      problems.push('record action differs from the event');
  } catch {
    problems.push('record is not JSON');
  }
  return { ok: problems.length === 0, tenant, seq, problems };
}
