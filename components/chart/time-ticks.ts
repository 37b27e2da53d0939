/**
 * Calendar-aligned time-axis ticks: the interval (days, weeks, months,
 * quarters, years…) is the finest whose labels fit the drawn axis without
 * overlapping, ticks fall on calendar boundaries (midnight, the first of a
 * month, of a year) in the chart's time zone, and each label appears once.
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

/** A tick's label; a day's names its year too when `withYear` (the axis's first day, and a new year's). */
function label(iv: Interval, t: number, withYear = false): string {
  const d = new Date(t);
  const month = MONTHS[d.getUTCMonth()] ?? '';
  if (iv.kind === 'day') return `${month} ${d.getUTCDate()}${withYear ? `, ${d.getUTCFullYear()}` : ''}`;
  if (iv.kind === 'month') return `${month} ${d.getUTCFullYear()}`;
  return String(d.getUTCFullYear());
}

/** Where the axis is drawn and how wide its text is, in the drawing's units. */
export interface AxisFit {
  /** Left and right ends of the axis. */
  readonly range: readonly [number, number];
  /** Average width of one label character (about 0.6 of the font size). */
  readonly charWidth: number;
}

export interface PlacedTick extends TimeTick {
  readonly x: number;
  /** A label that would cross an end of the axis is anchored inward, so it stays on the axis. */
  readonly anchor: 'start' | 'middle' | 'end';
}

/** Average character width of axis text, as a share of its size. */
export const CHAR_EM = 0.6;

/** Centred on `x`, unless a label `width` wide would cross an end of the axis: then anchored inward. */
export function anchorInside(
  x: number,
  width: number,
  [x0, x1]: readonly [number, number],
): PlacedTick['anchor'] {
  return x - width / 2 < x0 ? 'start' : x + width / 2 > x1 ? 'end' : 'middle';
}

function place(ticks: readonly TimeTick[], [t0, t1]: readonly [number, number], fit: AxisFit): PlacedTick[] {
  const [x0, x1] = fit.range;
  return ticks.map((tick) => {
    const x = x0 + ((tick.time - t0) / (t1 - t0)) * (x1 - x0);
    return { ...tick, x, anchor: anchorInside(x, tick.label.length * fit.charWidth, fit.range) };
  });
}

/** Left and right ends of a placed label, estimated from its length. */
function extent(t: PlacedTick, charWidth: number): [number, number] {
  const w = t.label.length * charWidth;
  if (t.anchor === 'start') return [t.x, t.x + w];
  if (t.anchor === 'end') return [t.x - w, t.x];
  return [t.x - w / 2, t.x + w / 2];
}

/**
 * Labels placed left to right, each kept only when at least one character's width of space is left after the last one
 * kept: for ticks chosen by their span alone (a growth chart's ages), which a narrow axis cannot always hold.
 */
export function keepApart<T extends PlacedTick>(placed: readonly T[], charWidth: number): T[] {
  const kept: T[] = [];
  for (const t of placed) {
    const last = kept.at(-1);
    if (last === undefined || extent(t, charWidth)[0] - extent(last, charWidth)[1] >= charWidth) kept.push(t);
  }
  return kept;
}

/** True when no two labels touch: at least one character's width of space between neighbours. */
function fits(placed: readonly PlacedTick[], charWidth: number): boolean {
  for (let i = 1; i < placed.length; i++) {
    const prev = placed[i - 1];
    const next = placed[i];
    if (prev && next && extent(next, charWidth)[0] - extent(prev, charWidth)[1] < charWidth) return false;
  }
  return true;
}

/**
 * Each label once. Days name their year on the first tick and where the year changes: an axis of days from years
 * ago ("Mar 22, 2021", "Mar 29") never reads as this year's. `yearOnLast` names it on the last tick instead
 * ("Nov 16", "Nov 23", "Nov 30, 2026"), for days of one year whose first label has no room for it; undefined when
 * the days span two years.
 */
function unique(iv: Interval, times: readonly number[], yearOnLast = false): TimeTick[] | undefined {
  const seen = new Set<string>();
  const year = (t: number | undefined) => (t === undefined ? undefined : new Date(t).getUTCFullYear());
  if (yearOnLast && year(times[0]) !== year(times.at(-1))) return undefined;
  return times.flatMap((time, i) => {
    const named = yearOnLast ? i === times.length - 1 : i === 0 || year(times[i - 1]) !== year(time);
    const text = label(iv, time, named);
    if (seen.has(text)) return [];
    seen.add(text);
    return [{ time, label: text }];
  });
}

const wallParts = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's clock is ahead of UTC at instant t, in ms. */
function zoneOffset(t: number, zone: string): number {
  let f = wallParts.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallParts.set(zone, f);
  }
  const n: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== 'literal') n[p.type] = Number(p.value);
  const wall = Date.UTC(n.year!, n.month! - 1, n.day, n.hour, n.minute, n.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * Ticks on calendar boundaries inside [t0, t1] at the finest interval whose
 * labels fit the drawn axis without overlapping, never two with the same label.
 * A narrow axis gets fewer, coarser ticks; when not even two fit, one. The
 * calendar is the one of `zone` (UTC when not given): the ticks are chosen on
 * its wall clock, a UTC-like time line, and each is put back at its instant.
 */
export function calendarTicks(domain: readonly [number, number], fit: AxisFit, zone?: string): PlacedTick[] {
  if (zone === undefined || zone === 'UTC') return utcCalendarTicks(domain, fit);
  const toWall = (t: number) => t + zoneOffset(t, zone);
  // An instant whose wall clock reads w (the offset where it falls; a clock put back reads twice, the first kept).
  const fromWall = (w: number) => w - zoneOffset(w - zoneOffset(w, zone), zone);
  const ticks = utcCalendarTicks([toWall(domain[0]), toWall(domain[1])], fit);
  return ticks.map((tick) => ({ ...tick, time: fromWall(tick.time) }));
}

function utcCalendarTicks(domain: readonly [number, number], fit: AxisFit): PlacedTick[] {
  const [t0, t1] = domain;
  if (!(t1 > t0)) return [];
  // Within one day: the day, once, mid-axis.
  if (t1 - t0 < DAY) {
    const day = { time: (t0 + t1) / 2, label: label({ kind: 'day', step: 1 }, t0, true) };
    return place([day], domain, fit);
  }
  // No label is shorter than 4 characters plus a character of space: more ticks than this never fit.
  const most = Math.max(1, Math.floor(Math.abs(fit.range[1] - fit.range[0]) / (5 * fit.charWidth)) + 1);
  let fallback: PlacedTick[] = [];
  // The finest interval whose labels fit once a label crowding an end of the axis is left out (below).
  let trimmed: PlacedTick[] | undefined;
  for (const iv of INTERVALS) {
    const times = ticksOf(iv, t0, t1);
    if (times.length > most && iv !== INTERVALS.at(-1)) continue;
    // A newborn's three weeks: "Nov 16, 2026" leaves "Nov 23" no room, but "Nov 30, 2026" at the right end may.
    for (const yearOnLast of iv.kind === 'day' ? [false, true] : [false]) {
      const labelled = unique(iv, times, yearOnLast);
      if (labelled === undefined || labelled.length === 0) continue;
      const placed = place(labelled, domain, fit);
      if (fits(placed, fit.charWidth)) {
        // One label alone says nowhere how far the axis runs: two of a finer interval say more.
        return placed.length < 2 && trimmed ? trimmed : placed;
      }
      if (!yearOnLast) fallback = placed;
      trimmed ??= withoutCrowdedEnds(iv, times, yearOnLast, domain, fit);
    }
  }
  if (trimmed) return trimmed;
  // Even the coarsest interval is too dense for this width: its middle label alone.
  const middle = fallback[Math.floor(fallback.length / 2)];
  return middle === undefined ? [] : [middle];
}

/**
 * The ticks without their last, their first, or both (a label at an end of the axis is pushed inward and can crowd
 * its neighbour: ten months from mid-January read "Apr 1984", "Jul 1984" and an "Oct 1984" on the end), when at
 * least two are left and they fit; labelled again, so a day's year still stands on its first or last label.
 */
function withoutCrowdedEnds(
  iv: Interval,
  times: readonly number[],
  yearOnLast: boolean,
  domain: readonly [number, number],
  fit: AxisFit,
): PlacedTick[] | undefined {
  for (const [from, to] of [
    [0, times.length - 1],
    [1, times.length],
    [1, times.length - 1],
  ] as const) {
    if (to - from < 2) continue;
    const labelled = unique(iv, times.slice(from, to), yearOnLast);
    if (labelled === undefined || labelled.length < 2) continue;
    const placed = place(labelled, domain, fit);
    if (fits(placed, fit.charWidth)) return placed;
  }
  return undefined;
}
