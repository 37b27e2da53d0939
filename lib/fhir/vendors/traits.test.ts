import { describe, expect, it } from 'vitest';
import { FhirRequestError } from '../errors';
import { VENDORS } from '../types';
import { conditionSearch, isNotOffered, observationSearch, VENDOR_TRAITS } from '.';

const input = { patientId: 'p-1', since: '2025-01-01', order: 'newest-first' as const, pageSize: 10_000 };
const param = (params: readonly (readonly [string, string])[], name: string) =>
  params.filter(([k]) => k === name).map(([, v]) => v);

describe('the vendor traits table, read by one implementation', () => {
  it.each(VENDORS)(
    '%s: Observation searches name the category, sort only where sorted, stay within the page limit',
    (vendor) => {
      const { params } = observationSearch(vendor, 'laboratory', input);
      expect(param(params, 'category')).toEqual(['laboratory']);
      expect(param(params, '_sort')).toEqual(VENDOR_TRAITS[vendor].sortsByDate ? ['-date'] : []);
      expect(param(params, '_count')).toEqual([String(VENDOR_TRAITS[vendor].pageSize.max)]);
      expect(param(conditionSearch(vendor, { patientId: 'p-1' }).params, '_count')).toEqual([
        String(VENDOR_TRAITS[vendor].pageSize.default),
      ]);
    },
  );

  it('reads a 400 on a category search as "not offered" only where the vendor requires categories', () => {
    const plan = observationSearch('epic', 'laboratory', input);
    const bad = new FhirRequestError({ kind: 'http', status: 400 });
    expect(isNotOffered('epic', bad, plan)).toBe(true);
    expect(isNotOffered('nextgen', bad, plan)).toBe(true);
    expect(isNotOffered('generic', bad, plan)).toBe(false);
    expect(isNotOffered('epic', new FhirRequestError({ kind: 'http', status: 500 }), plan)).toBe(false);
    expect(isNotOffered('epic', bad, conditionSearch('epic', { patientId: 'p-1' }))).toBe(false);
  });
});
