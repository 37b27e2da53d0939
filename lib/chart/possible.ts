import type { Comparator, VitalKind } from './types';

/**
 * Readings nobody alive can have, in each series' unit (lib/chart/vitals.ts): below zero, off the scale itself, or
 * past the extremes people have been recorded with and survived. Such a reading is an error in the record (a
 * temperature in °F sent as °C, a weight in grams as kilograms, a pain score of 12, systolic and diastolic swapped),
 * and judging it against a normal band would only repeat the error: the chart says it is not possible instead.
 *
 * The limits are wide on purpose: they catch what cannot be, never what is merely extreme.
 * - Temperature 13–47 °C: 13.7 °C survived in accidental hypothermia (Gilbert et al., Lancet 2000;355:375–6) and
 *   46.5 °C in heat stroke (Slovis et al., Ann Emerg Med 1982;11:269–71).
 * - Heart rate up to 600/min: the fastest recorded in a person (Chhabra et al., Indian Pacing Electrophysiol J
 *   2012;12:32–5).
 * - Systolic up to 480 mmHg: measured intra-arterially in heavy lifting (MacDougall et al., J Appl Physiol
 *   1985;58:785–90, 480/350); a diastolic pressure is below its systolic by definition.
 * - Weight up to 650 kg and height up to 280 cm: the heaviest (about 635 kg) and tallest (272 cm) people recorded.
 * - Weight from 0.2 kg, length from 20 cm and head circumference from 15 cm: the smallest newborn known to have
 *   survived weighed 212 g and measured 24 cm (born at 25 weeks, National University Hospital Singapore, 2020); a
 *   head at 22 weeks' gestation measures about 20 cm. Below them a reading is a unit slip (metres sent as
 *   centimetres, kilograms as grams), not a patient.
 * - SpO₂ is a share of haemoglobin (0–100 %); the pain score the patient's rating on a 0–10 scale.
 */
const LIMITS: Readonly<
  Record<Exclude<VitalKind, 'blood-pressure'>, { readonly low: number; readonly high?: number }>
> = {
  temperature: { low: 13, high: 47 },
  'heart-rate': { low: 0, high: 600 },
  'respiratory-rate': { low: 0 },
  spo2: { low: 0, high: 100 },
  weight: { low: 0.2, high: 650 },
  height: { low: 20, high: 280 },
  bmi: { low: 0, high: 250 },
  'head-circumference': { low: 15, high: 100 },
  pain: { low: 0, high: 10 },
};

const SYSTOLIC_HIGH = 480;

/** Whether a limit is one that a zero reaches (a weight, a height): zero is then impossible too. */
const ZERO_IMPOSSIBLE: ReadonlySet<VitalKind> = new Set(['weight', 'height', 'bmi', 'head-circumference']);

/** Whether a value known only as a bound may still be below it ("> 250" may not; "< 40" and an exact 40 may be 40). */
const atMost = (c: Comparator | undefined): boolean => c === undefined || c === '<' || c === '<=';
/** Whether the true value is at least the one written (an exact value, or "> 250"). */
const atLeast = (c: Comparator | undefined): boolean => c === undefined || c === '>' || c === '>=';

/**
 * Why a reading cannot be, in a few words to follow "Not possible:", or undefined when it can.
 * `format` writes a limit in the series' unit, as the chart writes values. `comparators` are the values' own
 * ("> 250" where a device's range ends): a value known only as a bound cannot be only where every value it stands
 * for cannot ("< 10" °C is not possible, "> 10" °C may be 37).
 */
export function impossibleReading(
  kind: VitalKind,
  values: readonly (number | undefined)[],
  format: (v: number) => string,
  comparators: readonly (Comparator | undefined)[] = [],
): string | undefined {
  if (kind === 'blood-pressure') {
    const [systolic, diastolic] = values;
    const [sc, dc] = comparators;
    if (
      (systolic !== undefined && systolic <= 0 && atMost(sc)) ||
      (diastolic !== undefined && diastolic < 0 && atMost(dc))
    )
      return 'a pressure at or below zero';
    if (systolic !== undefined && systolic > SYSTOLIC_HIGH && atLeast(sc))
      return `systolic over ${format(SYSTOLIC_HIGH)}`;
    // Swapped only where the least the diastolic may be is at or over the most the systolic may be.
    if (
      systolic !== undefined &&
      diastolic !== undefined &&
      diastolic >= systolic &&
      atMost(sc) &&
      atLeast(dc)
    )
      return 'diastolic not below systolic (swapped?)';
    return undefined;
  }
  const v = values[0];
  if (v === undefined) return undefined;
  const c = comparators[0];
  const { low, high } = LIMITS[kind];
  if (v <= 0 && ZERO_IMPOSSIBLE.has(kind) && atMost(c)) return `at or below ${format(0)}`;
  if (v < low && atMost(c)) return `below ${format(low)}`;
  if (high !== undefined && v > high && atLeast(c)) return `over ${format(high)}`;
  return undefined;
}
