import { describe, expect, it } from 'vitest';
import { chartAudience } from './audience';

describe('chartAudience', () => {
  it('gives a patient standalone launch the patient view, whoever fhirUser names', () => {
    expect(chartAudience(undefined, 'patient')).toBe('patient');
    expect(chartAudience('https://ehr.example/fhir/Practitioner/1', 'patient')).toBe('patient');
  });

  it('gives a user who is a Patient the patient view, in any launch mode', () => {
    expect(chartAudience('https://ehr.example/fhir/Patient/abc-1', 'ehr')).toBe('patient');
    expect(chartAudience('Patient/abc-1', undefined)).toBe('patient');
  });

  it('keeps the clinician view for practitioners and unknown users', () => {
    expect(chartAudience('https://ehr.example/fhir/Practitioner/7', 'ehr')).toBe('clinician');
    expect(chartAudience('https://ehr.example/fhir/PractitionerRole/7', 'provider')).toBe('clinician');
    expect(chartAudience(undefined, 'ehr')).toBe('clinician');
    expect(chartAudience('https://ehr.example/fhir/Patient/1/_history/2', 'ehr')).toBe('clinician');
  });

  it('does not take a Patient named inside another path segment for a patient user', () => {
    expect(chartAudience('https://ehr.example/Patient/fhir/RelatedPerson/9', 'ehr')).toBe('clinician');
  });
});
