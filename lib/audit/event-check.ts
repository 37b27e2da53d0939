import { hash } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { ACTION_SYSTEM, recordedResourceTypes } from './audit-event';
import { parseRecord, type AuditRecord } from './canonical';
import { commitmentSaltBytes, commitTo, commitWithSalt } from './commitment';
import {
  pseudonym,
  eventBodyAad,
  decryptEventBody,
  readWithoutTag,
  recordAad,
  type AuditKeys,
} from './crypto';
import { unpackEventBody } from './event-body';
import { leafHash } from './merkle';

/**
 * One stored event checked from its sealed payload up: the leaf hash covers
 * the canonical record, every indexed column repeats the record, and the
 * record is the one its payload was sealed with. A v3 payload is sealed with
 * the record's fields as its associated data, so it opens only with that
 * record; a v1 or v2 payload, sealed with its place in the log alone, is
 * opened and compared field by field (time, action, outcome, resource types,
 * the HMACs of who and which patient recomputed, and the commitment). The
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

/** One stored row as a page holds it (event-page.ts): the columns in their binary forms. */
export interface EventRow {
  readonly seq: number;
  readonly action: string | null;
  readonly outcome: string | null;
  readonly canonical: Buffer | null;
  readonly sealed: Buffer | null;
  /** The time column in microseconds since 2000-01-01 UTC (PostgreSQL's epoch), its full precision. */
  readonly recordedMicros: number | null;
  readonly userHmac: Buffer | null;
  readonly patientHmac: Buffer | null;
  /** Null when the column is not a one-dimensional array of non-null text. */
  readonly resourceTypes: readonly string[] | null;
  readonly leafHash: Buffer | null;
}

const PG_EPOCH_MS = 946_684_800_000;

/** A record's time ('...12.345Z', exactly as toISOString writes it) in the time column's microseconds, or NaN. */
function recordMicros(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== iso) return Number.NaN;
  return (ms - PG_EPOCH_MS) * 1000;
}

/** A bytea HMAC column against the record's hex (null for none). */
const sameHmac = (column: Buffer | null, hex: string | null): boolean =>
  column === null || hex === null ? column === hex : column.length === 32 && column.toString('hex') === hex;

const EMPTY = Buffer.alloc(0);

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Events sealed as their canonical bytes match the commitment by hashing
 * those bytes as they are (a match means they are the canonical form of the
 * committed event); others, sealed in another member order, are
 * canonicalised first.
 */
function commitmentHolds(salt: Buffer, plain: Buffer, event: AuditEvent, r: AuditRecord): boolean {
  return (
    commitWithSalt(salt, plain) === r.payloadCommitment ||
    commitTo(salt.toString('hex'), event) === r.payloadCommitment
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
  if (!sameList(recordedResourceTypes(event), r.resourceTypes))
    out.push('payload resource types differ from the record');
  const who = event.agent?.find((a) => a.requestor)?.who?.reference;
  const userHmac = who !== undefined ? pseudonym(keys.hmacKey, 'user', who) : null;
  if (userHmac !== r.userHmac) out.push('payload user differs from the record');
  const patient = event.entity?.find((e) => e.role?.code === '1')?.what?.reference;
  const patientHmac = patient !== undefined ? pseudonym(keys.hmacKey, 'patient', patient) : null;
  if (patientHmac !== r.patientHmac) out.push('payload patient differs from the record');
  // v2 and v3: the whole event (query, network address, every entity) is committed to; v1 records predate it.
  if (r.v !== 1 && !commitmentHolds(commitmentSaltBytes(keys.hmacKey, r.tenant, r.seq), plain, event, r))
    out.push('payload differs from the commitment in the record');
  return out;
}

/**
 * A v3 payload against its record: it opens (its tag holds) only with the fields it was sealed with. When it does
 * not, the payload is read without its tag, never trusted, only to say which field of the record differs from it.
 * `deep` also inflates an opened payload and compares it with its record field by field, as v1 and v2 payloads
 * always are: what a key holder sealed is then checked too (a writer's bug, say), at the cost of the parsing.
 */
function sealedWithRecord(keys: AuditKeys, r: AuditRecord, sealed: Buffer, deep: boolean): string[] {
  let opened: Buffer | undefined;
  try {
    opened = decryptEventBody(keys.encryptionKey, sealed, recordAad(r));
  } catch {
    // Falls through: the record is not the one this payload was sealed with, or the payload is not one.
  }
  if (opened !== undefined) {
    if (!deep) return [];
    try {
      return payloadProblems(keys, r, unpackEventBody(opened));
    } catch {
      return ['sealed payload cannot be decrypted and read'];
    }
  }
  const unopened = 'sealed payload cannot be decrypted and read with its record';
  try {
    return [
      unopened,
      ...payloadProblems(keys, r, unpackEventBody(readWithoutTag(keys.encryptionKey, sealed))),
    ];
  } catch {
    return [unopened];
  }
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
export function inspectRow(keys: AuditKeys, tenant: string, row: EventRow, deep = false): Inspection {
  const seq = row.seq;
  const bytes = row.canonical ?? EMPTY;
  const leaf = leafHash(bytes);
  const findings: RowFinding[] = [];
  const bad = (problem: string) => findings.push({ seq, problem: `event ${seq}: ${problem}` });
  if (row.leafHash === null || !leaf.equals(row.leafHash)) bad('stored leaf hash does not match its bytes');
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
    row.recordedMicros === recordMicros(r.recorded) &&
    row.action === r.action &&
    row.outcome === r.outcome &&
    sameHmac(row.userHmac, r.userHmac) &&
    sameHmac(row.patientHmac, r.patientHmac) &&
    row.resourceTypes !== null &&
    sameList(row.resourceTypes, r.resourceTypes);
  if (!columnsMatch) bad('indexed columns differ from the signed record');
  const linkAt = findings.length;
  const sealed = row.sealed ?? EMPTY;
  if (hash('sha256', sealed, 'hex') !== r.sealedSha256) {
    bad('sealed payload is not the one the record commits to');
    return { seq, leaf, prev: r.prev, columnsMatch, findings, linkAt };
  }
  if (r.v === 3) {
    // Opened at the row's own place, as v1 and v2 payloads are: a record copied to another place fails here too.
    for (const p of sealedWithRecord(keys, { ...r, tenant, seq }, sealed, deep)) bad(p);
    return { seq, leaf, prev: r.prev, columnsMatch, findings, linkAt };
  }
  try {
    const plain = unpackEventBody(decryptEventBody(keys.encryptionKey, sealed, eventBodyAad(tenant, seq)));
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
  return prev === undefined ? undefined : brokenLink(seq, columnsMatch, prev === prevLeaf);
}

/** linkFinding once it is known whether the record names the previous leaf. */
export function brokenLink(seq: number, columnsMatch: boolean, chains: boolean): RowFinding | undefined {
  if (chains) return undefined;
  return {
    seq: columnsMatch ? Math.max(seq - 1, 0) : seq,
    problem: `event ${seq}: does not chain to event ${seq - 1}`,
  };
}

/** Checks one row against the previous leaf of the chain. Findings name the exact event. */
export function checkRow(keys: AuditKeys, tenant: string, row: EventRow, prevLeaf: string): RowCheck {
  const i = inspectRow(keys, tenant, row);
  const link = linkFinding(i.seq, i.prev, i.columnsMatch, prevLeaf);
  const findings = link
    ? [...i.findings.slice(0, i.linkAt), link, ...i.findings.slice(i.linkAt)]
    : i.findings;
  return { seq: i.seq, leaf: i.leaf, findings };
}
