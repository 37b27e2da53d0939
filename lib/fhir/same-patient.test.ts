import type { Condition, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { anotherPatientTest } from './same-patient';

const obs = (reference?: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'x' },
  ...(reference === undefined ? {} : { subject: { reference } }),
  ...extra,
});

describe('a resource naming another patient', () => {
  const other = anotherPatientTest('eAB3.mDIB-1');

  it("is not this patient's: another id, another type, another uuid", () => {
    for (const ref of [
      'Patient/eAB3.mDIB-2',
      'https://ehr.example/fhir/Patient/eAB3.mDIB-2',
      'Patient/eAB3.mDIB-2/_history/3',
      'Patient/EAB3.MDIB-1',
      'Group/eAB3.mDIB-1',
      'urn:uuid:24f613b9-5694-4436-b781-bc0276867ac2',
      ' Patient/x ',
    ])
      expect(other(obs(ref)), ref).toBe(true);
    const condition: Condition = { resourceType: 'Condition', subject: { reference: 'Patient/p2' } };
    expect(other(condition)).toBe(true);
  });

  it('is this patient, however the reference is written', () => {
    for (const ref of [
      'Patient/eAB3.mDIB-1',
      'https://ehr.example/fhir/Patient/eAB3.mDIB-1',
      'Patient/eAB3.mDIB-1/_history/3',
      'Patient/eAB3%2EmDIB-1',
      ' Patient/eAB3.mDIB-1 ',
    ])
      expect(other(obs(ref)), ref).toBe(false);
    expect(anotherPatientTest('24f613b9-5694')(obs('urn:uuid:24f613b9-5694'))).toBe(false);
  });

  it('cannot be told, and is kept, when the reference says nothing comparable', () => {
    expect(other(obs())).toBe(false);
    expect(other(obs(undefined, { subject: { display: 'Someone' } }))).toBe(false);
    expect(other(obs(undefined, { subject: { identifier: { value: 'MRN-2' } } }))).toBe(false);
    expect(other(obs('#contained-patient'))).toBe(false);
    expect(other(obs('eAB3.mDIB-2'))).toBe(false);
    // A Patient names no patient; nor does anything when the search is not one patient's.
    expect(other({ resourceType: 'Patient', id: 'p2' })).toBe(false);
    expect(anotherPatientTest('')(obs('Patient/p2'))).toBe(false);
  });
});
