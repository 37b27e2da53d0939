import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { chartFields, chartFieldsSharing, type ConceptPool } from './chart-fields';
import { codesIn, LOINC } from './coding';
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

describe('chartFields with a concept pool', () => {
  // Each page is parsed apart: equal concepts arrive as distinct objects.
  const parsed = (o: Observation): Observation => JSON.parse(JSON.stringify(o)) as Observation;

  it('holds equal codes, component codes and interpretations once, and leaves the models unchanged', () => {
    const cut = chartFieldsSharing(new Map());
    const [a, b] = [parsed(bp), parsed({ ...bp, id: 'b2' })].map(cut);
    expect(a?.code).toBe(b?.code);
    expect(a?.component?.[0]?.code).toBe(b?.component?.[0]?.code);
    expect(a?.component?.[0]?.code).not.toBe(a?.component?.[1]?.code);
    const [l1, l2] = [parsed(lab), parsed({ ...lab, id: 'l2' })].map(cut);
    expect(l1?.interpretation?.[0]).toBe(l2?.interpretation?.[0]);
    expect(l1?.code).not.toBe(a?.code);
    const whole = [lab, bp];
    const pooled = whole.map((o) => chartFieldsSharing(new Map())(parsed(o)));
    expect(pooled).toEqual(whole.map(chartFields));
    expect(mapLabs(pooled, { gender: 'male' })).toEqual(mapLabs(whole, { gender: 'male' }));
    expect(mapVitals(pooled)).toEqual(mapVitals(whole));
  });

  it('shares a concept only with one equal in text and every coding', () => {
    const cut = chartFieldsSharing(new Map());
    const withCode = (coding: { system?: string; code?: string; display?: string }[], text?: string) =>
      cut({ ...parsed(lab), code: { coding, ...(text !== undefined ? { text } : {}) } }).code;
    const one = withCode([{ system: 's', code: '1:c' }]);
    expect(withCode([{ system: 's1:', code: 'c' }])).not.toBe(one);
    expect(withCode([{ system: 's', code: '1:c' }], '')).not.toBe(one);
    expect(withCode([{ system: 's', code: '1:c', display: 'x' }])).not.toBe(one);
    expect(withCode([{ system: 's', code: '1:c' }])).toBe(one);
  });

  it('keeps only what the chart reads of a concept, and freezes what it shares', () => {
    const pool: ConceptPool = new Map();
    const cut = chartFieldsSharing(pool);
    const odd = {
      extension: [{ url: 'x', valueString: 'y' }],
      coding: [{ system: 'http://loinc.org', code: '18262-6', userSelected: true, version: '2.7' }],
      text: 'LDL',
    };
    const a = cut({ ...parsed(lab), code: odd });
    expect(a.code).toEqual({ coding: [{ system: 'http://loinc.org', code: '18262-6' }], text: 'LDL' });
    expect(cut(parsed(lab)).code).toBe(a.code);
    expect(pool.size).toBe(2); // the lab's code and its interpretation
    expect(Object.isFrozen(a.code) && Object.isFrozen(a.code.coding?.[0])).toBe(true);
    expect(() => a.code.coding?.push({ code: 'x' })).toThrow(TypeError);
  });
});

describe('codesIn', () => {
  it("reads a frozen concept's codes once, and an unfrozen one's each time", () => {
    const frozen = chartFieldsSharing(new Map())(JSON.parse(JSON.stringify(lab)) as Observation).code;
    expect(Object.isFrozen(frozen)).toBe(true);
    const first = codesIn(frozen, LOINC);
    expect(first).toEqual(['18262-6']);
    expect(codesIn(frozen, LOINC)).toBe(first);
    expect(codesIn(frozen, 'http://snomed.info/sct')).toEqual([]);
    const open = { coding: [{ system: LOINC, code: '18262-6' }] };
    expect(codesIn(open, LOINC)).toEqual(['18262-6']);
    open.coding.push({ system: LOINC, code: '13457-7' });
    expect(codesIn(open, LOINC)).toEqual(['18262-6', '13457-7']);
  });
});
