import { describe, expect, it } from 'vitest';
import { flowsheet } from './flowsheet';
import type { LabGroup, LabResult } from './types';

const r = (id: string, time: string, value: number): LabResult => ({
  observationId: id,
  time,
  value,
  unit: 'mg/dL',
});
const group = (key: string, history: LabResult[]): LabGroup => ({
  key,
  label: key,
  latest: history[0] as LabResult,
  history,
});

describe('flowsheet', () => {
  it('puts days as columns, newest first, with every result of a day in its cell, newest first', () => {
    const ldl = group('LDL', [
      r('l3', '2026-03-01T10:00:00Z', 120),
      r('l2', '2026-03-01T08:00:00Z', 130),
      r('l1', '2025-01-05', 140),
    ]);
    const hdl = group('HDL', [r('h2', '2025-06-01', 50), r('h1', '2025-01-05', 45)]);
    const f = flowsheet([ldl, hdl]);
    expect(f.days).toEqual(['2026-03-01', '2025-06-01', '2025-01-05']);
    // Neither has a LOINC code the panel table places: by name.
    expect(f.rows.map((row) => row.group.label)).toEqual(['HDL', 'LDL']);
    expect(f.rows.map((row) => row.cells.map((c) => c.map((x) => x.observationId)))).toEqual([
      [[], ['h2'], ['h1']],
      [['l3', 'l2'], [], ['l1']],
    ]);
    expect(f.olderDays).toBe(0);
  });

  it('caps the columns and says how many older days are left out', () => {
    const history = Array.from({ length: 12 }, (_, i) =>
      r(`x${i}`, `2025-01-${String(20 - i).padStart(2, '0')}`, i),
    );
    const f = flowsheet([group('X', history)], 8);
    expect(f.days).toHaveLength(8);
    expect(f.days[0]).toBe('2025-01-20');
    expect(f.olderDays).toBe(4);
  });

  it('keeps its rows in the report order of the panel, whatever the order it is given in', () => {
    const placed = (key: string, label: string, loinc: string): LabGroup => ({
      ...group(key, [r(key, '2025-01-05', 1)]),
      label,
      loinc,
    });
    // As the list gives them: an abnormal platelet count first, then the rest; a test the table does not place.
    const rows = flowsheet([
      placed('plt', 'Platelets', '777-3'),
      group('Zinc protoporphyrin', [r('z', '2025-01-05', 1)]),
      placed('hct', 'Hematocrit', '4544-3'),
      placed('wbc', 'WBC', '6690-2'),
      placed('hgb', 'Hemoglobin', '718-7'),
    ]).rows.map((row) => row.group.label);
    expect(rows).toEqual(['WBC', 'Hemoglobin', 'Hematocrit', 'Platelets', 'Zinc protoporphyrin']);
  });
});
