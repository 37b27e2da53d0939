import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

const now = new Date('2025-03-15T12:00:00Z');

describe('formatAge', () => {
  it('uses days, months and years by age', () => {
    expect(formatAge('2025-03-15', now)).toBe('0 days');
    expect(formatAge('2025-03-01', now)).toBe('14 days');
    expect(formatAge('2025-02-15', now)).toBe('1 month');
    expect(formatAge('2023-03-16', now)).toBe('23 months');
    expect(formatAge('2023-03-15', now)).toBe('2 years');
    expect(formatAge('1950-07-04', now)).toBe('74 years');
  });

  it("gives a growth reading's age in years and months", () => {
    const withMonths = { withMonths: true };
    expect(formatAge('2015-08-11', new Date('2020-12-19T11:09:14Z'), withMonths)).toBe('5 years 4 months');
    expect(formatAge('2015-08-11', new Date('2021-04-19T11:09:14Z'), withMonths)).toBe('5 years 8 months');
    expect(formatAge('2015-08-11', new Date('2020-09-11T00:00:00Z'), withMonths)).toBe('5 years 1 month');
    expect(formatAge('2015-08-11', new Date('2020-08-11T00:00:00Z'), withMonths)).toBe('5 years');
    expect(formatAge('2023-03-16', now, withMonths)).toBe('23 months');
    // The banner keeps whole years.
    expect(formatAge('2015-08-11', new Date('2020-12-19T11:09:14Z'))).toBe('5 years');
  });

  it('handles partial and bad dates', () => {
    expect(formatAge('1980', now)).toBe('45 years');
    expect(formatAge('2030-01-01', now)).toBeUndefined();
    expect(formatAge('not a date', now)).toBeUndefined();
    expect(formatAge(undefined, now)).toBeUndefined();
  });
});
