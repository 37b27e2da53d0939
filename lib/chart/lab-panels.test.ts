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

  it('lists the tests of a panel in report order, abnormal latest results first, unplaced tests after by name', () => {
    const lab = (id: string, code: string, display: string, value: number, unit: string, high?: number) =>
      strip(id, code, display, {
        valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
        ...(high === undefined ? {} : { referenceRange: [{ high: { value: high, unit, code: unit } }] }),
      });
    const names = (model: ReturnType<typeof mapLabs>, panel: string) =>
      model.groups.filter((g) => labPanel(g.loinc) === panel).map((g) => g.label);
    const observations = [
      lab('c1', '777-3', 'Platelets [#/volume] in Blood by Automated count', 250, '10*3/uL'),
      lab('c2', '4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', 41, '%'),
      lab('c3', '718-7', 'Hemoglobin [Mass/volume] in Blood', 13.5, 'g/dL'),
      lab('c4', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count', 6.1, '10*3/uL'),
      lab('m1', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 139, 'mmol/L'),
      lab('m2', '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 0.9, 'mg/dL'),
      lab('m3', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 92, 'mg/dL'),
      lab(
        'm4',
        '1742-6',
        'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        20,
        'U/L',
      ),
      lab(
        'm5',
        '1920-8',
        'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        22,
        'U/L',
      ),
      lab('l1', '2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 55, 'mg/dL'),
      lab('l2', '2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 120, 'mg/dL'),
      lab('l3', '2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 180, 'mg/dL'),
      lab('o1', '2857-1', 'Prostate specific Ag [Mass/volume] in Serum or Plasma', 1.2, 'ng/mL'),
      lab('o2', '1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 3, 'mg/L'),
    ];
    const plain = mapLabs(observations);
    // Alphabetically this would be Hematocrit, Hemoglobin, Platelets, WBC.
    expect(names(plain, 'cbc')).toEqual(['WBC', 'Hemoglobin', 'Hematocrit', 'Platelets']);
    expect(names(plain, 'metabolic')).toEqual(['Glucose', 'Creatinine', 'Sodium', 'AST', 'ALT']);
    expect(names(plain, 'lipids')).toEqual(['Total cholesterol', 'Triglycerides', 'HDL cholesterol']);
    // "Other" has no report order of its own: by name.
    expect(names(plain, 'other')).toEqual(['C reactive protein [Mass/volume] in Serum or Plasma', 'PSA']);
    // A platelet count above its range and a high ALT come first in their panels; the rest keep their order.
    const flagged = mapLabs(
      observations.map((o) =>
        o.id === 'c1'
          ? lab('c1', '777-3', 'Platelets', 620, '10*3/uL', 400)
          : o.id === 'm4'
            ? lab('m4', '1742-6', 'ALT', 90, 'U/L', 40)
            : o,
      ),
    );
    expect(names(flagged, 'cbc')).toEqual(['Platelets', 'WBC', 'Hemoglobin', 'Hematocrit']);
    expect(names(flagged, 'metabolic')).toEqual(['ALT', 'Glucose', 'Creatinine', 'Sodium', 'AST']);
  });
});
