import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../fhir/http';
import { ehrConcurrency, type EhrRegistration } from './registrations';

const reg = (maxConcurrency?: number) =>
  ({
    id: 'x',
    issuer: 'https://ehr.example/fhir',
    ...(maxConcurrency ? { maxConcurrency } : {}),
  }) as EhrRegistration;

describe("each instance's share of an EHR's concurrency limit", () => {
  it('is the whole limit on one instance', () => {
    expect(ehrConcurrency(reg(8), 1)).toBe(8);
    expect(ehrConcurrency(reg(), 1)).toBe(DEFAULTS.maxConcurrency);
  });

  it('divides the limit among the instances, rounding down so the pool stays within it', () => {
    expect(ehrConcurrency(reg(8), 3)).toBe(2);
    expect(3 * ehrConcurrency(reg(8), 3)).toBeLessThanOrEqual(8);
    expect(ehrConcurrency(reg(12), 4)).toBe(3);
  });

  it('never falls below one request at a time', () => {
    expect(ehrConcurrency(reg(2), 5)).toBe(1);
  });
});
