import type { Quantity as FhirQuantity } from '@medplum/fhirtypes';
import { UCUM } from './coding';
import type { Quantity } from './types';

/** mg/dL per mmol/L, by analyte (molar mass / 10). Only analytes listed here convert. */
const MOLAR_FACTOR: Readonly<Record<string, number>> = {
  '2339-0': 18.016, // glucose, blood
  '2345-7': 18.016, // glucose, serum/plasma
  '15074-8': 18.016, // glucose (mmol/L code)
  '14749-6': 18.016, // glucose, serum/plasma (mmol/L code)
  '2093-3': 38.67, // cholesterol
  '2085-9': 38.67, // HDL cholesterol
  '18262-6': 38.67, // LDL cholesterol (direct)
  '13457-7': 38.67, // LDL cholesterol (calculated)
  '2571-8': 88.57, // triglycerides
};

type Convert = (v: number) => number;
const linear =
  (f: number): Convert =>
  (v) =>
    v * f;

/** [from UCUM code, to UCUM code] → conversion. Dimensions never cross. */
const TABLE: Readonly<Record<string, Convert>> = {
  '[lb_av]>kg': linear(0.45359237),
  '[oz_av]>kg': linear(0.028349523125),
  'g>kg': linear(0.001),
  '[in_i]>cm': linear(2.54),
  'm>cm': linear(100),
  'mm>cm': linear(0.1),
  '[degF]>Cel': (v) => ((v - 32) * 5) / 9,
  'K>Cel': (v) => v - 273.15,
  // The same counts written two ways (10^9 per litre = 10^3 per microlitre).
  '10*9/L>10*3/uL': linear(1),
  '10*3/uL>10*9/L': linear(1),
  '10*12/L>10*6/uL': linear(1),
  '10*6/uL>10*12/L': linear(1),
  'g/L>g/dL': linear(0.1),
  'g/dL>g/L': linear(10),
};

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface Converted {
  readonly value: number;
  readonly unit: string;
  /** The value as sent, when a conversion happened. */
  readonly original?: Quantity;
}

/** The unit a clinician reads for a quantity as sent: UCUM code, else unit text. */
export function unitOf(q: FhirQuantity): string | undefined {
  return q.system === UCUM && q.code ? q.code : (q.unit ?? q.code);
}

/** A UCUM code without a leading annotation standing for a count: "{beats}/min" → "/min". */
const countless = (code: string): string => code.replace(/^\{[^{}]*\}(?=\/)/, '');

/**
 * Converts a quantity to `target` when both are UCUM codes with a known
 * conversion (mmol/L ↔ mg/dL only for analytes with a known factor, given by
 * LOINC). Undefined when the value cannot be shown in `target`: unknown or
 * non-UCUM units are never guessed.
 */
export function convert(q: FhirQuantity, target: string, loinc?: string): Converted | undefined {
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const value = q.value;
  if (q.system !== UCUM || !q.code) {
    // Without a UCUM code only an exact unit-text match is safe.
    return q.unit === target ? { value, unit: target } : undefined;
  }
  if (q.code === target) return { value, unit: target };
  // A count named by a leading annotation is UCUM's unity ("{beats}/min" is "/min", "{cells}/uL" is "/uL"): the
  // same unit, not a conversion.
  if (countless(q.code) === countless(target)) return { value, unit: target };
  const original: Quantity = { value, unit: q.code };
  const direct = TABLE[`${q.code}>${target}`];
  if (direct) return { value: round(direct(value)), unit: target, original };
  const factor = loinc ? MOLAR_FACTOR[loinc] : undefined;
  if (factor !== undefined) {
    if (q.code === 'mmol/L' && target === 'mg/dL')
      return { value: round(value * factor, 1), unit: target, original };
    if (q.code === 'mg/dL' && target === 'mmol/L')
      return { value: round(value / factor, 2), unit: target, original };
  }
  return undefined;
}
