import { describe, expect, it } from 'vitest';
import type { LabGroup, LabResult, LabsModel, PatientSummary, ProblemRow, ReferenceRange } from './types';
import { distinctRanges, mergeConditions, mergeLabs, placements, samePerson } from './merge';

const result = (time: string, value: number, unit = 'mmol/L'): LabResult => ({
  observationId: `${time}-${value}`,
  time,
  value,
  unit,
});
const group = (loinc: string, label: string, history: LabResult[]): LabGroup => ({
  key: `http://loinc.org|${loinc}`,
  label,
  loinc,
  latest: history[0]!,
  history,
});
const labs = (...groups: LabGroup[]): LabsModel => ({ groups });

describe('mergeLabs', () => {
  const a = labs(
    group('2823-3', 'Potassium', [result('2025-05-20T15:10:00Z', 2.9), result('2024-10-02T10:30:00Z', 4.1)]),
    group('2345-7', 'Glucose', [result('2025-05-20T15:10:00Z', 182, 'mg/dL')]),
  );
  const b = labs(
    group('2823-3', 'K', [result('2025-05-20T11:10:00-04:00', 2.9), result('2023-01-01T08:00:00Z', 4.4)]),
    group('2345-7', 'Glucose SerPl-mCnc', [result('2025-05-20T15:10:00Z', 190, 'mg/dL')]),
  );
  const merged = mergeLabs([
    { source: 'General', data: a },
    { source: 'Clinic', data: b },
  ]);

  it('shows a reading both systems hold once, with both sources, and keeps each one only one holds', () => {
    const k = merged.find((t) => t.loinc === '2823-3')!;
    expect(k.sources).toEqual(['General', 'Clinic']);
    expect(k.readings.map((r) => r.values.map((v) => [v.value, v.sources]))).toEqual([
      [[2.9, ['General', 'Clinic']]],
      [[4.1, ['General']]],
      [[4.4, ['Clinic']]],
    ]);
  });

  it('keeps two different values for the same test at the same time side by side', () => {
    const glucose = merged.find((t) => t.loinc === '2345-7')!;
    expect(glucose.readings).toHaveLength(1);
    expect(glucose.readings[0]!.values).toEqual([
      { value: 182, unit: 'mg/dL', sources: ['General'] },
      { value: 190, unit: 'mg/dL', sources: ['Clinic'] },
    ]);
  });

  it('does not call values in different units the same', () => {
    const m = mergeLabs([
      { source: 'A', data: labs(group('2345-7', 'G', [result('2025-01-01T00:00:00Z', 5, 'mmol/L')])) },
      { source: 'B', data: labs(group('2345-7', 'G', [result('2025-01-01T00:00:00Z', 5, 'mg/dL')])) },
    ]);
    expect(m[0]!.readings[0]!.values).toHaveLength(2);
  });

  it('keeps a value preliminary only while no system holds it as final', () => {
    const time = '2025-01-01T00:00:00Z';
    const preliminary: LabResult = { ...result(time, 7.2), status: 'preliminary' };
    const one = (r: LabResult) => labs(group('2823-3', 'K', [r]));
    const values = (...rs: LabResult[]) =>
      mergeLabs(rs.map((r, i) => ({ source: `S${i}`, data: one(r) })))[0]!.readings[0]!.values;
    expect(values(preliminary, preliminary)).toEqual([
      { value: 7.2, unit: 'mmol/L', preliminary: true, sources: ['S0', 'S1'] },
    ]);
    expect(values(preliminary, result(time, 7.2))).toEqual([
      { value: 7.2, unit: 'mmol/L', sources: ['S0', 'S1'] },
    ]);
  });
});

describe('placements: each system judges a value by its own usual range', () => {
  const at = '2025-05-20T15:10:00Z';
  const ranged = (value: number, range?: ReferenceRange, extra: Partial<LabResult> = {}): LabResult => ({
    ...result(at, value, 'mg/dL'),
    ...(range ? { range } : {}),
    ...extra,
  });
  const merge = (...parts: [string, LabResult][]) =>
    mergeLabs(parts.map(([source, r]) => ({ source, data: labs(group('2345-7', 'Glucose', [r])) })))[0]!
      .readings[0]!.values;
  const fasting = { low: 70, high: 99, unit: 'mg/dL' };
  const random = { low: 70, high: 140, unit: 'mg/dL' };

  it('says once where a value sits when the systems agree, with every system that sent the range', () => {
    const [v] = merge(
      ['General', ranged(120, fasting)],
      ['Clinic', ranged(120, { ...fasting, text: '70-99' })],
    );
    expect(v!.sources).toEqual(['General', 'Clinic']);
    expect(placements(v!)).toEqual([{ position: 'above', sources: ['General', 'Clinic'] }]);
    expect(distinctRanges(v!)).toEqual([{ range: fasting, sources: ['General', 'Clinic'] }]);
  });

  it('says each position with its systems when their ranges place the same value differently', () => {
    const [v] = merge(
      ['General', ranged(120, fasting)],
      ['Clinic', ranged(120, random)],
      ['Lab', ranged(120)],
    );
    expect(v!.sources).toEqual(['General', 'Clinic', 'Lab']);
    expect(placements(v!)).toEqual([
      { position: 'above', sources: ['General'] },
      { position: 'in', sources: ['Clinic'] },
    ]);
    expect(distinctRanges(v!).map((d) => [d.range.high, d.sources])).toEqual([
      [99, ['General']],
      [140, ['Clinic']],
    ]);
  });

  it('places no value that cannot be, and none against a range without numbers', () => {
    const [impossible] = merge(['General', ranged(-5, fasting, { impossible: 'below zero' })]);
    expect(impossible!.notPossible).toBe(true);
    expect(placements(impossible!)).toEqual([]);
    const [words] = merge(['General', ranged(120, { text: 'see report' })]);
    expect(placements(words!)).toEqual([]);
  });
});

describe('mergeConditions', () => {
  const row = (id: string, code: string, onset?: string, active = true): ProblemRow => ({
    id,
    label: code === '38341003' ? 'Hypertension (disorder)' : 'Asthma',
    code,
    categories: [],
    active,
    ...(onset ? { onset } : {}),
  });
  it('lists a condition once per code with every source and the earliest onset, leaving out what is not shown', () => {
    const merged = mergeConditions(
      [
        {
          source: 'General',
          data: { problems: [row('1', '38341003', '2019-04-02'), row('2', '195967001', undefined, false)] },
        },
        { source: 'Clinic', data: { problems: [row('9', '38341003', '2017-01-10')] } },
      ],
      (p) => p.active,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.sources).toEqual(['General', 'Clinic']);
    expect(merged[0]!.row.onset).toBe('2017-01-10');
  });
});

describe('samePerson', () => {
  const p = (name: string, birthDate?: string): PatientSummary => ({
    id: 'x',
    name,
    deceased: false,
    ...(birthDate ? { birthDate } : {}),
  });
  it('takes the same name (accents and spacing aside) and birth date as the same person', () => {
    expect(
      samePerson(p('Rodríguez, Ana María', '1970-05-12'), p('Rodriguez,  Ana Maria', '1970-05-12')),
    ).toBe(true);
    expect(samePerson(p('Rodríguez, Ana', '1970-05-12'), p('Rodríguez, Ana', '1971-05-12'))).toBe(false);
    expect(samePerson(p('Rodríguez, Ana', '1970-05-12'), p('Rodríguez, Luis', '1970-05-12'))).toBe(false);
    expect(samePerson(p('Rodríguez, Ana'), p('Rodríguez, Ana'))).toBe(false);
  });
});
