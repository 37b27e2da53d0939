import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from './audit-event';
import { canonicalJson } from './canonical';
import { packEventBody, unpackEventBody } from './event-body';
import { readInput } from './testing/store-suite-input';

const json = canonicalJson(
  buildAuditEvent(readInput('ehr', 12), new Date(Date.UTC(2026, 0, 1)), { appId: 'https://app.example' }),
);

/** An event's canonical JSON sealed in format 1, as the store wrote payloads before format 2, and its SHA-256. */
const FORMAT_1_PAYLOAD = [
  '/wHt10sOgjAUQNGtsAGQNjHCwJE6cECMhMhnVgQFNWIERXTzBpvGFuqPCURYQgt9757bK0lR5dZYHNHLN78BfpxQaOl50VIcDPDC',
  '4KY7UBWpDyQgyxLMtwH+KiUvfozZ8WTBfD3PP4dVFsgPQEx9V3CPURq/xRm5J3Q4kIh7HrPJLHm+BOoZlWYUGUO8Y9YgtkJQPGZS',
  'M7HWaYajGVFRAMTTopCK7OZqA2dEchPfUWSezMbrixY6G9vSdw5UM98AEFl64I7AFZneaZk5KxuqwN3PVc2YDttEEybRikAp2q9U',
  'BrhS6TgwA5QIKYoFFG99T1hFTDrx2wNToRKeHv/C//upU0BVBfDXb6cB0uv8F1m7Bu4=',
].join('');
const FORMAT_1_SHA256 = 'd6434ad019652373c8a0876802858390da486318d4e9073a7c08017973ba8c54';

describe('sealed payload format', () => {
  it('reads back the exact canonical bytes it packed', () => {
    expect(unpackEventBody(packEventBody(json)).toString('utf8')).toBe(json);
  });

  it('still reads payloads stored before format 1 (raw DEFLATE)', () => {
    for (const level of [1, 6, 9])
      expect(unpackEventBody(deflateRawSync(json, { level })).toString('utf8')).toBe(json);
  });

  it('still reads payloads stored in format 1', () => {
    const stored = Buffer.from(FORMAT_1_PAYLOAD, 'base64');
    expect([...stored.subarray(0, 2)]).toEqual([0xff, 0x01]);
    const event = JSON.parse(unpackEventBody(stored).toString('utf8')) as AuditEvent;
    expect(event).toMatchObject({ resourceType: 'AuditEvent', action: 'R', source: { site: 'ehr' } });
    expect(createHash('sha256').update(unpackEventBody(stored)).digest('hex')).toBe(FORMAT_1_SHA256);
  });

  it('marks format 2 with a first byte no raw DEFLATE stream starts with', () => {
    expect([...packEventBody(json).subarray(0, 2)]).toEqual([0xff, 0x02]);
    for (const text of [json, '', 'x', json.repeat(20)])
      for (const level of [0, 1, 6, 9])
        expect((deflateRawSync(text, { level })[0] as number) & 0b110).not.toBe(0b110);
  });

  it('stores a typical event in much less room than raw DEFLATE, and in less than format 1 did', () => {
    const packed = packEventBody(json).length;
    expect(packed).toBeLessThan(deflateRawSync(json, { level: 1 }).length / 3);
    expect(packed).toBeLessThan(Buffer.from(FORMAT_1_PAYLOAD, 'base64').length);
  });

  it('refuses an unknown format and damaged data', () => {
    const packed = packEventBody(json);
    expect(() => unpackEventBody(Buffer.concat([Buffer.from([0xff, 0x03]), packed.subarray(2)]))).toThrow(
      /unknown audit payload format/,
    );
    expect(() => unpackEventBody(packed.subarray(0, packed.length - 4))).toThrow();
  });
});
