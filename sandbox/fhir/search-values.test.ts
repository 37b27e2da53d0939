import { describe, expect, it } from 'vitest';
import { dateMatches, dateRange, parseDateSearch, tokenMatches } from './search-values';

function matches(target: string, search: string): boolean {
  const range = dateRange(target);
  const parsed = parseDateSearch(search);
  if (!range || !parsed) {
    throw new Error('unparseable');
  }
  return dateMatches(range, parsed.prefix, parsed.range);
}

describe('date search', () => {
  it('covers a range by precision', () => {
    expect(dateRange('2024')).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1)]);
    expect(dateRange('2024-02')).toEqual([Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
    expect(dateRange('not a date')).toBeUndefined();
  });

  it('applies prefixes', () => {
    expect(matches('2024-03-05T10:00:00Z', 'ge2024-03-05')).toBe(true);
    expect(matches('2024-03-04T23:59:59Z', 'ge2024-03-05')).toBe(false);
    expect(matches('2024-03-05T10:00:00Z', 'lt2024-03-05')).toBe(false);
    expect(matches('2024-03-04T10:00:00Z', 'lt2024-03-05')).toBe(true);
    expect(matches('2024-03-05T10:00:00Z', '2024-03')).toBe(true);
    expect(matches('2024-03-05T10:00:00Z', 'gt2024-03-05')).toBe(false);
    expect(matches('2024-03-06T00:00:00Z', 'gt2024-03-05')).toBe(true);
    expect(matches('2024-03-05T10:00:00Z', 'le2024-03-05')).toBe(true);
    expect(matches('2024-03-05T10:00:00Z', 'ne2024-03-05')).toBe(false);
  });
});

describe('token search', () => {
  const coding = { system: 'http://loinc.org', code: '8867-4', text: 'Heart rate' };
  it('matches code, system|code, system| and :text', () => {
    expect(tokenMatches(coding, '8867-4', undefined)).toBe(true);
    expect(tokenMatches(coding, 'http://loinc.org|8867-4', undefined)).toBe(true);
    expect(tokenMatches(coding, 'http://snomed.info/sct|8867-4', undefined)).toBe(false);
    expect(tokenMatches(coding, 'http://loinc.org|', undefined)).toBe(true);
    expect(tokenMatches(coding, '|8867-4', undefined)).toBe(false);
    expect(tokenMatches(coding, 'heart', 'text')).toBe(true);
  });
});
