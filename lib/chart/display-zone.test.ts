import { describe, expect, it } from 'vitest';
import { runtimeZone, validZone, zoneForRender } from './display-zone';

describe('the chart time zone a page is rendered in', () => {
  it('is the one the browser named in its cookie, encoded or not', () => {
    expect(zoneForRender('Pacific/Honolulu')).toBe('Pacific/Honolulu');
    expect(zoneForRender(encodeURIComponent('America/Los_Angeles'))).toBe('America/Los_Angeles');
  });

  it("is the server's own when the browser has not said, or named something that is not a zone", () => {
    for (const cookie of [undefined, '', 'Mars/Olympus_Mons', '%E0%A4%A', '<script>', 'x'.repeat(200)])
      expect(zoneForRender(cookie)).toBe(runtimeZone());
  });

  it('accepts only names the runtime knows, as the browser gave them', () => {
    expect(validZone('UTC')).toBe('UTC');
    expect(validZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(validZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(validZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(validZone('Europe/Nowhere')).toBeUndefined();
    expect(validZone('America/New_York; Path=/')).toBeUndefined();
  });
});
