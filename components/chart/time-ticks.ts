/**
 * Calendar-aligned time-axis ticks: the interval is chosen by the span (days,
 * weeks, months, quarters, years…), ticks fall on calendar boundaries (UTC), and
 * each label appears once.
 */

const DAY = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export interface TimeTick {
  readonly time: number;
  readonly label: string;
}

type Interval =
  | { readonly kind: 'day'; readonly step: number }
  | { readonly kind: 'month'; readonly step: number }
  | { readonly kind: 'year'; readonly step: number };

/** From finest to coarsest. */
const INTERVALS: readonly Interval[] = [
  { kind: 'day', step: 1 },
  { kind: 'day', step: 2 },
  { kind: 'day', step: 7 },
  { kind: 'day', step: 14 },
  { kind: 'month', step: 1 },
  { kind: 'month', step: 3 },
  { kind: 'month', step: 6 },
  { kind: 'year', step: 1 },
  { kind: 'year', step: 2 },
  { kind: 'year', step: 5 },
  { kind: 'year', step: 10 },
  { kind: 'year', step: 20 },
  { kind: 'year', step: 50 },
];

function ticksOf(iv: Interval, t0: number, t1: number): number[] {
  const start = new Date(t0);
  const out: number[] = [];
  if (iv.kind === 'day') {
    let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    if (iv.step === 7 || iv.step === 14) t -= ((new Date(t).getUTCDay() + 6) % 7) * DAY; // Mondays
    for (; t <= t1; t += iv.step * DAY) if (t >= t0) out.push(t);
    return out;
  }
  if (iv.kind === 'month') {
    const m0 = Math.floor(start.getUTCMonth() / iv.step) * iv.step;
    for (let y = start.getUTCFullYear(), m = m0; ; m += iv.step) {
      const t = Date.UTC(y, m, 1);
      if (t > t1) break;
      if (t >= t0) out.push(t);
    }
    return out;
  }
  const y0 = Math.floor(start.getUTCFullYear() / iv.step) * iv.step;
  for (let y = y0; ; y += iv.step) {
    const t = Date.UTC(y, 0, 1);
    if (t > t1) break;
    if (t >= t0) out.push(t);
  }
  return out;
}

function label(iv: Interval, t: number): string {
  const d = new Date(t);
  const month = MONTHS[d.getUTCMonth()] ?? '';
  if (iv.kind === 'day') return `${month} ${d.getUTCDate()}`;
  if (iv.kind === 'month') return `${month} ${d.getUTCFullYear()}`;
  return String(d.getUTCFullYear());
}

/**
 * At most `max` ticks on calendar boundaries inside [t0, t1], the finest
 * interval that fits; never two ticks with the same label.
 */
export function calendarTicks([t0, t1]: readonly [number, number], max = 4): TimeTick[] {
  if (!(t1 > t0)) return [];
  // Within one day: the day, once, mid-axis.
  if (t1 - t0 < DAY) return [{ time: (t0 + t1) / 2, label: label({ kind: 'day', step: 1 }, t0) }];
  for (const iv of INTERVALS) {
    const ticks = ticksOf(iv, t0, t1);
    if (ticks.length > max) continue;
    const seen = new Set<string>();
    return ticks.flatMap((time) => {
      const text = label(iv, time);
      if (seen.has(text)) return [];
      seen.add(text);
      return [{ time, label: text }];
    });
  }
  return [];
}
