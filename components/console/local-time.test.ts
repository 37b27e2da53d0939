import { describe, expect, it } from 'vitest';
import { formatLocal } from './local-time';

describe('formatLocal', () => {
  it('shows an instant in the given time zone with the zone named', () => {
    const text = formatLocal('2025-07-04T16:05:09.000Z', 'America/New_York') ?? '';
    expect(text).toMatch(/12:05:09/);
    expect(text).toMatch(/EDT|GMT-4/);
    expect(text).toMatch(/2025/);
  });

  it('leaves a value that is not a time alone', () => {
    expect(formatLocal('not a time')).toBeUndefined();
  });
});
