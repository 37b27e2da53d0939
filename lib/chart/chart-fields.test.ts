import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { chartFields } from './chart-fields';
import { mapLabs } from './labs';
import { mapVitals } from './vitals';

const lab: Observation = {
  resourceType: 'Observation',
  id: 'l1',
  meta: { versionId: '3', lastUpdated: '2024-01-02T00:00:00Z' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">LDL 190</div>' },
  status: 'final',
  category: [{ coding: [{ code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '18262-6' }], text: 'LDL' },
  subject: { reference: 'Patient/p1' },
  performer: [{ reference: 'Practitioner/x' }],
  effectiveDateTime: '2024-01-01T09:00:00Z',
  issued: '2024-01-01T10:00:00Z',
  valueQuantity: { value: 190, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  interpretation: [{ coding: [{ code: 'H' }] }],
  referenceRange: [
    { high: { value: 130, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' } },
  ],
};

const bp: Observation = {
  resourceType: 'Observation',
  id: 'b1',
  status: 'final',
  subject: { reference: 'Patient/p1' },
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  effectivePeriod: { start: '2024-01-01T09:00:00Z' },
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 150, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: 95, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
};

describe('chartFields', () => {
  it('drops what the chart never reads', () => {
    const slim = chartFields(lab);
    expect(Object.keys(slim).sort()).toEqual(
      [
        'resourceType',
        'id',
        'status',
        'code',
        'effectiveDateTime',
        'issued',
        'valueQuantity',
        'interpretation',
        'referenceRange',
      ].sort(),
    );
  });

  it('maps to the same chart models as the whole resources', () => {
    const whole = [lab, bp];
    const slim = whole.map(chartFields);
    expect(mapLabs(slim, { gender: 'male' })).toEqual(mapLabs(whole, { gender: 'male' }));
    expect(mapVitals(slim)).toEqual(mapVitals(whole));
    expect(mapVitals(slim).series[0]?.points).toHaveLength(1);
  });
});
