/**
 * Which readings of a long series to draw: Largest-Triangle-Three-Buckets
 * (Steinarsson, "Downsampling Time Series for Visual Representation", 2013),
 * which keeps the shape a line through every reading would have, plus every
 * reading a clinician must not lose from sight: the first and the last, each
 * value's lowest and highest, and every flagged reading. The readings are
 * only drawn fewer; tables and counts still hold them all.
 */

export interface DownsampleInput<T> {
  readonly points: readonly T[];
  /** About how many readings to draw; series no longer than this are returned whole. */
  readonly target: number;
  /** Position on the time axis (ms); points are in ascending time. */
  readonly x: (p: T) => number;
  /** The values of a reading (one, or a pair such as systolic and diastolic); undefined where missing. */
  readonly values: (p: T) => readonly (number | undefined)[];
  /** Readings that are always drawn (abnormal, outside the normal band). */
  readonly keep?: (p: T) => boolean;
  /**
   * Where a reading would be drawn, as a cell the size of a marker. Of several
   * kept readings on one spot only the latest is forced: the others would be
   * drawn exactly under it. Without it every kept reading is forced.
   */
  readonly spot?: (p: T) => string;
}

/** One number per reading for the triangle areas: the mean of its present values. */
function level(values: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === undefined) continue;
    sum += v;
    n++;
  }
  return n === 0 ? undefined : sum / n;
}

/** Indexes of each value's lowest and highest reading (the first of equals). */
function extremes<T>(points: readonly T[], values: DownsampleInput<T>['values']): Set<number> {
  const lo: { v: number; i: number }[] = [];
  const hi: { v: number; i: number }[] = [];
  points.forEach((p, i) => {
    values(p).forEach((v, s) => {
      if (v === undefined) return;
      if (lo[s] === undefined || v < lo[s].v) lo[s] = { v, i };
      if (hi[s] === undefined || v > hi[s].v) hi[s] = { v, i };
    });
  });
  return new Set([...lo, ...hi].filter((e) => e !== undefined).map((e) => e.i));
}

/** Adds the kept readings to `forced`, newest first, one per spot when spots are given. */
function forceKept<T>(
  points: readonly T[],
  keep: (p: T) => boolean,
  spot: ((p: T) => string) | undefined,
  forced: Set<number>,
): void {
  const taken = new Set<string>();
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i] as T;
    if (!keep(p)) continue;
    if (spot) {
      const at = spot(p);
      if (taken.has(at)) continue;
      taken.add(at);
    }
    forced.add(i);
  }
}

/**
 * LTTB over `points`, keeping the forced indexes. The result is in the input's
 * order and has at most `max(target, forced + 2)` readings, where `forced`
 * counts the extremes and kept readings: nothing flagged is ever lost from
 * sight (with `spot`, flagged readings drawn on one spot are drawn once).
 */
export function downsample<T>({ points, target, x, values, keep, spot }: DownsampleInput<T>): T[] {
  const n = points.length;
  if (n <= Math.max(target, 2)) return [...points];
  const forced = extremes(points, values);
  if (keep) forceKept(points, keep, spot, forced);
  forced.add(0);
  forced.add(n - 1);
  // LTTB picks one reading per bucket over the inner readings; forced ones come on top.
  const buckets = Math.max(0, target - forced.size);
  const chosen = new Set(forced);
  const ys = points.map((p) => level(values(p)));
  const size = (n - 2) / Math.max(buckets, 1);
  let a = 0; // the reading chosen in the previous bucket
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size) + 1;
    const end = Math.min(Math.floor((b + 1) * size) + 1, n - 1);
    // The next bucket's mean is the third corner of the triangle.
    const nextEnd = Math.min(Math.floor((b + 2) * size) + 1, n);
    let cx = 0;
    let cy = 0;
    let cn = 0;
    for (let j = end; j < nextEnd; j++) {
      const y = ys[j];
      if (y === undefined) continue;
      cx += x(points[j] as T);
      cy += y;
      cn++;
    }
    if (cn === 0) {
      cx = x(points[n - 1] as T);
      cy = ys[n - 1] ?? 0;
    } else {
      cx /= cn;
      cy /= cn;
    }
    const ax = x(points[a] as T);
    const ay = ys[a] ?? cy;
    let best = -1;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const y = ys[j];
      if (y === undefined) continue;
      const area = Math.abs((ax - cx) * (y - ay) - (ax - x(points[j] as T)) * (cy - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    if (best >= 0) {
      chosen.add(best);
      a = best;
    }
  }
  return [...chosen].sort((i, j) => i - j).map((i) => points[i] as T);
}
