import aap from './blood-pressure/aap-2017.json';
import { lmsAt, PERCENTILE_Z, valueAtZ } from './growth/lms';
import type { Comparator, Stage2Limits, VitalKind } from './types';

/**
 * Normal bands for vital signs by age (and sex where it matters), each with
 * its source. Where no published source applies there is no band: an adult
 * band is never drawn under 18.
 */

export interface VitalBand {
  readonly low?: number;
  readonly high?: number;
  /** Where the band comes from, as the chart shows it. */
  readonly source: string;
}

/**
 * Fleming S, Thompson M, Stevens R, et al. Normal ranges of heart rate and
 * respiratory rate in children from birth to 18 years of age: a systematic
 * review of observational studies. Lancet 2011;377:1011–18, centile table.
 * Rows: upper age bound in months (exclusive), 1st and 99th centile. The band is
 * 1st–99th centile: the paper's proposed limits, where the older APLS/PALS
 * ranges cut through the median.
 */
const FLEMING: readonly (readonly [
  months: number,
  label: string,
  hr: [number, number],
  rr: [number, number],
])[] = [
  [3, '0–3 months', [107, 181], [25, 66]],
  [6, '3–6 months', [104, 175], [24, 64]],
  [9, '6–9 months', [98, 168], [23, 61]],
  [12, '9–12 months', [93, 161], [22, 58]],
  [18, '12–18 months', [88, 156], [21, 53]],
  [24, '18–24 months', [82, 149], [19, 46]],
  [36, '2–3 years', [76, 142], [18, 38]],
  [48, '3–4 years', [70, 136], [17, 33]],
  [72, '4–6 years', [65, 131], [17, 29]],
  [96, '6–8 years', [59, 123], [16, 27]],
  [144, '8–12 years', [52, 115], [14, 25]],
  [180, '12–15 years', [47, 108], [12, 23]],
  [216, '15–18 years', [43, 104], [11, 22]],
];

/** Adult ranges (18 years and over). */
const ADULT: Readonly<Partial<Record<VitalKind, VitalBand>>> = {
  'heart-rate': { low: 60, high: 100, source: 'Adult reference range' },
  'respiratory-rate': { low: 12, high: 20, source: 'Adult reference range' },
  temperature: { low: 36.1, high: 37.8, source: 'Adult reference range' },
  spo2: { low: 95, source: 'Adult reference range' },
};

/** WHO adult BMI classification (normal weight 18.5–24.9), from 20 years, where the CDC charts end. */
const ADULT_BMI: VitalBand = { low: 18.5, high: 25, source: 'WHO adult BMI classification, from 20 years' };

/**
 * Blood-pressure limits from 13 years: normal is below 120 mmHg systolic and 80 diastolic, for
 * adults (2017 ACC/AHA guideline, Whelton et al., Hypertension 2018;71:e13–e115) and, with the
 * same figures, for adolescents of 13 and over (2017 AAP guideline, Flynn et al., Pediatrics
 * 2017;140:e20171904, Table 3). Drawn as a limit for each line rather than two shaded bands,
 * which would put a high diastolic reading inside the systolic band.
 */
export const BP_LIMITS = { systolic: { high: 120 }, diastolic: { high: 80 } } as const;

/** Age in months from which BP_LIMITS apply (13 years). */
export const BP_LIMITS_MONTHS = 156;

/** Where the limits come from at an age in months (13 or over). */
export const bpLimitSource = (months: number): string =>
  months >= 216 ? '2017 ACC/AHA guideline' : '2017 AAP guideline, 13 years and over';

/** Age in months from which children's limits apply (the AAP tables start at 1 year). */
export const CHILD_BP_MONTHS = 12;

/** A height this far (days) from a blood-pressure reading still places the child in a height column. */
export const BP_HEIGHT_DAYS = 90;

/** Why a blood pressure has no limits at its latest reading (shown beside the chart). */
export const BP_NOTES = {
  infant: 'No normal limits under 1 year: the AAP 2017 tables start at 1 year.',
  sex: 'No normal limits under 13: the AAP 2017 tables are by sex, and the record gives none.',
  age: 'No normal limits: the record gives the birth date only as a year or a month, and the limits differ across the ages it allows.',
} as const;

/** Normal limits of one blood-pressure reading: normal is below each (mm Hg). */
export interface BpLimits {
  readonly systolic: number;
  readonly diastolic: number;
  readonly source: string;
  /**
   * Where stage 2 begins: a reading at or over either value is far above normal. Under 18 the 2017 AAP
   * guideline's (the 95th percentile + 12 mm Hg, or 140/90 where lower; 140/90 from 13 years), from 18 the 2017
   * ACC/AHA guideline's stage 2 hypertension (140/90).
   */
  readonly stage2?: Stage2Limits;
}

/** Stage 2 from 13 to 17 years (2017 AAP guideline, Table 3), and the most it is at any younger age. */
export const AAP_STAGE2: Stage2Limits = { systolic: 140, diastolic: 90, guideline: 'AAP 2017' };

/**
 * Stage 2 hypertension in adults: systolic 140 or more, or diastolic 90 or more (2017 ACC/AHA guideline, Whelton et
 * al., Hypertension 2018;71:e13–e115, Table 6), the level the AAP guideline takes over from 13 years.
 */
export const ACC_AHA_STAGE2: Stage2Limits = { systolic: 140, diastolic: 90, guideline: 'ACC/AHA 2017' };

interface AapRow {
  readonly heightCm: readonly number[];
  /** 90th percentile. */
  readonly systolic: readonly number[];
  readonly diastolic: readonly number[];
  readonly systolic95: readonly number[];
  readonly diastolic95: readonly number[];
}
const AAP_ROWS = aap.tables as Readonly<Record<'male' | 'female', Readonly<Record<string, AapRow>>>>;

/**
 * A child's limits at 1 to 12 years (2017 AAP guideline, Flynn et al., Pediatrics
 * 2017;140:e20171904, Tables 4 and 5; ./blood-pressure/README.md): normal is below the 90th
 * percentile for age, sex and height, or below 120/80 where that is lower; stage 2 begins at the
 * 95th percentile + 12 mm Hg, or at 140/90 where that is lower. The height column is
 * the one whose height is nearest the child's measured height; without a height, the 5th-height
 * column, which is the guideline's screening table (Table 6).
 */
const cm = (v: number): string => String(Math.round(v * 10) / 10);

export function childBpLimits(
  ageMonths: number,
  gender: string | undefined,
  heightCm: number | undefined,
): BpLimits | undefined {
  if (ageMonths < CHILD_BP_MONTHS || ageMonths >= BP_LIMITS_MONTHS) return undefined;
  if (gender !== 'male' && gender !== 'female') return undefined;
  const years = Math.floor(ageMonths / 12);
  const row = AAP_ROWS[gender][String(years)];
  if (!row) return undefined;
  let column = 0;
  if (heightCm !== undefined)
    row.heightCm.forEach((h, i) => {
      if (Math.abs(h - heightCm) < Math.abs((row.heightCm[column] as number) - heightCm)) column = i;
    });
  const systolic = Math.min(row.systolic[column] as number, BP_LIMITS.systolic.high);
  const diastolic = Math.min(row.diastolic[column] as number, BP_LIMITS.diastolic.high);
  const capped =
    systolic < (row.systolic[column] as number) || diastolic < (row.diastolic[column] as number)
      ? ', or 120/80 where lower'
      : '';
  const who = `${gender === 'male' ? 'a boy' : 'a girl'} of ${years}`;
  return {
    systolic,
    diastolic,
    stage2: {
      systolic: Math.min((row.systolic95[column] as number) + 12, AAP_STAGE2.systolic),
      diastolic: Math.min((row.diastolic95[column] as number) + 12, AAP_STAGE2.diastolic),
      guideline: 'AAP 2017',
    },
    source:
      heightCm === undefined
        ? `2017 AAP guideline, screening values for ${who} (no height within ${BP_HEIGHT_DAYS} days)${capped}`
        : // The column is the table's height nearest the child's: its percentile is the table's for the whole
          // year of age, not the child's own (which the growth chart gives), so the heights are named instead.
          `2017 AAP guideline, 90th percentile for ${who} who is ${cm(heightCm)} cm tall (the table's column for ${cm(row.heightCm[column] as number)} cm)${capped}`,
  };
}

function fleming(kind: 'heart-rate' | 'respiratory-rate', months: number): VitalBand | undefined {
  const row = FLEMING.find(([upper]) => months < upper);
  if (!row) return undefined;
  const [low, high] = kind === 'heart-rate' ? row[2] : row[3];
  return { low, high, source: `Fleming et al., Lancet 2011: 1st–99th centile, ${row[1]}` };
}

/** CDC 2000 BMI-for-age, 5th to 85th percentile (“healthy weight”), 2 to 20 years. */
function childBmi(months: number, gender: string | undefined): VitalBand | undefined {
  if (gender !== 'male' && gender !== 'female') return undefined;
  const lms = lmsAt('bmi', gender, months);
  if (!lms || months < 24) return undefined;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    low: round(valueAtZ(PERCENTILE_Z[5] as number, lms)),
    high: round(valueAtZ(PERCENTILE_Z[85] as number, lms)),
    source: `CDC 2000 BMI-for-age (${gender}), 5th–85th percentile at ${Math.floor(months / 12)} years`,
  };
}

/**
 * The band for a vital at an age in months; undefined where no source applies
 * (unknown age, children's temperature, SpO₂ and blood pressure, BMI under 2).
 */
export function vitalBand(
  kind: VitalKind,
  ageMonths: number | undefined,
  gender?: string,
): VitalBand | undefined {
  if (ageMonths === undefined || ageMonths < 0) return undefined;
  if (kind === 'bmi') return ageMonths >= 240 ? ADULT_BMI : childBmi(ageMonths, gender);
  if (ageMonths >= 216) return ADULT[kind];
  if (kind === 'heart-rate' || kind === 'respiratory-rate') return fleming(kind, ageMonths);
  return undefined;
}

/**
 * A reading known only as a bound ("< 70 %" at an oximeter's floor, "< 32 °C" below a thermometer's scale) judged by
 * the side of its band it is known to be on: below where every value it may be is under the band's low end, above
 * where every one is over its high end (normal is inside the band, its ends included). Otherwise ("< 97 %" beside
 * 95–100) it is not judged.
 */
export function boundBeyondBand(
  comparator: Comparator,
  value: number,
  band: { readonly low?: number; readonly high?: number },
): 'below' | 'above' | undefined {
  const { low, high } = band;
  if (low !== undefined && ((comparator === '<' && value <= low) || (comparator === '<=' && value < low)))
    return 'below';
  if (high !== undefined && ((comparator === '>' && value >= high) || (comparator === '>=' && value > high)))
    return 'above';
  return undefined;
}

/**
 * Whether one side of a blood pressure is known to be at or over a limit (`past`: over it), as a reading is judged.
 * An exact value by itself; a bound, as boundBeyondBand judges one, only where every value it may
 * be is: "> 250" is at or over any limit up to 250, "< 40" is never at or over one, and "> 100" beside a limit of 120
 * is not known to be (which does not make it normal). False for a missing side.
 */
export function bpSideReaches(
  value: number | undefined,
  comparator: Comparator | undefined,
  limit: number,
  past = false,
): boolean {
  if (value === undefined) return false;
  switch (comparator) {
    case '<':
    case '<=':
      return false;
    case '>':
      return value >= limit;
    case '>=':
    case undefined:
      return past ? value > limit : value >= limit;
  }
}
