import { describe, expect, it } from 'vitest';
import type { Identifier } from '@medplum/fhirtypes';
import { pickMrn } from '../../chart/patient';
import { VENDORS } from '../types';
import { mrnRules } from '.';

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const mr = (value: string): Identifier => ({ type: { coding: [{ system: V2, code: 'MR' }] }, value });
const text = (t: string, value: string): Identifier => ({ type: { text: t }, value });

describe('MRN rules', () => {
  it.each(VENDORS)('%s reads the standard MR-typed identifier first', (vendor) => {
    const rules = mrnRules(vendor);
    expect(rules[0]).toEqual({ kind: 'type-code', code: 'MR' });
    expect(pickMrn([text('EPI', '111'), mr('222')], rules)).toBe('222');
  });

  it("Epic's own rules add to the standard: text MRN, then EPI, when no MR type is present", () => {
    const rules = mrnRules('epic');
    expect(pickMrn([text('EPI', '111'), text('MRN', '333')], rules)).toBe('333');
    expect(pickMrn([text('EPI', '111')], rules)).toBe('111');
    expect(pickMrn([text('EPI', '111')], mrnRules('cerner'))).toBeUndefined();
  });
});
