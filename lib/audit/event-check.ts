import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from './audit-event';
import { parseRecord, type AuditRecord } from './canonical';
import { commitmentSalt, commitTo } from './commitment';
import { pseudonym, eventBodyAad, decryptEventBody, type AuditKeys } from './crypto';
import { toBuffer, toNumber, type Row, type SqlClient } from './driver';
import { leafHash } from './merkle';

/**
 * One stored event checked from its sealed payload up: the leaf hash covers
 * the canonical record, every indexed column repeats the record, and the
 * record repeats what the decrypted AuditEvent says (time, action, outcome,
 * resource types, and the HMACs of who and which patient, recomputed). The
 * signer runs this on every event before it signs; verify() on all of them.
 */

/** Columns in the form the record holds them, so comparisons are string equality. */
export const EVENT_COLUMNS = `seq, action, outcome, canonical, sealed,
  to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded,
  encode(user_hmac, 'hex') AS user_hmac, encode(patient_hmac, 'hex') AS patient_hmac,
  array_to_json(resource_types)::text AS resource_types, encode(leaf_hash, 'hex') AS leaf_hash`;

export const eventPage = (db: SqlClient, tenant: string, from: number, to: number, limit: number) =>
  db.query(
    `SELECT ${EVENT_COLUMNS} FROM audit.events WHERE tenant = $1 AND seq >= $2 AND seq < $3 ORDER BY seq LIMIT $4`,
    [tenant, from, to, limit],
  );

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

/** What the decrypted event says, in the record's terms; undefined fields are absent from it. */
function payloadProblems(keys: AuditKeys, r: AuditRecord, event: AuditEvent): string[] {
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
  if (r.v === 2 && commitTo(commitmentSalt(keys.hmacKey, r.tenant, r.seq), event) !== r.payloadCommitment)
    out.push('payload differs from the commitment in the record');
  return out;
}

/**
 * Checks one row against the previous leaf of the chain. Findings name the
 * exact event; a broken link blames this event if it is itself wrong,
 * otherwise its predecessor (whose bytes then changed).
 */
export function checkRow(keys: AuditKeys, tenant: string, row: Row, prevLeaf: string): RowCheck {
  const seq = toNumber(row.seq);
  const bytes = toBuffer(row.canonical);
  const leaf = leafHash(bytes);
  const findings: RowFinding[] = [];
  const bad = (problem: string, at = seq) => findings.push({ seq: at, problem: `event ${seq}: ${problem}` });
  if (leaf.toString('hex') !== row.leaf_hash) bad('stored leaf hash does not match its bytes');
  let r: AuditRecord;
  try {
    r = parseRecord(bytes, { strict: false });
  } catch {
    bad('stored bytes are not an audit record');
    return { seq, leaf, findings };
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
  if (r.prev !== prevLeaf)
    bad(`does not chain to event ${seq - 1}`, columnsMatch ? Math.max(seq - 1, 0) : seq);
  const sealed = toBuffer(row.sealed);
  if (createHash('sha256').update(sealed).digest('hex') !== r.sealedSha256) {
    bad('sealed payload is not the one the record commits to');
    return { seq, leaf, findings };
  }
  try {
    const plain = inflateRawSync(decryptEventBody(keys.encryptionKey, sealed, eventBodyAad(tenant, seq)));
    for (const p of payloadProblems(keys, r, JSON.parse(plain.toString('utf8')) as AuditEvent)) bad(p);
  } catch {
    bad('sealed payload cannot be decrypted and read');
  }
  return { seq, leaf, findings };
}
