import { describe, expect, it } from 'vitest';
import { textScaleFor } from './text-scale';

describe('chart text scale', () => {
  it('enlarges the text of a chart drawn narrower than its drawing, by as much as the drawing shrank', () => {
    // The 360-unit growth chart in a 296 px tile of a 360 px phone.
    expect(textScaleFor(360, 296)).toBeCloseTo(1.216, 3);
    expect(textScaleFor(320, 300)).toBeCloseTo(1.067, 3);
  });

  it('never shrinks it, nor grows it past 1.4, nor acts on a chart not yet laid out', () => {
    expect(textScaleFor(320, 576)).toBe(1);
    expect(textScaleFor(320, 100)).toBe(1.4);
    expect(textScaleFor(320, 0)).toBe(1);
  });
});
