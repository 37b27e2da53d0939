import { percentileCurves } from './growth/curves';
import { type GrowthSex, normalCdf, whoWeightZScore } from './growth/lms';
import { WEIGHT_FOR_LENGTH_CM, weightForLengthAt, weightForLengthRows } from './growth/weight-for-length';
import type { GrowthChartModel, GrowthPoint, ResultStatus, VitalPoint } from './types';

/** The WHO weight-for-length standard is for children under 2 years. */
const LAST_MONTH = 24;

interface Reading {
  readonly observationId: string;
  readonly time: string;
  readonly value: number;
  readonly status?: ResultStatus;
}

/** The last reading of each calendar day (the day as the EHR recorded it), by day. */
function lastOfEachDay(points: readonly VitalPoint[]): Map<string, Reading> {
  const byDay = new Map<string, Reading>();
  for (const p of points) byDay.set(p.time.slice(0, 10), p);
  return byDay;
}

/**
 * Weight against length for a child under 2 (WHO 2006), each weight paired
 * with the length measured the same day; days with only one of the two are
 * left out, and so are lengths outside 45–110 cm. Weights in kg, lengths in cm,
 * both oldest first.
 */
export function weightForLengthChart(
  weights: readonly VitalPoint[],
  lengths: readonly VitalPoint[],
  ageAt: (time: string) => { readonly ageMonths: number; readonly age: string },
  sex: GrowthSex | undefined,
): GrowthChartModel | undefined {
  const lengthByDay = lastOfEachDay(lengths);
  const points: GrowthPoint[] = [...lastOfEachDay(weights)].flatMap(([day, w]) => {
    const measured = lengthByDay.get(day);
    const length = measured?.value;
    const { ageMonths, age } = ageAt(w.time);
    if (length === undefined || !(ageMonths >= 0 && ageMonths < LAST_MONTH)) return [];
    if (!(length >= WEIGHT_FOR_LENGTH_CM[0] && length <= WEIGHT_FOR_LENGTH_CM[1])) return [];
    // Preliminary where the weight or the length is.
    const status = w.status ?? measured?.status;
    const base = {
      observationId: w.observationId,
      time: w.time,
      ageMonths,
      age,
      value: w.value,
      length,
      ...(status ? { status } : {}),
    };
    const lms = sex && weightForLengthAt(sex, length);
    if (!lms) return [base];
    const z = whoWeightZScore(w.value, lms);
    return [{ ...base, z, percentile: normalCdf(z) * 100 }];
  });
  if (points.length === 0) return undefined;
  const cms = points.map((p) => p.length as number);
  // The span of the child's own lengths, a little wider, inside the standard.
  const from = Math.max(WEIGHT_FOR_LENGTH_CM[0], Math.floor(Math.min(...cms)) - 2);
  const to = Math.min(WEIGHT_FOR_LENGTH_CM[1], Math.ceil(Math.max(...cms)) + 2);
  return {
    measure: 'weight-length',
    label: 'Weight-for-length',
    unit: 'kg',
    loinc: '29463-7',
    xAxis: 'length',
    ...(sex ? { source: 'WHO 2006 (0–2 years, 45–110 cm)' } : {}),
    points,
    curves: sex
      ? percentileCurves(
          weightForLengthRows(sex).map((r) => r[0] as number),
          (cm) => weightForLengthAt(sex, cm),
          from,
          to,
        )
      : [],
  };
}
