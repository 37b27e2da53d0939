import type { Observation } from '@medplum/fhirtypes';
import { formatAge } from './age';
import {
  type GrowthMeasure,
  type GrowthSex,
  lmsAt,
  normalCdf,
  PERCENTILE_Z,
  referenceRows,
  referenceSpan,
  valueAtZ,
  zScore,
} from './growth/lms';
import type { GrowthChartModel, GrowthCurve, GrowthModel, GrowthPoint, VitalKind } from './types';
import { mapVitals, type VitalsPatient } from './vitals';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 30.4375;
/** The CDC charts end at 20 years. */
const LAST_MONTH = 240;
const CURVES = [3, 10, 25, 50, 75, 90, 97] as const;
/** Enough points for a smooth curve at any span. */
const MAX_CURVE_POINTS = 60;

const MEASURES: readonly { measure: GrowthMeasure; kind: VitalKind; label: string }[] = [
  { measure: 'weight', kind: 'weight', label: 'Weight-for-age' },
  { measure: 'length', kind: 'height', label: 'Length/height-for-age' },
  { measure: 'head', kind: 'head-circumference', label: 'Head circumference-for-age' },
  { measure: 'bmi', kind: 'bmi', label: 'BMI-for-age' },
];

const SOURCES = { who: 'WHO 2006 (0–2 years)', cdc: 'CDC 2000 (2–20 years)' } as const;

function birthTime(birthDate: string | undefined): number | undefined {
  const m = birthDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

function curves(measure: GrowthMeasure, sex: GrowthSex, from: number, to: number): GrowthCurve[] {
  const inside = referenceRows(measure, sex)
    .map((r) => r[0] as number)
    .filter((a) => a > from && a < to);
  const step = Math.max(1, Math.ceil(inside.length / MAX_CURVE_POINTS));
  const ages = [from, ...inside.filter((_, i) => i % step === 0), to];
  return CURVES.map((percentile) => ({
    percentile,
    points: ages.flatMap((age) => {
      const lms = lmsAt(measure, sex, age);
      return lms
        ? [[age, Number(valueAtZ(PERCENTILE_Z[percentile] as number, lms).toFixed(3))] as const]
        : [];
    }),
  }));
}

function chart(
  def: (typeof MEASURES)[number],
  series: {
    loinc: string;
    unit: string;
    points: readonly { observationId: string; time: string; value: number }[];
  },
  born: number,
  birthDate: string,
  sex: GrowthSex | undefined,
): GrowthChartModel | undefined {
  const [spanLo, spanHi] = referenceSpan(def.measure);
  const points: GrowthPoint[] = series.points.flatMap((p) => {
    const ageMonths = (Date.parse(p.time) - born) / DAY_MS / MONTH_DAYS;
    if (!(ageMonths >= spanLo && ageMonths <= spanHi)) return [];
    const lms = sex && lmsAt(def.measure, sex, ageMonths);
    const age = formatAge(birthDate, new Date(p.time)) ?? '';
    const base = { observationId: p.observationId, time: p.time, ageMonths, age, value: p.value };
    if (!lms) return [base];
    const z = zScore(p.value, lms);
    return [{ ...base, z, percentile: normalCdf(z) * 100 }];
  });
  if (points.length === 0) return undefined;
  const ages = points.map((p) => p.ageMonths);
  // The span of the patient's own data, a little wider, inside the reference.
  const from = Math.max(spanLo, Math.floor(Math.min(...ages)) - 1);
  const to = Math.min(spanHi, Math.ceil(Math.max(...ages)) + 1);
  const used = sex ? [...new Set([from, to].map((a) => lmsAt(def.measure, sex, a)?.source))] : [];
  const source = used.flatMap((s) => (s ? [SOURCES[s]] : [])).join(', ');
  return {
    measure: def.measure,
    label: def.label,
    unit: series.unit,
    loinc: series.loinc,
    ...(source ? { source } : {}),
    points,
    curves: sex ? curves(def.measure, sex, from, to) : [],
  };
}

/**
 * Growth for a patient under 20: weight, length/height, head circumference
 * (to 36 months) and BMI (from 2 years) against percentile curves for age and
 * sex, each reading with its z-score and percentile.
 */
export function mapGrowth(
  observations: readonly Observation[],
  patient: VitalsPatient,
  now: Date,
): GrowthModel {
  const { birthDate } = patient;
  const born = birthTime(birthDate);
  if (
    born === undefined ||
    birthDate === undefined ||
    (now.getTime() - born) / DAY_MS / MONTH_DAYS >= LAST_MONTH
  )
    return { shown: false, charts: [] };
  const sex = patient.gender === 'male' || patient.gender === 'female' ? patient.gender : undefined;
  const { series } = mapVitals(observations);
  const charts = MEASURES.flatMap((def) => {
    const s = series.find((x) => x.kind === def.kind);
    const c = s && s.kind !== 'blood-pressure' ? chart(def, s, born, birthDate, sex) : undefined;
    return c ? [c] : [];
  });
  return {
    shown: true,
    ...(sex
      ? {}
      : { note: 'Sex is not recorded as male or female: percentiles need a sex-specific reference.' }),
    charts,
  };
}
