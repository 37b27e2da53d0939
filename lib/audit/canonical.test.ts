import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from './audit-event';
import { canonicalBytes, canonicalJson, parseRecord, type AuditRecord } from './canonical';
import { readInput } from './testing/store-suite-input';

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

  it('gives the same text as the reference JCS implementation', () => {
    const values: unknown[] = [
      {
        z: [
          undefined,
          null,
          true,
          'x\u2028"\\',
          { y: undefined, '\u00e9': 1, e: 2, E: 3, '\ud83d\ude00': 4 },
        ],
      },
      [1e-7, 123456789012345680000, -1.5, 0, 5e-324, Number.MAX_SAFE_INTEGER],
      { when: new Date(Date.UTC(2026, 0, 2)), nested: { b: [], a: {} } },
      { b: 1, '10': 2, '9': [{ '2': 'x', '1': 'y' }], a: { c: 1, b: 2 } },
      JSON.parse('{"__proto__": {"b": 1, "a": 2}, "x": 1}'),
      // Names in reverse and shuffled order, prefixes of each other, on both sides of the 16 sorted by insertion.
      Object.fromEntries(['ab', 'a', 'aa', 'b', '', 'B', '\uffff', '\ud800x'].map((k, i) => [k, i])),
      Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${15 - i}`, i])),
      Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`n${(i * 7) % 40}`, { [`z${i}`]: 1, [`a${i}`]: 2 }]),
      ),
      record,
      ...[0, 1, 4, 6].map((i) =>
        buildAuditEvent(readInput('epic', i), new Date(Date.UTC(2026, 0, 1)), { appId: 'app' }),
      ),
      'text',
      42,
      null,
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(canonicalize(v));
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
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
