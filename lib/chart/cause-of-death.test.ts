import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapCauseOfDeath } from './cause-of-death';

const cause = (text: string, over: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '69453-9' }] },
  effectiveDateTime: '2020-11-27T07:21:10Z',
  valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '1', display: text }] },
  ...over,
});

describe('cause of death', () => {
  it("reads the certificate's cause as Synthea records it, without SNOMED's semantic tag", () => {
    expect(mapCauseOfDeath([cause('Secondary malignant neoplasm of colon (disorder)')])).toEqual({
      causes: ['Secondary malignant neoplasm of colon'],
      preliminary: false,
    });
  });

  it('is undefined when nothing usable is recorded: no cause is ever made up', () => {
    expect(mapCauseOfDeath([])).toBeUndefined();
    expect(mapCauseOfDeath([cause('Stroke', { status: 'entered-in-error' })])).toBeUndefined();
    expect(
      mapCauseOfDeath([
        cause('Stroke', { code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }),
      ]),
    ).toBeUndefined();
    // The right code in another system is not LOINC's.
    expect(
      mapCauseOfDeath([cause('Stroke', { code: { coding: [{ system: 'urn:local', code: '69453-9' }] } })]),
    ).toBeUndefined();
    expect(mapCauseOfDeath([cause('Stroke', { valueCodeableConcept: undefined })])).toBeUndefined();
  });

  it("orders the certificate's numbered lines, the immediate cause first, and names each cause once", () => {
    const line = (n: number) => ({ component: [{ code: { text: 'line' }, valueInteger: n }] });
    expect(
      mapCauseOfDeath([
        cause('Coronary artery disease', line(2)),
        cause('Cardiac arrest', line(1)),
        cause('cardiac arrest', { ...line(1), effectiveDateTime: '2020-11-28T00:00:00Z' }),
        cause('Diabetes mellitus', line(3)),
      ])?.causes,
    ).toEqual(['Cardiac arrest', 'Coronary artery disease', 'Diabetes mellitus']);
  });

  it('takes a free-text cause, and a preliminary one only when nothing final is recorded, saying so', () => {
    const text = cause('', { valueCodeableConcept: undefined, valueString: ' Pneumonia ' });
    expect(mapCauseOfDeath([text])).toEqual({ causes: ['Pneumonia'], preliminary: false });
    const early = cause('Sepsis', { status: 'preliminary' });
    expect(mapCauseOfDeath([early])).toEqual({ causes: ['Sepsis'], preliminary: true });
    expect(mapCauseOfDeath([early, cause('Pneumonia')])).toEqual({
      causes: ['Pneumonia'],
      preliminary: false,
    });
  });
});
