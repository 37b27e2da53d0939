import { describe, expect, it } from 'vitest';
import { formatAge, monthsSpan, wholeAgeSpan } from './age';

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

describe('the ages a birth date allows', () => {
  it('gives one age for a full birth date, the youngest and oldest for a year or a month', () => {
    const at = new Date('2024-03-01T12:00:00Z');
    expect(monthsSpan('2006-01-15', at)).toEqual({ youngest: 217, oldest: 217 });
    // Born on any day of 2006: from 17 years 2 months (December 31) to 18 years 2 months (January 1).
    expect(monthsSpan('2006', at)).toEqual({ youngest: 206, oldest: 218 });
    // Born in February 2006: 18 years and 0 or 1 month.
    expect(monthsSpan('2006-02', at)).toEqual({ youngest: 216, oldest: 217 });
    expect(wholeAgeSpan('2024-02', at)).toEqual({
      youngest: { days: 1, months: 0 },
      oldest: { days: 29, months: 1 },
    });
  });

  it('never makes a patient younger than the day of the reading, nor ages one before birth', () => {
    const at = new Date('2023-12-20T10:00:00Z');
    // Born in 2023 and seen on December 20: born by then, so a newborn at the youngest.
    expect(wholeAgeSpan('2023', at)).toEqual({
      youngest: { days: 0, months: 0 },
      oldest: { days: 353, months: 11 },
    });
    expect(monthsSpan('2024', at)).toBeUndefined();
    expect(monthsSpan(undefined, at)).toBeUndefined();
    expect(monthsSpan('not a date', at)).toBeUndefined();
  });
});
