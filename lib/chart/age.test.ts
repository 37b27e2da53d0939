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

  it('handles partial and bad dates', () => {
    expect(formatAge('1980', now)).toBe('45 years');
    expect(formatAge('2030-01-01', now)).toBeUndefined();
    expect(formatAge('not a date', now)).toBeUndefined();
    expect(formatAge(undefined, now)).toBeUndefined();
  });
});
