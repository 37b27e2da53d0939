import { describe, expect, it } from 'vitest';
import { flagStyle } from './lab-flag';

describe('flagStyle', () => {
  it('shows each critical interpretation in the critical tone, with words of its own', () => {
    const styles = (['H', 'L', 'HH', 'LL', 'A', 'AA', 'N'] as const).map((f) => [
      f,
      flagStyle(f).tone,
      flagStyle(f).text,
    ]);
    expect(styles).toEqual([
      ['H', 'high', 'High'],
      ['L', 'low', 'Low'],
      ['HH', 'critical', 'Critically high'],
      ['LL', 'critical', 'Critically low'],
      ['A', 'abnormal', 'Abnormal'],
      ['AA', 'critical', 'Critically abnormal'],
      ['N', 'normal', 'Normal'],
    ]);
  });
});
