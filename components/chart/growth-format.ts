/** Display helpers for growth charts: ages and percentiles as clinicians write them. */

import type { GrowthPoint } from '@/lib/chart/types';
import { ageOn, formatDate } from './format';

/**
 * A reading's date and the patient's age that day, on the day the reading falls on in `zone` (the chart's), so that
 * both agree with the vitals table beside it. The server's age (on the UTC day) serves without a birth date.
 */
export function readingWhen(
  p: Pick<GrowthPoint, 'time' | 'age'>,
  birthDate: string | undefined,
  zone?: string,
): { readonly date: string; readonly age: string } {
  // Years and months: growth readings a few months apart are at different ages.
  const age = birthDate ? ageOn(birthDate, p.time, zone, { withMonths: true }) : undefined;
  return { date: formatDate(p.time, zone), age: age ?? p.age };
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "62nd percentile"; one decimal in the tails ("99.6th", "0.2nd"), and "< 0.1st" / "> 99.9th" beyond. */
export function formatPercentile(p: number): string {
  if (p < 0.1) return '< 0.1st percentile';
  if (p > 99.9) return '> 99.9th percentile';
  if (p < 1 || p > 99) {
    // The suffix follows the last digit read aloud: "0.2nd", "99.3rd", "99.5th".
    const t = p.toFixed(1);
    return `${t}${{ '1': 'st', '2': 'nd', '3': 'rd' }[t.slice(-1)] ?? 'th'} percentile`;
  }
  return `${ordinal(Math.min(99, Math.max(1, Math.round(p))))} percentile`;
}

/** "z −1.23" with a true minus sign. */
export function formatZ(z: number): string {
  const t = z.toFixed(2);
  return `z ${t.startsWith('-') ? `−${t.slice(1)}` : t}`;
}

/** One tick of an age axis: where it falls, in months (days / 30.4375, as the readings are placed), and its label. */
export interface AgeTick {
  readonly months: number;
  readonly label: string;
}

const WEEK_MONTHS = 7 / 30.4375;

/**
 * Age ticks, each label once: weeks over a newborn's first months (as WHO's birth-to-13-weeks charts are drawn: a
 * three-week-old's axis otherwise reads "0 mo" alone), months for spans up to a few years, whole years beyond.
 */
export function ageTicks([from, to]: readonly [number, number]): AgeTick[] {
  const span = to - from;
  const ticks: AgeTick[] = [];
  if (span <= 3.5) {
    const step = span <= 1.75 ? 1 : 2;
    for (let w = Math.ceil(from / WEEK_MONTHS / step) * step; w * WEEK_MONTHS <= to + 1e-9; w += step)
      ticks.push({ months: w * WEEK_MONTHS, label: w === 0 ? '0' : `${w} wk` });
    return ticks;
  }
  const step = span <= 6 ? 1 : span <= 15 ? 3 : span <= 30 ? 6 : span <= 72 ? 12 : span <= 144 ? 24 : 48;
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step)
    ticks.push({ months: t, label: ageTickLabel(t) });
  return ticks;
}

/** Tick label: "6 mo" or "4 y". */
function ageTickLabel(months: number): string {
  return months < 24 ? `${months} mo` : `${months / 12} y`;
}

/** Length ticks for weight-for-length: every 2, 5 or 10 cm as the span grows; each label once. */
export function lengthTicks([from, to]: readonly [number, number]): number[] {
  const span = to - from;
  const step = span <= 12 ? 2 : span <= 30 ? 5 : 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Tick label: "65 cm". */
export function lengthTickLabel(cm: number): string {
  return `${cm} cm`;
}
