import { convert } from './ucum';
import type { Quantity } from './types';

/**
 * How many decimals a displayed quantity deserves: those it was sent with, where its
 * source wrote it (three at most), never fewer than two significant digits under 1;
 * for a computed or converted value, the clinical convention for
 * the analyte (by LOINC and unit) or the unit, never more than the value was recorded
 * with, and for a converted value no finer than the first decimal finer than its
 * source's own step: 97 °F (steps of 1 °F, 0.56 °C) shows as 36.1 °C, neither
 * 36.11 °C (a precision it never had) nor 36 °C (rounding it by up to half a
 * degree, as 101 °F, a fever of 38.3 °C, would read as a borderline 38 °C).
 */

/** Decimals by LOINC and unit, where the analyte's convention differs from its unit's. */
const BY_ANALYTE: Readonly<Record<string, number>> = {
  '2160-0|mg/dL': 2, // creatinine
  '38483-4|mg/dL': 2, // creatinine, blood
  '2345-7|mg/dL': 0, // glucose
  '2339-0|mg/dL': 0, // glucose, blood
  '2951-2|mmol/L': 0, // sodium
  '2947-0|mmol/L': 0, // sodium, blood
  '2093-3|mg/dL': 0, // cholesterol
  '2085-9|mg/dL': 0, // HDL cholesterol
  '18262-6|mg/dL': 0, // LDL cholesterol
  '2571-8|mg/dL': 0, // triglycerides
  '777-3|10*3/uL': 0, // platelets
  '3016-3|m[IU]/L': 2, // TSH
  '33914-3|mL/min/{1.73_m2}': 0, // eGFR
  '2069-3|mmol/L': 0, // chloride, blood
  '2075-0|mmol/L': 0, // chloride
  '20565-8|mmol/L': 0, // carbon dioxide, blood
  '2028-9|mmol/L': 0, // carbon dioxide
  '6299-2|mg/dL': 0, // urea nitrogen, blood
  '3094-0|mg/dL': 0, // urea nitrogen
  // HbA1c: NGSP percent to one decimal, IFCC mmol/mol without decimals (International HbA1c
  // Consensus Committee; ADA/EASD/IDF/IFCC consensus statement, Diabetes Care 2007;30:2399-2400).
  // Rounded to a whole percent, 6.45 % would read as 6 %, below the diagnostic 6.5 %.
  '4548-4|%': 1,
  '17856-6|%': 1,
  '4549-2|%': 1,
  '59261-8|mmol/mol': 0,
  '59408-5|%': 0, // oxygen saturation, pulse oximetry
  '2708-6|%': 0, // oxygen saturation, arterial
  '10230-1|%': 0, // left ventricular ejection fraction
  '19926-5|%': 0, // FEV1/FVC
};

/**
 * Decimals by analyte whatever its unit: dimensionless results, whose unit EHRs write in many ways
 * ('1', '{SG}', '{nominal}', 'pH', '[pH]', or none). Urine test strips read specific gravity in
 * steps of 0.005 (normal about 1.005–1.030), so three decimals: rounded to two, 1.003 (very dilute)
 * reads 1.00; they read pH in steps of 0.5, so one decimal.
 */
const BY_LOINC: Readonly<Record<string, number>> = {
  '5811-5': 3, // specific gravity of urine by test strip
  '2965-2': 3, // specific gravity of urine
  '5803-2': 1, // pH of urine by test strip
  '2756-5': 1, // pH of urine
  // eGFR in whole mL/min, whatever the unit says (mL/min/{1.73_m2}, or mL/min in the same record).
  '33914-3': 0,
  '62238-1': 0,
  '48642-3': 0,
  '48643-1': 0,
  '50044-7': 0,
  '98979-8': 0,
  '72514-3': 0, // pain severity, 0–10 numeric rating: whole points
  '38208-5': 0, // pain severity, reported
};

/**
 * Decimals by UCUM unit. Percent is not among them: its analytes differ too much (saturation
 * and ejection fraction in whole percent, HbA1c and hematocrit to a tenth, basophils often
 * under 1 %), so an unlisted one keeps three significant digits.
 */
const BY_UNIT: Readonly<Record<string, number>> = {
  'mm[Hg]': 0,
  '/min': 0,
  '{beats}/min': 0,
  '{breaths}/min': 0,
  Cel: 1,
  '[degF]': 1,
  kg: 1,
  '[lb_av]': 1,
  g: 0,
  cm: 1,
  '[in_i]': 1,
  'kg/m2': 1,
  'mg/dL': 1,
  'mmol/L': 1,
  'g/dL': 1,
  'g/L': 0,
  'mEq/L': 0,
  'U/L': 0,
  '10*3/uL': 1,
  '10*9/L': 1,
  '10*6/uL': 2,
  '10*12/L': 2,
  fL: 1,
  pg: 1,
};

/** Three significant digits, at most three decimals, for anything not listed. */
function byMagnitude(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const digits = 2 - Math.floor(Math.log10(Math.abs(value)));
  return Math.min(3, Math.max(0, digits));
}

/** Decimals the number was written with (JSON keeps no trailing zeros). */
export function writtenDecimals(value: number): number {
  const text = String(value);
  if (/e-/i.test(text)) return Number(text.split(/e-/i)[1] ?? 0);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * The most decimals a value converted from `original` into `unit` can honestly show: the first whose step is
 * finer than the source's, so rounding never adds an error as large as the source's own.
 */
function convertedDecimals(original: Quantity, unit: string, loinc?: string): number | undefined {
  const step = 10 ** -writtenDecimals(original.value);
  const q = (v: number) => ({ value: v, code: original.unit, system: 'http://unitsofmeasure.org' });
  const a = convert(q(original.value), unit, loinc);
  const b = convert(q(original.value + step), unit, loinc);
  if (a === undefined || b === undefined) return undefined;
  const spread = Math.abs(b.value - a.value);
  if (spread === 0) return undefined;
  return Math.max(0, Math.ceil(-Math.log10(spread) - 1e-9));
}

export interface PrecisionInput {
  readonly value: number;
  readonly unit?: string;
  readonly loinc?: string;
  /** The value as recorded, when `value` was converted from it. */
  readonly original?: Quantity;
  /** The value is the EHR's own (shown beside a conversion): keep its digits, up to three decimals. */
  readonly asRecorded?: boolean;
  /**
   * Decimals the value needs at least, as it was written (never more): a laboratory result whose convention would
   * round it across a bound of its range (LabResult.decimals).
   */
  readonly atLeast?: number | undefined;
}

/**
 * Laboratory units whose whole-number rule is for the values their analytes usually take (sodium 140 mEq/L,
 * albumin 40 g/L): a value between 1 and 10 keeps a decimal where it was written with one (potassium 3.4 mEq/L
 * is low, "3 mEq/L" says nothing).
 */
const TENTHS_BELOW_TEN = new Set(['mEq/L', 'g/L', 'U/L']);

/**
 * The most decimals a value sent as written can have: a laboratory or a device writes three at most (a weight in
 * kilograms to the gram); more are a computation (Synthea's 170.19145291645594 cm, a conversion), shown by
 * convention.
 */
const SENT_DECIMALS = 3;

/**
 * A weight under 10 kg (a newborn's, an infant's) weighed to the gram (written with three decimals at most) keeps
 * its grams: a newborn's nadir of a few per cent and a day's 50 g are what the chart is read for, and a tenth of a
 * kilogram hides both, and so does one converted from grams, ounces or pounds written so. A computed weight (many
 * decimals: generated) keeps the tenth.
 */
const INFANT_KG = 10;

function byUnit(value: number, unit: string | undefined, original?: Quantity): number | undefined {
  // A weight converted from grams, ounces or pounds was weighed as finely as its source was written.
  if (
    unit === 'kg' &&
    Math.abs(value) < INFANT_KG &&
    writtenDecimals(original?.value ?? value) <= SENT_DECIMALS
  )
    return 3;
  const decimals = unit === undefined ? undefined : BY_UNIT[unit];
  if (decimals === undefined || !TENTHS_BELOW_TEN.has(unit!)) return decimals;
  const size = Math.abs(value);
  return size >= 1 && size < 10 ? Math.max(decimals, Math.min(1, writtenDecimals(value))) : decimals;
}

export function displayDecimals(input: PrecisionInput): number {
  const conventional = conventionalDecimals(input);
  return input.atLeast === undefined ? conventional : Math.max(conventional, input.atLeast);
}

/**
 * Vital signs read by their convention whatever a device sends: blood pressure and rates in whole units, temperature
 * to a tenth of a degree, weight and height to a tenth (an infant's weight to the gram, byUnit), oxygen saturation in
 * whole per cent, a 0–10 pain rating in whole points. A monitor's 119.4/79.4 reads 119/79 and its 37.86 °C 37.9 °C,
 * as every flowsheet writes them; the bands they are judged by are drawn at that precision too.
 */
const VITAL_UNITS: ReadonlySet<string> = new Set([
  'mm[Hg]',
  '/min',
  '{beats}/min',
  '{breaths}/min',
  'Cel',
  '[degF]',
  'kg',
  '[lb_av]',
  'cm',
  '[in_i]',
  'kg/m2',
]);
const VITAL_LOINCS: ReadonlySet<string> = new Set(['59408-5', '2708-6', '72514-3', '38208-5']);
const byVitalConvention = (unit: string | undefined, loinc: string | undefined): boolean =>
  (unit !== undefined && VITAL_UNITS.has(unit)) || (loinc !== undefined && VITAL_LOINCS.has(loinc));

/**
 * Decimals that keep two significant digits of a value under 1 (0.45, 0.04, 0.0012), so no value that is not zero
 * is ever shown as zero, nor rounded across a threshold that low values are read against (an absolute neutrophil
 * count of 0.45 ×10³/µL is below 0.5).
 */
function smallDecimals(value: number): number {
  const size = Math.abs(value);
  return size === 0 || size >= 1 || !Number.isFinite(size) ? 0 : 1 - Math.floor(Math.log10(size));
}

/**
 * A value as its source wrote it (three decimals at most) keeps the decimals it was sent with, as a value shown as
 * recorded does: the laboratory chose them, and a convention would round a lithium of 1.45 mmol/L or an ANC of 0.45
 * to the next threshold. (The convention still counts where it is finer: JSON drops trailing zeros, so 80 kg may
 * have been weighed as 80.0, and is not the same reading as 80.1.) A converted value, or a computed one (more
 * decimals), takes the clinical convention, no finer than its source for a conversion.
 */
function conventionalDecimals({ value, unit, loinc, original, asRecorded }: PrecisionInput): number {
  const clinical =
    (loinc === undefined || unit === undefined ? undefined : BY_ANALYTE[`${loinc}|${unit}`]) ??
    (loinc === undefined ? undefined : BY_LOINC[loinc]) ??
    byUnit(value, unit, original) ??
    byMagnitude(value);
  const written = writtenDecimals(value);
  if (asRecorded) return Math.min(SENT_DECIMALS, Math.max(clinical, written));
  if (byVitalConvention(unit, loinc) && original === undefined)
    return Math.max(clinical, smallDecimals(value));
  let decimals = clinical;
  if (original !== undefined && unit !== undefined) {
    const honest = convertedDecimals(original, unit, loinc);
    if (honest !== undefined) decimals = Math.min(clinical, honest);
  } else if (written <= SENT_DECIMALS) decimals = Math.max(clinical, written);
  return Math.max(decimals, smallDecimals(value));
}

/** The decimals a number is shown with, in the clinician's chart and the patient's views alike (formatNumber). */
export function shownDecimals(input: PrecisionInput): number {
  return Math.min(displayDecimals(input), writtenDecimals(input.value));
}

/**
 * `value.toFixed(decimals)` rounded in decimal, as the value was written, half away from zero: 1.45 to one decimal is
 * "1.5" (toFixed gives "1.4": the double nearest 1.45 is just under it).
 */
export function toFixedDecimal(value: number, decimals: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  // Exponent notation (under 1e-6, over 1e21): the binary rounding is as good as any.
  if (!m) return value.toFixed(decimals);
  const [, sign = '', whole = '', fraction = ''] = m;
  if (fraction.length <= decimals) return value.toFixed(decimals);
  let digits = BigInt(whole + fraction.slice(0, decimals));
  if ((fraction[decimals] as string) >= '5') digits += 1n;
  const text = digits.toString().padStart(decimals + 1, '0');
  return `${sign}${decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`}`;
}

/**
 * The number rounded for display, to its decimals where the value as recorded had that many: an HbA1c of
 * 3.0102 % reads "3.0 %" as a laboratory reports it, not "3 %"; a value recorded as 17 stays "17", as its
 * trailing zeros, if any, did not survive the EHR's JSON and claiming them would claim a precision not known.
 */
export function formatNumber(input: PrecisionInput): string {
  const decimals = shownDecimals(input);
  const text = toFixedDecimal(input.value, decimals);
  // No "-0" or "-0.0" for a small negative value rounded to zero.
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}
