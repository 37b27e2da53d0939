/** Pure geometry for the hand-written SVG charts (no chart library: bundle size matters). */

export type Scale = (v: number) => number;

/** Linear map of [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Step of 1, 2 or 5 × 10^n giving about `count` intervals over the span. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/**
 * Value domain covering every value and the reference band, at least `minSpan`
 * wide (around the values' middle), widened to round tick values so the axis
 * reads naturally.
 */
export function valueDomain(
  values: readonly number[],
  band?: { readonly low?: number; readonly high?: number },
  minSpan = 0,
  ceiling = Infinity,
): { domain: [number, number]; ticks: number[] } {
  const range = extent([
    ...(band?.low === undefined ? [] : [band.low]),
    ...(band?.high === undefined ? [] : [band.high]),
    ...(extent(values) ?? []),
  ]);
  if (range === undefined) return { domain: [0, 1], ticks: [0, 1] };
  let [min, max] = range;
  const highest = max;
  if (max - min < minSpan) {
    // Never below zero for values that are not.
    const mid = Math.max((min + max) / 2, min >= 0 ? minSpan / 2 : -Infinity);
    min = mid - minSpan / 2;
    max = mid + minSpan / 2;
    // Nor above what a value can be: the span then reaches down instead.
    if (max > ceiling && highest <= ceiling) {
      min -= max - ceiling;
      max = ceiling;
    }
  }
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, 4);
  const lo = Math.floor(min / step) * step;
  // An axis never runs past what a value can be (a saturation of 102 %), unless a value does.
  const hi = Math.max(highest, Math.min(Math.ceil(max / step) * step, Math.max(ceiling, max)));
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) {
    if (v <= hi) ticks.push(Number(v.toPrecision(12)));
  }
  return { domain: [lo, hi], ticks };
}

/** Time domain of the points; a single reading gets a week either side so it sits mid-axis. */
export function timeDomain(times: readonly number[]): [number, number] {
  const range = extent(times);
  if (range === undefined) return [0, 1];
  const [t0, t1] = range;
  if (t0 === t1) {
    const week = 7 * 24 * 3600 * 1000;
    return [t0 - week, t1 + week];
  }
  return [t0, t1];
}

/** SVG path through the points, broken where a value is missing. */
export function linePath(points: readonly (readonly [number, number] | undefined)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Lowest and highest of any number of values (a spread into Math.min fails on a whole record's readings). */
export function extent(values: readonly number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
