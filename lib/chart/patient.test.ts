import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { pickMrn, summarizePatient } from './patient';

const MR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };
const now = new Date('2025-01-01T00:00:00Z');

describe('summarizePatient', () => {
  it('uses the current official name, "Family, Given Middle", and deceased dateTime', () => {
    const p: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [
        { use: 'official', family: 'Medlock', given: ['John'], period: { end: '2021-10-06' } },
        { use: 'official', family: 'Medlock', given: ['Jake', 'Q'], period: { start: '2021-10-06' } },
        { use: 'nickname', given: ['J'] },
      ],
      gender: 'male',
      birthDate: '1950-01-02',
      deceasedDateTime: '2024-05-01T10:00:00Z',
      identifier: [{ type: MR, value: '12345' }],
    };
    expect(summarizePatient(p, [{ kind: 'type-code', code: 'MR' }], now)).toEqual({
      id: 'p1',
      name: 'Medlock, Jake Q',
      gender: 'male',
      birthDate: '1950-01-02',
      mrn: '12345',
      deceased: true,
      deceasedDateTime: '2024-05-01T10:00:00Z',
    });
  });

  it('falls back to usual, to text, then Unknown; deceasedBoolean', () => {
    expect(
      summarizePatient(
        { resourceType: 'Patient', id: 'a', name: [{ use: 'usual', family: 'Lin', given: ['Derrick'] }] },
        [],
      ).name,
    ).toBe('Lin, Derrick');
    expect(
      summarizePatient({ resourceType: 'Patient', id: 'a', name: [{ text: 'Baby Girl Smith' }] }, []).name,
    ).toBe('Baby Girl Smith');
    const s = summarizePatient({ resourceType: 'Patient', id: 'a', deceasedBoolean: true }, []);
    expect(s).toMatchObject({ name: 'Unknown', deceased: true });
    expect(s.mrn).toBeUndefined();
  });
});

describe('pickMrn', () => {
  it('prefers a current identifier whose type says MRN, never an old one', () => {
    const ids = [
      { use: 'old' as const, type: { ...MR, text: 'MRN' }, value: 'OLD' },
      { type: { ...MR, text: 'Community Medical Record Number' }, value: 'CMRN' },
      { type: { ...MR, text: 'MRN' }, value: 'EXPIRED', period: { end: '2021-01-01' } },
      { type: { ...MR, text: 'MRN' }, value: 'CURRENT', period: { start: '2019-01-01' } },
    ];
    expect(pickMrn(ids, [{ kind: 'type-code', code: 'MR' }], now)).toBe('CURRENT');
  });

  it('tries rules in order and trims values', () => {
    const ids = [
      { type: { text: 'EXTERNAL' }, value: 'Z1' },
      { type: { text: 'EPI' }, value: ' 2037 ' },
      { system: 'urn:x', value: 'S1' },
    ];
    expect(
      pickMrn(
        ids,
        [
          { kind: 'type-text', text: 'MRN' },
          { kind: 'type-text', text: 'EPI' },
        ],
        now,
      ),
    ).toBe('2037');
    expect(pickMrn(ids, [{ kind: 'system', system: 'urn:x' }], now)).toBe('S1');
    expect(pickMrn(ids, [{ kind: 'type-code', code: 'MR' }], now)).toBeUndefined();
  });
});
