import { describe, expect, it } from 'vitest';
import {
  generateAuditKeys,
  pseudonym,
  encryptEventBody,
  eventBodyAad,
  decryptEventBody,
  readWithoutTag,
  recordAad,
} from './crypto';
import type { AuditRecord } from './canonical';

const keys = generateAuditKeys();

describe('audit crypto', () => {
  it('seals with AES-256-GCM bound to the event position', () => {
    const plain = Buffer.from('Observation?patient=123');
    const sealed = encryptEventBody(keys.encryptionKey, plain, eventBodyAad('epic', 7));
    expect(sealed.includes(plain)).toBe(false);
    expect(decryptEventBody(keys.encryptionKey, sealed, eventBodyAad('epic', 7))).toEqual(plain);
    // Moved to another position, another tenant, a flipped bit or another key: refused.
    expect(() => decryptEventBody(keys.encryptionKey, sealed, eventBodyAad('epic', 8))).toThrow();
    expect(() => decryptEventBody(keys.encryptionKey, sealed, eventBodyAad('cerner', 7))).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    expect(() => decryptEventBody(keys.encryptionKey, flipped, eventBodyAad('epic', 7))).toThrow();
    expect(() =>
      decryptEventBody(generateAuditKeys().encryptionKey, sealed, eventBodyAad('epic', 7)),
    ).toThrow();
  });

  it('binds a format 3 payload to every field of its record', () => {
    const record: Omit<AuditRecord, 'sealedSha256'> = {
      v: 3,
      tenant: 'epic',
      seq: 7,
      recorded: '2026-12-06T07:00:00.000Z',
      action: 'patient-read',
      outcome: '0',
      userHmac: 'a'.repeat(64),
      patientHmac: null,
      resourceTypes: ['Observation', 'Patient'],
      prev: 'b'.repeat(64),
      payloadCommitment: 'c'.repeat(64),
    };
    const plain = Buffer.from('{"resourceType":"AuditEvent"}');
    const sealed = encryptEventBody(keys.encryptionKey, plain, recordAad(record));
    expect(decryptEventBody(keys.encryptionKey, sealed, recordAad({ ...record }))).toEqual(plain);
    for (const change of [
      { tenant: 'cerner' },
      { seq: 8 },
      { recorded: '2026-12-06T07:00:00.001Z' },
      { action: 'patient-query' },
      { outcome: '4' },
      { userHmac: null },
      { patientHmac: 'a'.repeat(64) },
      { resourceTypes: ['Observation'] },
      // Not the same list run together: ["Observation,Patient"] is one name.
      { resourceTypes: ['Observation,Patient'] },
      { prev: '' },
      { payloadCommitment: 'd'.repeat(64) },
    ] as const) {
      expect(() =>
        decryptEventBody(keys.encryptionKey, sealed, recordAad({ ...record, ...change })),
      ).toThrow();
    }
    // Read without its tag (only to name what differs once it failed), the payload is its plaintext.
    expect(readWithoutTag(keys.encryptionKey, sealed)).toEqual(plain);
  });

  it('never seals two events with the same IV, across refills of its block of random bytes', () => {
    const plain = Buffer.from('same text every time');
    const sealed = Array.from({ length: 1500 }, (_, i) =>
      encryptEventBody(keys.encryptionKey, plain, eventBodyAad('epic', i)),
    );
    const ivs = new Set(sealed.map((s) => s.subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(1500);
    expect(ivs.has('00'.repeat(12))).toBe(false);
    // Each sealed value owns its IV: changing one leaves the others and their decryption intact.
    sealed[0]!.fill(0, 0, 12);
    expect(decryptEventBody(keys.encryptionKey, sealed[1]!, eventBodyAad('epic', 1))).toEqual(plain);
    expect(decryptEventBody(keys.encryptionKey, sealed[1499]!, eventBodyAad('epic', 1499))).toEqual(plain);
  });

  it('pseudonymises with a keyed HMAC separated by domain', () => {
    const a = pseudonym(keys.hmacKey, 'patient', 'https://ehr/Patient/1');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonym(keys.hmacKey, 'patient', 'https://ehr/Patient/1')).toBe(a);
    expect(pseudonym(keys.hmacKey, 'user', 'https://ehr/Patient/1')).not.toBe(a);
    expect(pseudonym(generateAuditKeys().hmacKey, 'patient', 'https://ehr/Patient/1')).not.toBe(a);
    expect(() => pseudonym(Buffer.alloc(16).toString('base64'), 'user', 'x')).toThrow(/32 bytes/);
  });
});
