import { impossibleReading } from './possible';
import type { Observation } from '@medplum/fhirtypes';
import { formatAge } from './age';
import { percentileCurves } from './growth/curves';
import {
  type GrowthMeasure,
  type GrowthSex,
  lmsAt,
  normalCdf,
  referenceChanges,
  referenceRows,
  referenceSpan,
  whoWeightZScore,
  zScore,
} from './growth/lms';
import type { GrowthChartModel, GrowthModel, GrowthPoint, ResultStatus, VitalKind } from './types';
import { mapVitals, type VitalsPatient } from './vitals';
import { weightForLengthChart } from './weight-for-length';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 30.4375;
/** The CDC charts end at 20 years. */
const LAST_MONTH = 240;
/** Weight-for-length (WHO) is drawn for children under 2 years. */
const WEIGHT_FOR_LENGTH_UNTIL = 24;

const MEASURES: readonly { measure: GrowthMeasure; kind: VitalKind; label: string }[] = [
  { measure: 'weight', kind: 'weight', label: 'Weight-for-age' },
  { measure: 'length', kind: 'height', label: 'Length/height-for-age' },
  { measure: 'head', kind: 'head-circumference', label: 'Head circumference-for-age' },
  { measure: 'bmi', kind: 'bmi', label: 'BMI-for-age' },
];

/** How far before a change of reference a span ends that does not cross it (about a day, in months). */
const CHANGE_MARGIN = 0.01;

/** The measures whose WHO z-scores beyond ±3 the WHO computes by its restricted LMS (whoWeightZScore). */
const WHO_RESTRICTED: ReadonlySet<GrowthMeasure> = new Set(['weight', 'bmi']);

const SOURCES = { who: 'WHO 2006 (0–2 years)', cdc: 'CDC 2000 (2–20 years)' } as const;

function birthTime(birthDate: string | undefined): number | undefined {
  const m = birthDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

function chart(
  def: (typeof MEASURES)[number],
  series: {
    loinc: string;
    unit: string;
    points: readonly { observationId: string; time: string; value: number; status?: ResultStatus }[];
  },
  ageAt: (time: string) => { readonly ageMonths: number; readonly age: string },
  sex: GrowthSex | undefined,
): GrowthChartModel | undefined {
  const [spanLo, spanHi] = referenceSpan(def.measure);
  const points: GrowthPoint[] = series.points.flatMap((p) => {
    const { ageMonths, age } = ageAt(p.time);
    if (!(ageMonths >= spanLo && ageMonths <= spanHi)) return [];
    const lms = sex && lmsAt(def.measure, sex, ageMonths);
    const base = {
      observationId: p.observationId,
      time: p.time,
      ageMonths,
      age,
      value: p.value,
      ...(p.status ? { status: p.status } : {}),
    };
    if (!lms) return [base];
    const z =
      lms.source === 'who' && WHO_RESTRICTED.has(def.measure)
        ? whoWeightZScore(p.value, lms)
        : zScore(p.value, lms);
    return [{ ...base, z, percentile: normalCdf(z) * 100 }];
  });
  if (points.length === 0) return undefined;
  const ages = points.map((p) => p.ageMonths);
  const [youngest, oldest] = [Math.min(...ages), Math.max(...ages)];
  // The span of the patient's own data, a little wider, inside the reference, and not widened
  // into another reference the data does not reach (a child measured to 23 months gets no CDC stub).
  let from = Math.max(spanLo, Math.floor(youngest) - 1);
  let to = Math.min(spanHi, Math.ceil(oldest) + 1);
  const changes = referenceChanges(def.measure);
  for (const change of changes) {
    if (oldest < change) to = Math.min(to, change - CHANGE_MARGIN);
    if (youngest >= change) from = Math.max(from, change);
  }
  const referenceChange = changes.find((c) => c > from && c <= to);
  const used = sex ? [...new Set([from, to].map((a) => lmsAt(def.measure, sex, a)?.source))] : [];
  const source = used.flatMap((s) => (s ? [SOURCES[s]] : [])).join(', ');
  return {
    measure: def.measure,
    label: def.label,
    unit: series.unit,
    loinc: series.loinc,
    ...(source ? { source } : {}),
    ...(referenceChange !== undefined ? { referenceChange } : {}),
    points,
    curves: sex
      ? percentileCurves(
          referenceRows(def.measure, sex).map((r) => r[0] as number),
          (age) => lmsAt(def.measure, sex, age),
          from,
          to,
        )
      : [],
  };
}

/**
 * Growth for a patient under 20: weight, length/height, head circumference
 * (to 36 months) and BMI (from 2 years) against percentile curves for age and
 * sex, and under 2 years weight-for-length; each reading with its z-score and
 * percentile. `at` is when the patient's age is taken: now, or a deceased patient's end of life.
 */
export function mapGrowth(
  observations: readonly Observation[],
  patient: VitalsPatient,
  at: Date,
): GrowthModel {
  const { birthDate } = patient;
  const born = birthTime(birthDate);
  const reachedMonths = born === undefined ? undefined : (at.getTime() - born) / DAY_MS / MONTH_DAYS;
  if (
    born === undefined ||
    birthDate === undefined ||
    reachedMonths === undefined ||
    reachedMonths >= LAST_MONTH
  )
    return { shown: false, charts: [] };
  const sex = patient.gender === 'male' || patient.gender === 'female' ? patient.gender : undefined;
  const ageAt = (time: string) => ({
    ageMonths: (Date.parse(time) - born) / DAY_MS / MONTH_DAYS,
    age: formatAge(birthDate, new Date(time)) ?? '',
  });
  const { series } = mapVitals(observations);
  // A reading that cannot be (a newborn's 3,300 "kg", grams sent as kilograms) is neither drawn nor graded: on the
  // axis it would flatten every real reading, and its percentile would say nothing.
  const left = new Map<VitalKind, number>();
  const scalar = (kind: VitalKind) => {
    const s = series.find((x) => x.kind === kind);
    if (s === undefined || s.kind === 'blood-pressure') return undefined;
    // A reading known only as a bound ("> 150 kg" beyond a scale) has no percentile, and is not drawn as exact.
    const exact = s.points.filter((p) => p.comparator === undefined);
    const points = exact.filter((p) => impossibleReading(s.kind, [p.value], String) === undefined);
    left.set(kind, exact.length - points.length);
    return { ...s, points };
  };
  const charts = MEASURES.flatMap((def) => {
    const s = scalar(def.kind);
    const c = s ? chart(def, s, ageAt, sex) : undefined;
    const notPossible = left.get(def.kind) ?? 0;
    return c ? [notPossible > 0 ? { ...c, notPossible } : c] : [];
  });
  const weights = scalar('weight')?.points ?? [];
  const lengths = scalar('height')?.points ?? [];
  const forLength =
    reachedMonths < WEIGHT_FOR_LENGTH_UNTIL ? weightForLengthChart(weights, lengths, ageAt, sex) : undefined;
  if (forLength) {
    // Beside the age charts, after length-for-age, as the WHO orders them.
    const after = charts.findIndex((c) => c.measure === 'length');
    charts.splice(after < 0 ? charts.length : after + 1, 0, forLength);
  }
  return {
    shown: true,
    birthDate,
    ...(sex
      ? {}
      : { note: 'Sex is not recorded as male or female: percentiles need a sex-specific reference.' }),
    charts,
  };
}
