import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from './audit-event';
import { parseRecord, type AuditRecord } from './canonical';
import { commitmentSalt, commitTo, commitToCanonical } from './commitment';
import { pseudonym, eventBodyAad, decryptEventBody, type AuditKeys } from './crypto';
import { toBuffer, toNumber, type Row } from './driver';
import { leafHash } from './merkle';

/**
 * One stored event checked from its sealed payload up: the leaf hash covers
 * the canonical record, every indexed column repeats the record, and the
 * record repeats what the decrypted AuditEvent says (time, action, outcome,
 * resource types, and the HMACs of who and which patient, recomputed). The
 * signer runs this on every event before it signs; verify() on all of them.
 */

export interface RowFinding {
  /** The event the finding is about (a broken link may blame the predecessor). */
  readonly seq: number;
  readonly problem: string;
}

export interface RowCheck {
  readonly seq: number;
  readonly leaf: Buffer;
  readonly findings: readonly RowFinding[];
}

/** Record time at the column's microsecond precision: '...12.345Z' → '...12.345000Z'. */
const micro = (iso: string): string => iso.replace(/\.(\d{3})Z$/, '.$1000Z');

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Events sealed as their canonical bytes match the commitment by hashing
 * those bytes as they are (a match means they are the canonical form of the
 * committed event); others, sealed in another member order, are
 * canonicalised first.
 */
function commitmentHolds(salt: string, plain: Buffer, event: AuditEvent, r: AuditRecord): boolean {
  return (
    commitToCanonical(salt, plain) === r.payloadCommitment || commitTo(salt, event) === r.payloadCommitment
  );
}

/** What the decrypted event says, in the record's terms; undefined fields are absent from it. */
function payloadProblems(keys: AuditKeys, r: AuditRecord, plain: Buffer): string[] {
  const event = JSON.parse(plain.toString('utf8')) as AuditEvent;
  const out: string[] = [];
  if (event.resourceType !== 'AuditEvent') out.push('payload is not an AuditEvent');
  if (event.recorded !== r.recorded) out.push('payload time differs from the record');
  if (event.outcome !== r.outcome) out.push('payload outcome differs from the record');
  if (event.subtype?.find((c) => c.system === ACTION_SYSTEM)?.code !== r.action)
    out.push('payload action differs from the record');
  if (event.source?.site !== r.tenant) out.push('payload names another log');
  const types =
    event.entity
      ?.find((e) => e.role?.code === '24')
      ?.detail?.filter((d) => d.type === 'resourceType')
      .map((d) => d.valueString ?? '') ?? [];
  if (!sameList(types, r.resourceTypes)) out.push('payload resource types differ from the record');
  const who = event.agent?.find((a) => a.requestor)?.who?.reference;
  const userHmac = who !== undefined ? pseudonym(keys.hmacKey, 'user', who) : null;
  if (userHmac !== r.userHmac) out.push('payload user differs from the record');
  const patient = event.entity?.find((e) => e.role?.code === '1')?.what?.reference;
  const patientHmac = patient !== undefined ? pseudonym(keys.hmacKey, 'patient', patient) : null;
  if (patientHmac !== r.patientHmac) out.push('payload patient differs from the record');
  // v2: the whole event (query, network address, every entity) is committed to; v1 records predate it.
  if (r.v === 2 && !commitmentHolds(commitmentSalt(keys.hmacKey, r.tenant, r.seq), plain, event, r))
    out.push('payload differs from the commitment in the record');
  return out;
}

/** One row checked on its own: everything except the link to its predecessor (see linkFinding). */
export interface Inspection {
  readonly seq: number;
  readonly leaf: Buffer;
  /** The record's `prev` (hex leaf hash, '' for the first), or undefined when the record cannot be read. */
  readonly prev: string | undefined;
  readonly columnsMatch: boolean;
  readonly findings: readonly RowFinding[];
  /** Where a broken link's finding stands among `findings`, to keep checkRow's order. */
  readonly linkAt: number;
}

/**
 * Checks one row from its sealed payload up, without its predecessor: the
 * part that can run on any thread, row by row in any order (inspectPage).
 */
export function inspectRow(keys: AuditKeys, tenant: string, row: Row): Inspection {
  const seq = toNumber(row.seq);
  const bytes = toBuffer(row.canonical);
  const leaf = leafHash(bytes);
  const findings: RowFinding[] = [];
  const bad = (problem: string) => findings.push({ seq, problem: `event ${seq}: ${problem}` });
  if (leaf.toString('hex') !== row.leaf_hash) bad('stored leaf hash does not match its bytes');
  let r: AuditRecord;
  try {
    r = parseRecord(bytes, { strict: false });
  } catch {
    bad('stored bytes are not an audit record');
    return { seq, leaf, prev: undefined, columnsMatch: false, findings, linkAt: findings.length };
  }
  const columnsMatch =
    r.tenant === tenant &&
    r.seq === seq &&
    row.recorded === micro(r.recorded) &&
    row.action === r.action &&
    row.outcome === r.outcome &&
    (row.user_hmac ?? null) === r.userHmac &&
    (row.patient_hmac ?? null) === r.patientHmac &&
    row.resource_types === JSON.stringify(r.resourceTypes);
  if (!columnsMatch) bad('indexed columns differ from the signed record');
  const linkAt = findings.length;
  const sealed = toBuffer(row.sealed);
  if (createHash('sha256').update(sealed).digest('hex') !== r.sealedSha256) {
    bad('sealed payload is not the one the record commits to');
    return { seq, leaf, prev: r.prev, columnsMatch, findings, linkAt };
  }
  try {
    const plain = inflateRawSync(decryptEventBody(keys.encryptionKey, sealed, eventBodyAad(tenant, seq)));
    for (const p of payloadProblems(keys, r, plain)) bad(p);
  } catch {
    bad('sealed payload cannot be decrypted and read');
  }
  return { seq, leaf, prev: r.prev, columnsMatch, findings, linkAt };
}

/**
 * The link from a checked row to the previous leaf of the chain: a broken
 * link blames this event if it is itself wrong, otherwise its predecessor
 * (whose bytes then changed).
 */
export function linkFinding(
  seq: number,
  prev: string | undefined,
  columnsMatch: boolean,
  prevLeaf: string,
): RowFinding | undefined {
  if (prev === undefined || prev === prevLeaf) return undefined;
  return {
    seq: columnsMatch ? Math.max(seq - 1, 0) : seq,
    problem: `event ${seq}: does not chain to event ${seq - 1}`,
  };
}

/** Checks one row against the previous leaf of the chain. Findings name the exact event. */
export function checkRow(keys: AuditKeys, tenant: string, row: Row, prevLeaf: string): RowCheck {
  const i = inspectRow(keys, tenant, row);
  const link = linkFinding(i.seq, i.prev, i.columnsMatch, prevLeaf);
  const findings = link
    ? [...i.findings.slice(0, i.linkAt), link, ...i.findings.slice(i.linkAt)]
    : i.findings;
  return { seq: i.seq, leaf: i.leaf, findings };
}
