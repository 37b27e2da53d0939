import { createHash, type KeyObject } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from '../audit/audit-event';
import { openCheckpoint } from '../audit/checkpoint';
import { commitTo } from '../audit/commitment';
import { verifyInclusion } from '../audit/merkle';
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
  /**
   * Whether the record is in the tree the log signed: 'proven' (the line's checkpoint is signed by one of the log's
   * keys for this tenant and its inclusion proof leads from the leaf to that tree's root), 'unverified' (a proof is
   * there but no log key was given to check the checkpoint's signature with), 'absent' (the event was not yet
   * covered by a checkpoint when the export began). Without 'proven' a line only shows that it agrees with itself:
   * anyone can write a line that does.
   */
  readonly inclusion?: 'proven' | 'unverified' | 'absent';
  readonly problems: readonly string[];
}

export interface ExportCheckOptions {
  /** The log's public keys (the current checkpoint signing key and those before a rotation). */
  readonly logKeys?: readonly KeyObject[];
}

/** The AuditEvent as it was recorded: without the export's id and chain extension. */
function recordedEvent(event: AuditEvent): unknown {
  const { id: _id, extension, ...rest } = event;
  const others = (extension ?? []).filter((x) => x.url !== CHAIN_EXTENSION_URL);
  return others.length > 0 ? { ...rest, extension: others } : rest;
}

/** Checks the line's inclusion proof against its checkpoint; a problem, or what it proved. */
function inclusionOf(
  tenant: string,
  seq: number,
  leafHash: string,
  note: string | undefined,
  inclusion: string | undefined,
  logKeys: readonly KeyObject[] | undefined,
): { readonly inclusion: NonNullable<ExportedLineCheck['inclusion']>; readonly problem?: string } {
  if (note === undefined)
    return inclusion === undefined
      ? { inclusion: 'absent' }
      : { inclusion: 'absent', problem: 'an inclusion proof without its checkpoint' };
  const body = /^smart-chart-audit\/(\S+)\n(\d+)\n([A-Za-z0-9+/=]+)\n/.exec(note);
  const signed = logKeys && logKeys.length > 0 ? openCheckpoint(note, logKeys) : undefined;
  if (logKeys && logKeys.length > 0 && !signed)
    return { inclusion: 'unverified', problem: 'the checkpoint is not signed by the log’s key' };
  const cp =
    signed ??
    (body ? { tenant: body[1], size: Number(body[2]), root: Buffer.from(body[3]!, 'base64') } : undefined);
  if (!cp) return { inclusion: 'unverified', problem: 'the checkpoint cannot be read' };
  if (cp.tenant !== tenant)
    return { inclusion: 'unverified', problem: 'the checkpoint is for another chain' };
  const path = (inclusion ?? '').split(' ').filter(Boolean);
  const proof = path.map((h) => Buffer.from(h, 'hex'));
  const proven =
    /^[0-9a-f]{64}$/.test(leafHash) &&
    path.every((h) => /^[0-9a-f]{64}$/.test(h)) &&
    verifyInclusion(Buffer.from(leafHash, 'hex'), seq, cp.size ?? 0, proof, cp.root);
  const kind = signed ? 'proven' : 'unverified';
  return proven
    ? { inclusion: kind }
    : { inclusion: kind, problem: `the record is not in the tree of the checkpoint at tree size ${cp.size}` };
}

/**
 * Checks one NDJSON export line with no secret key: it is a FHIR AuditEvent, SHA-256(0x00 || record) equals its
 * leaf hash, the record names the same chain position, time, action and outcome as the event, (format v2 and
 * later) the salted commitment in the record matches the whole event, and, given the log's public keys, the record
 * is in the tree of the signed checkpoint the line carries.
 */
export function checkExportedLine(line: string, opts: ExportCheckOptions = {}): ExportedLineCheck {
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
  const note = part('checkpoint')?.valueString;
  const path = part('inclusion')?.valueString;
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
  const included = inclusionOf(tenant, seq, computed, note, path, opts.logKeys);
  if (included.problem) problems.push(included.problem);
  return {
    ok: problems.length === 0,
    tenant,
    seq,
    ...(binds ? { binds } : {}),
    inclusion: included.inclusion,
    problems,
  };
}
