import tables from './lms-tables.json';

/**
 * LMS growth references (Cole & Green, Stat Med 1992;11:1305–19): a measurement
 * x at an age with parameters L (Box-Cox power), M (median) and S (coefficient
 * of variation) has z = ((x/M)^L − 1) / (L·S), or ln(x/M)/S when L = 0.
 * The tables (./lms-tables.json, sources in ./README.md) are the WHO Child
 * Growth Standards (2006) from birth to 2 years and the CDC 2000 growth charts
 * from 2 to 20 years, as the CDC recommends for US children.
 */

export type GrowthMeasure = 'weight' | 'length' | 'head' | 'bmi';
export type GrowthSex = 'male' | 'female';
export type GrowthSource = 'who' | 'cdc';

export interface Lms {
  readonly l: number;
  readonly m: number;
  readonly s: number;
  readonly source: GrowthSource;
}

interface Segment {
  readonly source: string;
  /** [age in months, L, M, S], ascending by age. */
  readonly rows: readonly (readonly number[])[];
}

const TABLES = tables.tables as unknown as Readonly<
  Record<GrowthMeasure, Readonly<Record<GrowthSex, readonly Segment[]>>>
>;

/** A half-month of slack at a segment's end, where the WHO table (day 730) meets the CDC one (24 months). */
const SLACK_MONTHS = 0.5;

/** The reference's rows for a measure and sex (every segment), for drawing curves. */
export function referenceRows(measure: GrowthMeasure, sex: GrowthSex): readonly (readonly number[])[] {
  return TABLES[measure][sex].flatMap((s) => s.rows);
}

/** Ages (months) where one reference gives way to the next: 24, from the WHO standard to the CDC charts. */
export function referenceChanges(measure: GrowthMeasure): readonly number[] {
  return TABLES[measure].male.slice(1).flatMap((s) => (s.rows[0] ? [s.rows[0][0] as number] : []));
}

/** Age span the reference covers, in months. */
export function referenceSpan(measure: GrowthMeasure): readonly [number, number] {
  const rows = referenceRows(measure, 'male');
  return [rows[0]?.[0] ?? 0, rows.at(-1)?.[0] ?? 0];
}

/**
 * L, M and S at an age in months, interpolated linearly between rows; undefined
 * outside the reference. Where segments meet, the later one rules from its first age.
 */
export function lmsAt(measure: GrowthMeasure, sex: GrowthSex, ageMonths: number): Lms | undefined {
  if (!Number.isFinite(ageMonths)) return undefined;
  for (const seg of [...TABLES[measure][sex]].reverse()) {
    const rows = seg.rows;
    const first = rows[0];
    const last = rows.at(-1);
    if (!first || !last || ageMonths < (first[0] as number) || ageMonths > (last[0] as number) + SLACK_MONTHS)
      continue;
    return { ...interpolateLms(rows, ageMonths), source: seg.source as GrowthSource };
  }
  return undefined;
}

/**
 * L, M and S at x from rows [x, L, M, S] ascending by x, linearly between the
 * rows around it (the last row beyond the end, the first before the start).
 */
export function interpolateLms(
  rows: readonly (readonly number[])[],
  x: number,
): { l: number; m: number; s: number } {
  const i = rows.findIndex((r) => (r[0] as number) >= x);
  const hi = (i < 0 ? rows.at(-1) : rows[i]) as readonly number[];
  const lo = i <= 0 ? hi : (rows[i - 1] as readonly number[]);
  const [x0, l0, m0, s0] = lo as [number, number, number, number];
  const [x1, l1, m1, s1] = hi as [number, number, number, number];
  const f = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
  const mix = (p: number, q: number) => p + (q - p) * f;
  return { l: mix(l0, l1), m: mix(m0, m1), s: mix(s0, s1) };
}

export function zScore(x: number, { l, m, s }: Omit<Lms, 'source'>): number {
  return l === 0 ? Math.log(x / m) / s : ((x / m) ** l - 1) / (l * s);
}

/**
 * A z-score as the WHO Child Growth Standards compute it for weight-based measures (weight-for-age, weight-for-length,
 * BMI-for-age): the LMS z within ±3, and beyond it distances measured in the fixed width between the 2 and 3 SD curves
 * on that side (WHO, "WHO Child Growth Standards: Methods and development", 2006, chapter 7, "restricted application
 * of the LMS method"). The skewed LMS distribution would otherwise compress a very heavy child's z and stretch a very
 * light one's. Within ±3 it equals zScore; for a measure without skew (L = 1, as length and head circumference) it
 * equals zScore everywhere.
 */
export function whoWeightZScore(x: number, lms: Lms | Omit<Lms, 'source'>): number {
  const z = zScore(x, lms);
  if (z > 3) {
    const sd3 = valueAtZ(3, lms);
    return 3 + (x - sd3) / (sd3 - valueAtZ(2, lms));
  }
  if (z < -3) {
    const sd3 = valueAtZ(-3, lms);
    return -3 + (x - sd3) / (valueAtZ(-2, lms) - sd3);
  }
  return z;
}

/** The measurement at a z-score (the percentile curves). */
export function valueAtZ(z: number, { l, m, s }: Omit<Lms, 'source'>): number {
  return l === 0 ? m * Math.exp(s * z) : m * (1 + l * s * z) ** (1 / l);
}

/** Standard normal cumulative distribution (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return z >= 0 ? 1 - tail : tail;
}

/** z-scores of the percentiles growth charts draw. */
export const PERCENTILE_Z: Readonly<Record<number, number>> = {
  3: -1.880794,
  5: -1.644854,
  10: -1.281552,
  25: -0.67449,
  50: 0,
  75: 0.67449,
  85: 1.036433,
  90: 1.281552,
  95: 1.644854,
  97: 1.880794,
};
