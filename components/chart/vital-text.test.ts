import { describe, expect, it } from 'vitest';
import type { AnyVitalSeries } from '@/lib/chart/types';
import { bounded, originalText, oxygenAt, oxygenText } from './vital-text';

describe('oxygenText', () => {
  it('writes the oxygen as a clinician does, and nothing where the reading names none', () => {
    expect(oxygenText(undefined)).toBe('');
    expect(oxygenText({ flow: 0 })).toBe('on room air');
    expect(oxygenText({ flow: 5, concentration: 30 })).toBe('on oxygen 5 L/min, FiO₂ 30 %');
    expect(oxygenText({ flow: 2.456 })).toBe('on oxygen 2.46 L/min');
    expect(oxygenText({ concentration: 40 })).toBe('on oxygen FiO₂ 40 %');
  });
});

describe('a reading’s own texts', () => {
  const spo2: AnyVitalSeries = {
    kind: 'spo2',
    loinc: '59408-5',
    label: 'SpO₂',
    unit: '%',
    points: [
      { observationId: 'a', time: '2025-01-01T00:00:00Z', value: 97, oxygen: { flow: 2 } },
      { observationId: 'b', time: '2025-01-02T00:00:00Z', value: 70, comparator: '<' },
    ],
  };
  const temperature: AnyVitalSeries = {
    kind: 'temperature',
    loinc: '8310-5',
    label: 'Temperature',
    unit: 'Cel',
    points: [
      {
        observationId: 't',
        time: '2025-01-01T00:00:00Z',
        value: 37,
        comparator: '>',
        original: { value: 98.6, unit: '[degF]' },
      },
    ],
  };

  it('writes a bound’s comparator before its value', () => {
    expect(bounded('<')).toBe('< ');
    expect(bounded(undefined)).toBe('');
  });
  it('gives a saturation’s oxygen by index, and none for another vital or a reading that names none', () => {
    expect(oxygenAt(spo2, 0)).toBe('on oxygen 2 L/min');
    expect(oxygenAt(spo2, 1)).toBe('');
    expect(oxygenAt(temperature, 0)).toBe('');
  });
  it('writes a converted reading as recorded, with its comparator; nothing for one that was not converted', () => {
    expect(originalText(temperature, 0)).toBe('> 98.6 °F');
    expect(originalText(spo2, 0)).toBe('');
    expect(originalText(spo2, 5)).toBe('');
  });
});
