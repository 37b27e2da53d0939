import { describe, expect, it } from 'vitest';
import { isAfterDeath } from './after-death';

describe('isAfterDeath', () => {
  it('compares instants when both have a time', () => {
    expect(isAfterDeath('2005-09-01T14:50:44+00:00', '2005-02-20T14:50:44+00:00')).toBe(true);
    expect(isAfterDeath('2005-02-20T14:50:43+00:00', '2005-02-20T14:50:44+00:00')).toBe(false);
    // The same instant written in two zones.
    expect(isAfterDeath('2005-02-20T10:00:00-05:00', '2005-02-20T15:00:00Z')).toBe(false);
    expect(isAfterDeath('2005-02-20T10:00:01-05:00', '2005-02-20T15:00:00Z')).toBe(true);
  });

  it('counts a day, month or year known only as such as a whole', () => {
    expect(isAfterDeath('2005-02-20T23:00:00Z', '2005-02-20')).toBe(false);
    expect(isAfterDeath('2005-02-21T00:10:00Z', '2005-02-20')).toBe(true);
    expect(isAfterDeath('2005-02-20', '2005-02-20T08:00:00Z')).toBe(false);
    expect(isAfterDeath('2005-03', '2005-02-20')).toBe(true);
    expect(isAfterDeath('2005-02', '2005-02-20')).toBe(false);
    expect(isAfterDeath('2006', '2005-02-20')).toBe(true);
  });

  it('never calls a reading after an unknown or unreadable death', () => {
    expect(isAfterDeath('2005-09-01T00:00:00Z', undefined)).toBe(false);
    expect(isAfterDeath('2005-09-01T00:00:00Z', 'unknown')).toBe(false);
    expect(isAfterDeath('garbage', '2005-02-20')).toBe(false);
  });
});
