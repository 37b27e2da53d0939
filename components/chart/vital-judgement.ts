import { formatNumber } from '@/lib/chart/precision';
import type { AnyVitalSeries, Comparator, Stage2Limits } from '@/lib/chart/types';
import { boundBeyondBand, bpSideReaches } from '@/lib/chart/vital-bands';
import { formatValue, toTime } from './format';
import { bandAt, type ChartBandRun, runAt, type TrendPoint } from './trend-chart';

/**
 * The readings known only as a bound, by id, with the comparator of each of their values (as a TrendPoint's
 * `values`): a blood pressure's systolic and diastolic, either of which may be the bound ("> 250/90").
 */
export function comparatorsOf(
  series: AnyVitalSeries,
): ReadonlyMap<string, readonly (Comparator | undefined)[]> {
  if (series.kind === 'blood-pressure')
    return new Map(
      series.points.flatMap((p) =>
        p.systolicComparator || p.diastolicComparator
          ? [[p.observationId, [p.systolicComparator, p.diastolicComparator]] as const]
          : [],
      ),
    );
  return new Map(
    series.points.flatMap((p) => (p.comparator ? [[p.observationId, [p.comparator]] as const] : [])),
  );
}

/** A reading's normal range at its time, as the table writes it, and which side of it the reading falls on. */
export interface Judgement {
  /** Absent where no limits apply at the reading's age (a blood pressure under 1 year): only "severely high" is said. */
  readonly range?: string;
  readonly flag?: 'above' | 'stage2' | 'severe' | 'below';
  /** Where stage 2 begins for this reading ("114/66") and whose it is: named by its flag. */
  readonly stage2?: { readonly at: string; readonly guideline: Stage2Limits['guideline'] };
}

type Stage2 = Stage2Limits | undefined;

/** Where stage 2 begins for a blood pressure taken at a time (ms): from its runs, else the latest's. */
function stage2Finder(series: AnyVitalSeries): ((time: number) => Stage2) | undefined {
  if (series.kind !== 'blood-pressure') return undefined;
  const runs = series.limitRuns?.map((r) => ({ from: toTime(r.from), stage2: r.stage2 }));
  if (runs === undefined) return () => series.stage2;
  const at = runAt(runs);
  return (time) => at(time)?.stage2;
}

/**
 * A blood pressure past these needs attention now, not at the next visit: the 2017 ACC/AHA guideline's
 * hypertensive crisis (Whelton et al., Hypertension 2018;71:e13–e115: systolic over 180 and/or diastolic
 * over 120 mmHg), a level the AAP 2017 guideline also names for adolescents. Over either, whatever the age.
 */
export const BP_SEVERE = { systolic: 180, diastolic: 120 } as const;

/**
 * How each reading compares with the band or limits for the age it was taken at, from the same runs the chart
 * draws: a blood pressure is above when either value is at or over its limit (normal is below it), any other vital
 * when it lies outside its band. Undefined when the series has no band at all.
 */
export function judgeReadings(
  series: AnyVitalSeries,
  lines: readonly (readonly ChartBandRun[])[],
): ((p: TrendPoint) => Judgement | undefined) | undefined {
  // A blood pressure is judged severely high whatever the age, with or without limits for it.
  if (lines.length === 0 && series.kind !== 'blood-pressure') return undefined;
  const at = lines.map(bandAt);
  const stage2At = stage2Finder(series);
  const f = (v: number) => formatValue(v, series.unit, { loinc: series.loinc });
  // Each reading is judged as it is shown, so a flag never contradicts the number beside it (119.6/78.4 reads
  // 120/78, at the limit of "below 120/80"; 37.84 °C reads 37.8, inside 36.1–37.8).
  const originals =
    series.kind === 'blood-pressure'
      ? undefined
      : new Map(series.points.map((p) => [p.observationId, p.original]));
  const comparators = comparatorsOf(series);
  const shown = (p: TrendPoint) =>
    p.values.map((v) => {
      if (v === undefined) return undefined;
      const original = originals?.get(p.id);
      return Number(
        formatNumber({ value: v, unit: series.unit, loinc: series.loinc, ...(original ? { original } : {}) }),
      );
    });
  return (p) => {
    const bands = at.map((b) => b(p.time));
    const values = shown(p);
    const bounds = comparators.get(p.id);
    if (series.kind === 'blood-pressure') {
      const [s, d] = values;
      const [sc, dc] = bounds ?? [];
      // Either value at or over (`past`: over) its limit. A side known only as a bound counts only where every
      // value it may be does: "> 250" is past every limit, "< 40" reaches none, "> 100" is not known to reach 120.
      const reaches = (limits: { readonly systolic: number; readonly diastolic: number }, past = false) =>
        bpSideReaches(s, sc, limits.systolic, past) || bpSideReaches(d, dc, limits.diastolic, past);
      const severe = reaches(BP_SEVERE, true);
      const [sys, dia] = bands;
      // No limits at this age (under 1 year, a child whose sex the record does not give, no birth date): nothing
      // is called above them, but a severely high reading is still said.
      if (sys?.high === undefined || dia?.high === undefined) return severe ? { flag: 'severe' } : undefined;
      const above = reaches({ systolic: sys.high, diastolic: dia.high });
      // Stage 2: a child's (AAP 2017) at or over the 95th percentile + 12 mm Hg, or 140/90 where lower; from 13
      // 140/90, an adult's (ACC/AHA 2017) stage 2 hypertension.
      const stage2 = stage2At?.(p.time);
      const atStage2 = stage2 !== undefined && reaches(stage2);
      const flag = severe ? 'severe' : atStage2 ? 'stage2' : above ? 'above' : undefined;
      return {
        range: `below ${f(sys.high)}/${f(dia.high)}`,
        ...(flag ? { flag } : {}),
        ...(atStage2
          ? { stage2: { at: `${f(stage2.systolic)}/${f(stage2.diastolic)}`, guideline: stage2.guideline } }
          : {}),
      };
    }
    const band = bands[0];
    const v = values[0];
    if (band === undefined || (band.low === undefined && band.high === undefined)) return undefined;
    const range =
      band.low !== undefined && band.high !== undefined
        ? `${f(band.low)}–${f(band.high)}`
        : band.low !== undefined
          ? `≥ ${f(band.low)}`
          : `≤ ${f(band.high!)}`;
    const comparator = bounds?.[0];
    // "< 70 %" is judged only where every value it may be lies beyond the band, never as the value 70.
    const flag =
      v === undefined
        ? undefined
        : comparator !== undefined
          ? boundBeyondBand(comparator, v, band)
          : band.low !== undefined && v < band.low
            ? 'below'
            : band.high !== undefined && v > band.high
              ? 'above'
              : undefined;
    return { range, ...(flag ? { flag } : {}) };
  };
}
