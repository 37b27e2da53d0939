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
    expect(f.rows.map((row) => row.cells.map((c) => c.map((x) => x.observationId)))).toEqual([
      [['l3', 'l2'], [], ['l1']],
      [[], ['h2'], ['h1']],
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
});
