import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from './audit-event';
import { canonicalJson } from './canonical';
import { packEventBody, unpackEventBody } from './event-body';
import { readInput } from './testing/store-suite-input';

const json = canonicalJson(
  buildAuditEvent(readInput('ehr', 12), new Date(Date.UTC(2026, 0, 1)), { appId: 'https://app.example' }),
);

describe('sealed payload format', () => {
  it('reads back the exact canonical bytes it packed', () => {
    expect(unpackEventBody(packEventBody(json)).toString('utf8')).toBe(json);
  });

  it('still reads payloads stored before format 1 (raw DEFLATE)', () => {
    for (const level of [1, 6, 9])
      expect(unpackEventBody(deflateRawSync(json, { level })).toString('utf8')).toBe(json);
  });

  it('marks format 1 with a first byte no raw DEFLATE stream starts with', () => {
    expect([...packEventBody(json).subarray(0, 2)]).toEqual([0xff, 0x01]);
    for (const text of [json, '', 'x', json.repeat(20)])
      for (const level of [0, 1, 6, 9])
        expect((deflateRawSync(text, { level })[0] as number) & 0b110).not.toBe(0b110);
  });

  it('stores a typical event in much less room than raw DEFLATE', () => {
    const packed = packEventBody(json).length;
    expect(packed).toBeLessThan(deflateRawSync(json, { level: 1 }).length / 3);
  });

  it('refuses an unknown format and damaged data', () => {
    const packed = packEventBody(json);
    expect(() => unpackEventBody(Buffer.concat([Buffer.from([0xff, 0x02]), packed.subarray(2)]))).toThrow(
      /unknown audit payload format/,
    );
    expect(() => unpackEventBody(packed.subarray(0, packed.length - 4))).toThrow();
  });
});
