import { describe, expect, it } from 'vitest';
import { linearScale, linePath, timeDomain, valueDomain } from './chart-scale';

describe('chart scales', () => {
  it('places points by time, not by index', () => {
    const t = [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2), Date.UTC(2021, 0, 1)];
    const x = linearScale(timeDomain(t), [0, 366]);
    // Two readings a day apart sit next to each other; the third is a year away.
    expect(x(t[1]!) - x(t[0]!)).toBeCloseTo(1, 5);
    expect(x(t[2]!)).toBeCloseTo(366, 5);
  });

  it('centres a single reading', () => {
    const t = Date.UTC(2024, 5, 1);
    const x = linearScale(timeDomain([t]), [0, 100]);
    expect(x(t)).toBeCloseTo(50, 5);
  });

  it('widens the value domain to round ticks and includes the reference band', () => {
    const { domain, ticks } = valueDomain([72, 88], { low: 60, high: 100 });
    expect(domain[0]).toBeLessThanOrEqual(60);
    expect(domain[1]).toBeGreaterThanOrEqual(100);
    expect(ticks[0]).toBe(domain[0]);
    expect(ticks.at(-1)).toBe(domain[1]);
    for (const v of ticks) expect(v % 5).toBe(0);
  });

  it('never runs the axis past what a value can be, even to give a flat series height', () => {
    for (const values of [
      [93, 99],
      [98, 99],
      [100, 100],
    ]) {
      const { domain, ticks } = valueDomain(values, { low: 95 }, 10, 100);
      expect(domain[1], String(values)).toBe(100);
      expect(domain[0]).toBeLessThanOrEqual(Math.min(...values));
      expect(Math.max(...ticks)).toBe(100);
    }
    // A value past it (a record's error) is still in view.
    expect(valueDomain([97, 101], undefined, 10, 100).domain[1]).toBeGreaterThanOrEqual(101);
  });

  it('gives a flat series some height', () => {
    const { domain } = valueDomain([5, 5]);
    expect(domain[0]).toBeLessThan(5);
    expect(domain[1]).toBeGreaterThan(5);
  });

  it('maps values upwards on an inverted SVG range', () => {
    const y = linearScale([0, 100], [150, 10]);
    expect(y(0)).toBe(150);
    expect(y(100)).toBe(10);
  });

  it('breaks the line at missing values', () => {
    expect(linePath([[0, 0], undefined, [2, 2], [3, 3]])).toBe('M0.0,0.0M2.0,2.0L3.0,3.0');
  });
});

describe('valueDomain with a least span', () => {
  it('does not stretch a change within measurement noise over the whole axis', () => {
    // Heights of 180 and 180.2 cm: at least 5 cm of axis, centred on them.
    const { domain } = valueDomain([180, 180.2], undefined, 5);
    expect(domain[1] - domain[0]).toBeGreaterThanOrEqual(5);
    expect(domain[0]).toBeLessThanOrEqual(180);
    expect(domain[1]).toBeGreaterThanOrEqual(180.2);
    // Without it, the 0.2 cm fills the axis.
    const tight = valueDomain([180, 180.2]).domain;
    expect(tight[1] - tight[0]).toBeLessThan(1);
  });

  it('never goes below zero for values that are not, and leaves a wide span alone', () => {
    const { domain } = valueDomain([0.4, 0.6], undefined, 5);
    expect(domain[0]).toBe(0);
    expect(domain[1]).toBeGreaterThanOrEqual(5);
    expect(valueDomain([60, 140], undefined, 20).domain).toEqual(valueDomain([60, 140]).domain);
  });
});
