import type { GrowthCurve } from '../types';
import { type Lms, PERCENTILE_Z, valueAtZ } from './lms';

/** The percentile curves growth charts draw. */
const CURVES = [3, 10, 25, 50, 75, 90, 97] as const;
/** Enough points for a smooth curve at any span. */
const MAX_CURVE_POINTS = 60;

/**
 * Percentile curves from `from` to `to` on a reference's own x values (age in
 * months, or length in cm), thinned to at most about 60 points.
 */
export function percentileCurves(
  xs: readonly number[],
  at: (x: number) => Lms | undefined,
  from: number,
  to: number,
): GrowthCurve[] {
  const inside = xs.filter((x) => x > from && x < to);
  const step = Math.max(1, Math.ceil(inside.length / MAX_CURVE_POINTS));
  const drawn = [from, ...inside.filter((_, i) => i % step === 0), to];
  return CURVES.map((percentile) => ({
    percentile,
    points: drawn.flatMap((x) => {
      const lms = at(x);
      return lms ? [[x, Number(valueAtZ(PERCENTILE_Z[percentile] as number, lms).toFixed(3))] as const] : [];
    }),
  }));
}
