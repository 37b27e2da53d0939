import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRecord } from './append-batch';
import { canonicalBytes, type AuditRecord } from './canonical';
import { decryptEventBody, encryptEventBody, eventBodyAad, generateAuditKeys, pseudonym } from './crypto';
import { unpackEventBody } from './event-body';
import { checkRow, type EventRow } from './event-check';
import { leafHash } from './merkle';
import { readInput } from './testing/store-suite-input';

/**
 * A key holder (or a bug) could write a record whose hashes and columns agree
 * with each other but not with the sealed event. The check opens the payload
 * and compares it field by field.
 */
const keys = generateAuditKeys();
const built = buildRecord(readInput('ehr', 4), 4, Buffer.alloc(32, 1), keys, 'https://app.example');

/** An ISO time with microseconds ('...04.000001Z') as the time column holds it: microseconds since 2000. */
function columnMicros(iso: string): number {
  const [, head, micros] = /^(.*\.\d{3})(\d{3})Z$/.exec(iso) ?? [];
  return (Date.parse(`${head}Z`) - Date.UTC(2000, 0, 1)) * 1000 + Number(micros);
}

const hmacColumn = (hex: string | null) => (hex === null ? null : Buffer.from(hex, 'hex'));

/** The row a database would hold for `record` with the real sealed payload. */
function rowOf(record: AuditRecord, recordedColumn?: string): EventRow {
  const bytes = canonicalBytes(record);
  return {
    seq: record.seq,
    action: record.action,
    outcome: record.outcome,
    canonical: bytes,
    sealed: built.sealed,
    recordedMicros: columnMicros(recordedColumn ?? record.recorded.replace('Z', '000Z')),
    userHmac: hmacColumn(record.userHmac),
    patientHmac: hmacColumn(record.patientHmac),
    resourceTypes: record.resourceTypes,
    leafHash: leafHash(bytes),
  };
}

const problems = (record: AuditRecord, recorded?: string) =>
  checkRow(keys, 'ehr', rowOf(record, recorded), built.record.prev).findings.map((f) => f.problem);

describe('checkRow', () => {
  it('accepts an event whose record, columns and payload agree', () => {
    expect(problems(built.record)).toEqual([]);
  });

  it.each([
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
  ] as const)('names a record whose %s differs from its payload', (_l, change, problem) => {
    expect(problems({ ...built.record, ...change })).toEqual([`event 4: ${problem}`]);
  });

  it('compares the time column at full precision', () => {
    expect(problems(built.record, '2026-01-01T00:00:04.000001Z')).toEqual([
      'event 4: indexed columns differ from the signed record',
    ]);
  });

  it('refuses a payload sealed for another position', () => {
    const moved = { ...built.record, seq: 5 };
    expect(checkRow(keys, 'ehr', rowOf(moved), built.record.prev).findings.map((f) => f.problem)).toEqual([
      'event 5: sealed payload cannot be decrypted and read',
    ]);
  });
});

describe('checkRow and the payload commitment (format v2)', () => {
  it('names a payload that agrees on every indexed field but differs elsewhere (the query)', () => {
    const other = buildRecord(
      { ...readInput('ehr', 4), query: 'Observation?patient=someone-else' },
      4,
      Buffer.alloc(32, 1),
      keys,
      'https://app.example',
    );
    // The record of one event over the sealed payload of another: only the commitment differs.
    const record = { ...built.record, sealedSha256: other.record.sealedSha256 };
    const row = { ...rowOf(record), sealed: other.sealed };
    expect(checkRow(keys, 'ehr', row, built.record.prev).findings.map((f) => f.problem)).toEqual([
      'event 4: payload differs from the commitment in the record',
    ]);
  });

  it('accepts an event sealed before payload format 1 (raw DEFLATE, no dictionary)', () => {
    const aad = eventBodyAad('ehr', 4);
    const json = unpackEventBody(decryptEventBody(keys.encryptionKey, built.sealed, aad));
    const sealed = encryptEventBody(keys.encryptionKey, deflateRawSync(json, { level: 1 }), aad);
    const record = { ...built.record, sealedSha256: createHash('sha256').update(sealed).digest('hex') };
    expect(checkRow(keys, 'ehr', { ...rowOf(record), sealed }, built.record.prev).findings).toEqual([]);
  });

  it('accepts a v1 record (stored before commitments) without one', () => {
    const { payloadCommitment: _c, ...rest } = built.record;
    expect(problems({ ...rest, v: 1 })).toEqual([]);
  });
});
