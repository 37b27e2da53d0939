import { createHash } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from '../audit/audit-event';
import { commitTo } from '../audit/commitment';
import { CHAIN_EXTENSION_URL } from './export-format';

export interface ExportedLineCheck {
  readonly ok: boolean;
  readonly tenant?: string;
  readonly seq?: number;
  /**
   * What a passing line proves: 'whole-event' (format v2: every field of the AuditEvent is
   * what the record commits to), or 'time-action-outcome' (format v1 records, stored before
   * commitments: who, whom, where and the query are not bound and could have been changed).
   */
  readonly binds?: 'whole-event' | 'time-action-outcome';
  readonly problems: readonly string[];
}

/** The AuditEvent as it was recorded: without the export's id and chain extension. */
function recordedEvent(event: AuditEvent): unknown {
  const { id: _id, extension, ...rest } = event;
  const others = (extension ?? []).filter((x) => x.url !== CHAIN_EXTENSION_URL);
  return others.length > 0 ? { ...rest, extension: others } : rest;
}

/**
 * Checks one NDJSON export line without any key: it is a FHIR AuditEvent,
 * SHA-256(0x00 || record) equals its leaf hash, the record names the same
 * chain position, time, action and outcome as the event, and (format v2)
 * the salted commitment in the record matches the whole event.
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
  const salt = part('salt')?.valueString;
  if (tenant === undefined || seq === undefined || leafHash === undefined || record === undefined) {
    return { ok: false, problems: [...problems, 'chain extension incomplete'] };
  }
  const bytes = Buffer.from(record, 'base64');
  const computed = createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(bytes)
    .digest('hex');
  if (computed !== leafHash) problems.push('leaf hash does not match the record');
  let binds: ExportedLineCheck['binds'];
  try {
    const r = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (r.tenant !== tenant || r.seq !== seq) problems.push('record is for another chain position');
    if (r.recorded !== event.recorded) problems.push('record time differs from the event');
    if (r.outcome !== event.outcome) problems.push('record outcome differs from the event');
    if (r.action !== event.subtype?.find((c) => c.system === ACTION_SYSTEM)?.code)
      problems.push('record action differs from the event');
    if (r.v === 2 || r.v === 3) {
      binds = 'whole-event';
      if (typeof salt !== 'string' || !/^[0-9a-f]{64}$/.test(salt))
        problems.push('the salt of the record’s payload commitment is missing');
      else if (commitTo(salt, recordedEvent(event)) !== r.payloadCommitment)
        problems.push(
          'the event differs from what the record commits to (who, whom, what, when, where or the query)',
        );
    } else if (r.v === 1) binds = 'time-action-outcome';
    else problems.push('record format is unknown');
  } catch {
    problems.push('record is not JSON');
  }
  return { ok: problems.length === 0, tenant, seq, ...(binds ? { binds } : {}), problems };
}
