import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Sparkline } from './sparkline';

const DAY = 86_400_000;
const at = (values: readonly number[]) => values.map((value, i) => ({ time: i * 30 * DAY, value }));

/** How far the line rises or falls, as a share of the drawing's height (24 px less its margins). */
function drop(range?: { low?: number; high?: number }, values: readonly number[] = [272, 151]): number {
  const { container } = render(<Sparkline points={at(values)} label="trend" range={range} />);
  const ys = [
    ...(container.querySelector('path')?.getAttribute('d') ?? '').matchAll(/[ML][\d.]+,([\d.]+)/g),
  ].map((m) => Number(m[1]));
  return Math.abs(ys.at(-1)! - ys[0]!) / 20;
}

describe('Sparkline', () => {
  it("reads a change against the result's reference range, shaded, not against its own extremes", () => {
    // Platelets falling from 272 to 151 across a range of 150–400: about half the height.
    expect(drop({ low: 150, high: 400 })).toBeGreaterThan(0.4);
    // Chloride 100 → 101 inside 98–107: a small step, where alone it would fill the height.
    expect(drop({ low: 98, high: 107 }, [100, 101])).toBeLessThan(0.2);
    expect(drop(undefined, [100, 101])).toBeGreaterThan(0.9);
    const { container } = render(
      <Sparkline points={at([100, 101])} label="t" range={{ low: 98, high: 107 }} />,
    );
    expect(container.querySelector('rect[data-spark-band]')).not.toBeNull();
  });

  it('shades nothing without a range, and draws nothing for a single result', () => {
    const { container } = render(<Sparkline points={at([5, 6])} label="t" />);
    expect(container.querySelector('rect[data-spark-band]')).toBeNull();
    const single = render(<Sparkline points={at([5])} label="t" range={{ low: 1, high: 9 }} />);
    expect(single.container.querySelector('svg')).toBeNull();
  });
});
