import { describe, expect, it } from 'vitest';
import { canonicalBytes, parseRecord, type AuditRecord } from './canonical';

const record: AuditRecord = {
  v: 1,
  tenant: 'epic',
  seq: 3,
  recorded: '2026-01-01T00:00:00.000Z',
  action: 'patient-read',
  outcome: '0',
  userHmac: 'a'.repeat(64),
  patientHmac: null,
  resourceTypes: ['Observation'],
  prev: 'b'.repeat(64),
  sealedSha256: 'c'.repeat(64),
};

describe('RFC 8785 canonical records', () => {
  it('sorts keys and formats numbers as JCS requires', () => {
    expect(canonicalBytes({ b: 1, a: [2, 1e21, 0.1, -0], c: 'é' }).toString()).toBe(
      '{"a":[2,1e+21,0.1,0],"b":1,"c":"é"}',
    );
  });

  it('round-trips a record and rejects anything else', () => {
    const bytes = canonicalBytes(record);
    expect(parseRecord(bytes)).toEqual(record);
    expect(() => parseRecord(Buffer.from(JSON.stringify(record, null, 1)))).toThrow(/canonical/);
    expect(() => parseRecord(canonicalBytes({ ...record, outcome: '3' }))).toThrow(/not an audit record/);
    expect(() => parseRecord(canonicalBytes({ ...record, action: 'delete-everything' }))).toThrow(
      /not an audit record/,
    );
    expect(() => parseRecord(canonicalBytes({ ...record, userHmac: 'Patient/1' }))).toThrow(
      /not an audit record/,
    );
  });
});
