/**
 * Plain words for the patient's own view: names and one-sentence explanations
 * of vitals and common labs, keyed by LOINC, and where a value sits against its
 * usual range. Never a diagnosis, never advice beyond "talk to your care team".
 * The words themselves, in each language, are in messages/<locale>.json under
 * the keys this module gives (`tests`, `conditions`, `range`, `trend`).
 */

/** The key of a test's plain name and explanation in the messages (`tests.<key>.name`, `.explains`). */
export type PlainTestKey =
  | 'bloodPressure'
  | 'heartRate'
  | 'breathingRate'
  | 'temperature'
  | 'oxygen'
  | 'weight'
  | 'height'
  | 'bmi'
  | 'headSize'
  | 'painScore'
  | 'totalCholesterol'
  | 'ldl'
  | 'hdl'
  | 'triglycerides'
  | 'glucose'
  | 'a1c'
  | 'creatinine'
  | 'egfr'
  | 'urea'
  | 'sodium'
  | 'potassium'
  | 'chloride'
  | 'carbonDioxide'
  | 'calcium'
  | 'whiteCells'
  | 'redCells'
  | 'hemoglobin'
  | 'hematocrit'
  | 'platelets'
  | 'alt'
  | 'ast'
  | 'tsh'
  | 'urineProtein'
  | 'bilirubin'
  | 'urineColor';

/** Curated for vitals and the labs patients see most, each with the LOINC codes it goes by. */
const CURATED: readonly (readonly [readonly string[], PlainTestKey])[] = [
  [['85354-9'], 'bloodPressure'],
  [['8867-4'], 'heartRate'],
  [['9279-1'], 'breathingRate'],
  [['8310-5', '8331-1', '8332-9', '8328-7', '8333-7', '8329-5'], 'temperature'],
  [['59408-5', '2708-6'], 'oxygen'],
  [['29463-7', '3141-9'], 'weight'],
  [['8302-2', '8306-3', '8308-9'], 'height'],
  [['39156-5'], 'bmi'],
  [['9843-4'], 'headSize'],
  [['72514-3', '38208-5'], 'painScore'],
  [['2093-3'], 'totalCholesterol'],
  [['18262-6', '13457-7'], 'ldl'],
  [['2085-9'], 'hdl'],
  [['2571-8'], 'triglycerides'],
  [['2339-0', '2345-7', '15074-8', '14749-6'], 'glucose'],
  [['4548-4', '17856-6'], 'a1c'],
  [['2160-0', '38483-4'], 'creatinine'],
  [['33914-3'], 'egfr'],
  [['3094-0', '6299-2'], 'urea'],
  [['2951-2', '2947-0'], 'sodium'],
  [['2823-3', '6298-4'], 'potassium'],
  [['2075-0', '2069-3'], 'chloride'],
  [['2028-9', '20565-8'], 'carbonDioxide'],
  [['17861-6', '49765-1'], 'calcium'],
  [['6690-2'], 'whiteCells'],
  [['789-8'], 'redCells'],
  [['718-7'], 'hemoglobin'],
  [['4544-3'], 'hematocrit'],
  [['777-3'], 'platelets'],
  [['1742-6'], 'alt'],
  [['1920-8'], 'ast'],
  [['3016-3'], 'tsh'],
  [['14959-1'], 'urineProtein'],
  [['1975-2', '42719-5'], 'bilirubin'],
  [['5778-6'], 'urineColor'],
];

/** By LOINC; anything else keeps the EHR's name. */
export const PLAIN_TESTS: { readonly [loinc: string]: PlainTestKey } = Object.fromEntries(
  CURATED.flatMap(([codes, key]) => codes.map((code) => [code, key])),
);

/** Every curated test's key, for checking that each language names and explains it. */
export const PLAIN_TEST_KEYS: readonly PlainTestKey[] = CURATED.map(([, key]) => key);

/** The curated test a LOINC code names; undefined keeps the EHR's text and "ask your care team". */
export function plainTestKey(loinc: string | undefined): PlainTestKey | undefined {
  return loinc === undefined ? undefined : PLAIN_TESTS[loinc];
}

export type RangePosition = 'below' | 'in' | 'above';

export interface UsualRange {
  readonly low?: number;
  readonly high?: number;
  /** The bound is outside the range ("> 59"). */
  readonly lowExclusive?: true;
  readonly highExclusive?: true;
}

/** Where a value sits against its usual range; undefined when the range has no numbers. */
export function rangePosition(value: number, range: UsualRange | undefined): RangePosition | undefined {
  if (range === undefined || (range.low === undefined && range.high === undefined)) return undefined;
  if (range.low !== undefined && (value < range.low || (range.lowExclusive && value === range.low)))
    return 'below';
  if (range.high !== undefined && (value > range.high || (range.highExclusive && value === range.high)))
    return 'above';
  return 'in';
}

/** A range bar's geometry: percentages of the bar's width, 0 at its left end. */
export interface RangeBarScale {
  readonly usualStart: number;
  readonly usualEnd: number;
  readonly value: number;
}

const clampPct = (x: number) => Math.min(100, Math.max(0, x));

/**
 * Lays a value and its usual range on one bar: the usual range in the middle
 * half when both ends are known, the value always on the bar.
 */
export function rangeBarScale(value: number, range: UsualRange): RangeBarScale | undefined {
  const { low, high } = range;
  if (low === undefined && high === undefined) return undefined;
  let min: number;
  let max: number;
  if (low !== undefined && high !== undefined && high > low) {
    const pad = (high - low) / 2;
    min = Math.min(low - pad, value);
    max = Math.max(high + pad, value);
  } else if (high !== undefined && low === undefined) {
    min = Math.min(0, value);
    max = Math.max(high * 1.5, value * 1.1, high + 1);
  } else {
    const lo = low ?? high ?? 0;
    min = Math.min(0, value);
    max = Math.max(lo * 2, value * 1.1, lo + 1);
  }
  const pct = (x: number) => clampPct(((x - min) / (max - min)) * 100);
  return {
    usualStart: low === undefined ? 0 : pct(low),
    usualEnd: high === undefined ? 100 : pct(high),
    value: pct(value),
  };
}

export type TrendDirection = 'up' | 'down' | 'same';

/** Compares the newest value with an older one: a change under 5% is "about the same". */
export function trendDirection(older: number, newer: number): TrendDirection {
  const base = Math.abs(older) > 0 ? Math.abs(older) : 1;
  const change = (newer - older) / base;
  if (change > 0.05) return 'up';
  if (change < -0.05) return 'down';
  return 'same';
}

/** The key of a condition's plain name in the messages (`conditions.<key>`). */
export type PlainConditionKey =
  | 'type2Diabetes'
  | 'type1Diabetes'
  | 'prediabetes'
  | 'highBloodPressure'
  | 'highBloodFats'
  | 'highCholesterol'
  | 'obesity'
  | 'asthma'
  | 'longSinusInfection'
  | 'sinusInfection'
  | 'bronchitis'
  | 'soreThroat'
  | 'kidneyDisease1'
  | 'kidneyDisease2'
  | 'kidneyDisease3'
  | 'heartDisease'
  | 'irregularHeartbeat'
  | 'depression'
  | 'anxiety'
  | 'stroke'
  | 'rheumatoidArthritis'
  | 'kneeArthritis'
  | 'diabeticNerveDamage'
  | 'diabeticEyeDamage';

/** SNOMED CT codes of common conditions, to the key of the name patients use. */
export const PLAIN_CONDITIONS: { readonly [snomed: string]: PlainConditionKey } = {
  '44054006': 'type2Diabetes',
  '46635009': 'type1Diabetes',
  '15777000': 'prediabetes',
  '38341003': 'highBloodPressure',
  '59621000': 'highBloodPressure',
  '55822004': 'highBloodFats',
  '13644009': 'highCholesterol',
  '162864005': 'obesity',
  '414916001': 'obesity',
  '195967001': 'asthma',
  '40055000': 'longSinusInfection',
  '444814009': 'sinusInfection',
  '10509002': 'bronchitis',
  '195662009': 'soreThroat',
  '431855005': 'kidneyDisease1',
  '431856006': 'kidneyDisease2',
  '433144002': 'kidneyDisease3',
  '53741008': 'heartDisease',
  '49436004': 'irregularHeartbeat',
  '35489007': 'depression',
  '197480006': 'anxiety',
  '230690007': 'stroke',
  '69896004': 'rheumatoidArthritis',
  '239873007': 'kneeArthritis',
  '368581000119106': 'diabeticNerveDamage',
  '1551000119108': 'diabeticEyeDamage',
};

/** The curated condition a SNOMED CT code names, if any. */
export function plainConditionKey(snomed: string | undefined): PlainConditionKey | undefined {
  return snomed === undefined ? undefined : PLAIN_CONDITIONS[snomed];
}

/** "Family, Given Middle" as a person says it: "Given Middle Family". */
export function spokenName(display: string): string {
  const comma = display.indexOf(',');
  if (comma < 0) return display.trim();
  return `${display.slice(comma + 1).trim()} ${display.slice(0, comma).trim()}`.trim();
}
