import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRecord } from './append-batch';
import { canonicalBytes, type AuditRecord } from './canonical';
import {
  decryptEventBody,
  encryptEventBody,
  eventBodyAad,
  generateAuditKeys,
  pseudonym,
  recordAad,
} from './crypto';
import { unpackEventBody } from './event-body';
import { checkRow, inspectRow, type EventRow } from './event-check';
import { leafHash } from './merkle';
import { anotherUser, sealedByMistake } from './testing/forger';
import { readInput } from './testing/store-suite-input';

/**
 * A key holder (or a bug) could write a record whose hashes and columns agree
 * with each other but not with the sealed event, and anyone with the database
 * could pair a record with a payload it was not sealed with. A v3 payload opens
 * only with the record it was sealed with; a v2 one is opened and compared
 * field by field.
 */
const keys = generateAuditKeys();
const built = buildRecord(readInput('ehr', 4), 4, Buffer.alloc(32, 1), keys, 'https://app.example');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The same event stored as a v2 record: its payload sealed with its place in the log alone. */
function asV2(record: AuditRecord, sealed: Buffer): { record: AuditRecord; sealed: Buffer } {
  const packed = decryptEventBody(keys.encryptionKey, sealed, recordAad(record));
  const v2Sealed = encryptEventBody(keys.encryptionKey, packed, eventBodyAad(record.tenant, record.seq));
  return { record: { ...record, v: 2, sealedSha256: sha256(v2Sealed) }, sealed: v2Sealed };
}
const v2 = asV2(built.record, built.sealed);
/** Another event at the same place that differs only in its query. */
const other = buildRecord(
  { ...readInput('ehr', 4), query: 'Observation?patient=someone-else' },
  4,
  Buffer.alloc(32, 1),
  keys,
  'https://app.example',
);

/** An ISO time with microseconds ('...04.000001Z') as the time column holds it: microseconds since 2000. */
function columnMicros(iso: string): number {
  const [, head, micros] = /^(.*\.\d{3})(\d{3})Z$/.exec(iso) ?? [];
  return (Date.parse(`${head}Z`) - Date.UTC(2000, 0, 1)) * 1000 + Number(micros);
}

const hmacColumn = (hex: string | null) => (hex === null ? null : Buffer.from(hex, 'hex'));

/** The row a database would hold for `record` with the given sealed payload (the event's own by default). */
function rowOf(record: AuditRecord, recordedColumn?: string, sealed: Buffer = built.sealed): EventRow {
  const bytes = canonicalBytes(record);
  return {
    seq: record.seq,
    action: record.action,
    outcome: record.outcome,
    canonical: bytes,
    sealed,
    recordedMicros: columnMicros(recordedColumn ?? record.recorded.replace('Z', '000Z')),
    userHmac: hmacColumn(record.userHmac),
    patientHmac: hmacColumn(record.patientHmac),
    resourceTypes: record.resourceTypes,
    leafHash: leafHash(bytes),
  };
}

const problemsOf = (row: EventRow) =>
  checkRow(keys, 'ehr', row, built.record.prev).findings.map((f) => f.problem);
const problems = (record: AuditRecord, recorded?: string) => problemsOf(rowOf(record, recorded));
const v2Problems = (record: AuditRecord) => problemsOf(rowOf(record, undefined, v2.sealed));

const FIELD_CHANGES = [
  ['action', { action: 'view' }, 'payload action differs from the record'],
  ['outcome', { outcome: '8' }, 'payload outcome differs from the record'],
  ['time', { recorded: '2026-01-01T00:00:05.000Z' }, 'payload time differs from the record'],
  ['resource types', { resourceTypes: ['Patient'] }, 'payload resource types differ from the record'],
  [
    'user',
    { userHmac: pseudonym(keys.hmacKey, 'user', 'someone-else') },
    'payload user differs from the record',
  ],
  ['patient', { patientHmac: null }, 'payload patient differs from the record'],
] as const;

const UNOPENED = 'event 4: sealed payload cannot be decrypted and read with its record';

describe('checkRow (format v3: the payload sealed with its record)', () => {
  it('accepts an event whose record, columns and payload agree', () => {
    expect(built.record.v).toBe(3);
    expect(problems(built.record)).toEqual([]);
  });

  it.each(FIELD_CHANGES)(
    'refuses a record whose %s differs from its payload, and names the field',
    (_l, change, problem) => {
      expect(problems({ ...built.record, ...change })).toEqual([UNOPENED, `event 4: ${problem}`]);
    },
  );

  it('refuses a record whose commitment was replaced', () => {
    const payloadCommitment = sha256(Buffer.from('another event'));
    expect(problems({ ...built.record, payloadCommitment })).toEqual([
      UNOPENED,
      'event 4: payload differs from the commitment in the record',
    ]);
  });

  it('refuses a payload sealed for another position', () => {
    const moved = { ...built.record, seq: 5 };
    expect(problemsOf(rowOf(moved))).toEqual([
      'event 5: sealed payload cannot be decrypted and read with its record',
      'event 5: payload differs from the commitment in the record',
    ]);
  });

  it('refuses a record copied with its payload to another place in the log', () => {
    // The payload opens at the row's own place, as v1 and v2 payloads do, not at the one its record names.
    expect(problemsOf({ ...rowOf(built.record), seq: 9 })).toEqual([
      'event 9: indexed columns differ from the signed record',
      'event 9: sealed payload cannot be decrypted and read with its record',
      'event 9: payload differs from the commitment in the record',
    ]);
  });

  it('refuses bytes that were never sealed, with a record that names them', () => {
    const forged = Buffer.alloc(built.sealed.length, 7);
    expect(problemsOf(rowOf({ ...built.record, sealedSha256: sha256(forged) }, undefined, forged))).toEqual([
      UNOPENED,
    ]);
  });

  it('refuses the payload of another event whose record was copied with it', () => {
    // The record of one event over the sealed payload of another: only the commitment differs.
    const record = { ...built.record, sealedSha256: other.record.sealedSha256 };
    expect(problemsOf(rowOf(record, undefined, other.sealed))).toEqual([
      UNOPENED,
      'event 4: payload differs from the commitment in the record',
    ]);
  });

  it('takes what a key holder sealed as it is, and a deep check compares it field by field', () => {
    // A writer's bug: the payload names another user than its record, and was sealed with that record.
    const mistaken = sealedByMistake(keys, built, anotherUser);
    const row = rowOf(mistaken.record, undefined, mistaken.sealed);
    expect(problemsOf(row)).toEqual([]);
    expect(inspectRow(keys, 'ehr', row, true).findings.map((f) => f.problem)).toEqual([
      'event 4: payload user differs from the record',
      'event 4: payload differs from the commitment in the record',
    ]);
    // And the event as written passes the deep check too.
    expect(inspectRow(keys, 'ehr', rowOf(built.record), true).findings).toEqual([]);
  });

  it('compares the time column at full precision', () => {
    expect(problems(built.record, '2026-01-01T00:00:04.000001Z')).toEqual([
      'event 4: indexed columns differ from the signed record',
    ]);
  });
});

describe('checkRow (format v2: the payload sealed with its place, compared field by field)', () => {
  it('accepts an event whose record, columns and payload agree', () => {
    expect(v2Problems(v2.record)).toEqual([]);
  });

  it.each(FIELD_CHANGES)('names a record whose %s differs from its payload', (_l, change, problem) => {
    expect(v2Problems({ ...v2.record, ...change })).toEqual([`event 4: ${problem}`]);
  });

  it('refuses a payload sealed for another position', () => {
    const moved = { ...v2.record, seq: 5 };
    expect(problemsOf(rowOf(moved, undefined, v2.sealed))).toEqual([
      'event 5: sealed payload cannot be decrypted and read',
    ]);
  });

  it('names a payload that agrees on every indexed field but differs elsewhere (the query)', () => {
    const otherV2 = asV2(other.record, other.sealed);
    // The record of one event over the sealed payload of another: only the commitment differs.
    const record = { ...v2.record, sealedSha256: otherV2.record.sealedSha256 };
    expect(problemsOf(rowOf(record, undefined, otherV2.sealed))).toEqual([
      'event 4: payload differs from the commitment in the record',
    ]);
  });

  it('accepts an event sealed before payload format 1 (raw DEFLATE, no dictionary)', () => {
    const aad = eventBodyAad('ehr', 4);
    const json = unpackEventBody(decryptEventBody(keys.encryptionKey, v2.sealed, aad));
    const sealed = encryptEventBody(keys.encryptionKey, deflateRawSync(json, { level: 1 }), aad);
    const record = { ...v2.record, sealedSha256: sha256(sealed) };
    expect(problemsOf(rowOf(record, undefined, sealed))).toEqual([]);
  });

  it('accepts a v1 record (stored before commitments) without one', () => {
    const { payloadCommitment: _c, ...rest } = v2.record;
    expect(v2Problems({ ...rest, v: 1 })).toEqual([]);
  });
});
