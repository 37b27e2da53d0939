import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LAB_PANELS, labPanel, labShortName } from './lab-panels';
import { mapLabs } from './labs';

const strip = (id: string, code: string, display: string, value: Partial<Observation>): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2020-05-16T21:37:00Z',
  ...value,
});

describe('lab panels', () => {
  it('reviews a test-strip urinalysis as one panel with short names, the reading and its amount apart', () => {
    const model = mapLabs([
      strip('u1', '25428-4', 'Glucose [Presence] in Urine by Test strip', {
        valueCodeableConcept: { text: 'Urine glucose test = ++ (finding)' },
      }),
      strip('u2', '5792-7', 'Glucose [Mass/volume] in Urine by Test strip', {
        valueQuantity: { value: 1.9, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      }),
      strip('u3', '5803-2', 'pH of Urine by Test strip', {
        valueQuantity: { value: 6.28, unit: 'pH', system: 'http://unitsofmeasure.org', code: '[pH]' },
      }),
    ]);
    const byLabel = new Map(model.groups.map((g) => [g.label, g]));
    expect([...byLabel.keys()].sort()).toEqual(['Urine glucose', 'Urine glucose, amount', 'Urine pH']);
    for (const g of model.groups) expect(labPanel(g.loinc)).toBe('urinalysis');
    // The EHR's own name stays available beside the short one.
    expect(byLabel.get('Urine pH')?.fullName).toBe('pH of Urine by Test strip');
    expect(LAB_PANELS.map((p) => p.id)).toContain('urinalysis');
  });

  it('gathers specific IgE results into an allergy panel', () => {
    expect(labPanel('6206-7')).toBe('allergy');
    expect(labShortName('6206-7')).toBe('Peanut IgE');
    expect(LAB_PANELS.find((p) => p.id === 'allergy')?.title).toBe('Allergy (specific IgE)');
  });

  it('leaves a test it does not know under Other, with the EHR name', () => {
    expect(labPanel('1234-5')).toBe('other');
    expect(labShortName('1234-5')).toBeUndefined();
  });

  it('gives tests reviewed on their own their short names, under Other', () => {
    // Synthea's FIT keeps the LOINC long name "Hemoglobin.gastrointestinal [Presence] in Stool by Immunologic method".
    expect(labShortName('57905-2')).toBe('FIT (fecal immunochemical test)');
    expect(labShortName('2857-1')).toBe('PSA');
    expect(labShortName('33762-6')).toBe('NT-proBNP');
    expect(labShortName('14959-1')).toBe('Urine albumin/creatinine ratio');
    for (const code of ['57905-2', '2857-1', '33762-6', '14959-1']) expect(labPanel(code)).toBe('other');
  });
});
