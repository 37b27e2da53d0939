import { describe, expect, it } from 'vitest';
import { gfrCategory } from './kidney';

describe('gfrCategory (KDIGO 2012)', () => {
  it('names the category of an eGFR below 60, by the value as shown', () => {
    const of = (v: number) => gfrCategory('33914-3', v, 'mL/min/{1.73_m2}')?.code;
    expect([60, 59.6, 59.4, 45, 44.6, 44.4, 30, 29, 15, 14.4, 3].map(of)).toEqual([
      undefined,
      undefined,
      'G3a',
      'G3a',
      'G3a',
      'G3b',
      'G3b',
      'G4',
      'G4',
      'G5',
      'G5',
    ]);
    expect(gfrCategory('62238-1', 41, 'mL/min/{1.73_m2}')).toEqual({
      code: 'G3b',
      text: 'moderately to severely decreased',
    });
  });

  it("reads an eGFR's code, whatever its unit says, and nothing else", () => {
    // Synthea's eGFR carries the per-1.73 m² code with the unit "mL/min".
    expect(gfrCategory('33914-3', 41, 'mL/min')?.code).toBe('G3b');
    // athenahealth's unit leaves out the m².
    expect(gfrCategory('33914-3', 41, 'mL/min/1.73')?.code).toBe('G3b');
    // A measured clearance, a creatinine, or a unit that is not a rate: no category.
    expect(gfrCategory('2164-2', 41, 'mL/min')).toBeUndefined();
    expect(gfrCategory('2160-0', 4.1, 'mg/dL')).toBeUndefined();
    expect(gfrCategory('33914-3', 41, 'mg/dL')).toBeUndefined();
    expect(gfrCategory(undefined, 41, 'mL/min')).toBeUndefined();
  });
});
