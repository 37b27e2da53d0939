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

describe('the name a banner shows', () => {
  const nameOf = (name: Patient['name']) =>
    summarizePatient({ resourceType: 'Patient', id: 'a', name }, [], now).name;

  it('keeps a suffix that tells a father from a son, and leaves out prefixes', () => {
    expect(
      nameOf([
        { use: 'official', family: 'Smith', given: ['John', 'Paul'], suffix: ['Jr.'], prefix: ['Mr.'] },
      ]),
    ).toBe('Smith, John Paul Jr.');
    // Oracle Health's recorded patient: the suffix is a part of its own.
    expect(
      nameOf([
        {
          use: 'official',
          text: 'SMARTS SR., NANCYS II',
          family: 'SMARTS',
          given: ['NANCYS', 'II'],
          suffix: ['SR.'],
        },
      ]),
    ).toBe('SMARTS, NANCYS II SR.');
    expect(nameOf([{ family: 'Lee', suffix: ['III'] }])).toBe('Lee III');
  });

  it('takes a name in use now before one whose period ended, and a maiden name last', () => {
    expect(
      nameOf([
        { use: 'official', family: 'Jones', given: ['Mary'], period: { end: '2010-06-01' } },
        { use: 'usual', family: 'Smith', given: ['Mary'] },
      ]),
    ).toBe('Smith, Mary');
    expect(
      nameOf([
        { use: 'maiden', family: 'Jones', given: ['Mary'] },
        { family: 'Smith', given: ['Mary'] },
      ]),
    ).toBe('Smith, Mary');
    expect(
      nameOf([
        { use: 'nickname', given: ['Molly'] },
        { use: 'usual', family: 'Smith', given: ['Mary'] },
      ]),
    ).toBe('Smith, Mary');
    // Only an old name: still a name.
    expect(nameOf([{ use: 'old', family: 'Jones', given: ['Mary'] }])).toBe('Jones, Mary');
    // Every name ended: the official one.
    expect(
      nameOf([
        { use: 'usual', family: 'A', period: { end: '2001-01-01' } },
        { use: 'official', family: 'B', period: { end: '2002-01-01' } },
      ]),
    ).toBe('B');
  });
});

describe('birth sex', () => {
  const birthSex = (valueCode: string) => ({
    url: 'http://hl7.org/fhir/us-core/StructureDefinition/us-core-birthsex',
    valueCode,
  });
  it('is read from US Core when it says female or male', () => {
    const p = (code: string): Patient => ({
      resourceType: 'Patient',
      id: 'a',
      gender: 'male',
      extension: [birthSex(code)],
    });
    expect(summarizePatient(p('F'), [], now)).toMatchObject({ gender: 'male', birthSex: 'female' });
    expect(summarizePatient(p('M'), [], now).birthSex).toBe('male');
    expect(summarizePatient(p('UNK'), [], now).birthSex).toBeUndefined();
    expect(summarizePatient({ resourceType: 'Patient', id: 'a' }, [], now).birthSex).toBeUndefined();
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
