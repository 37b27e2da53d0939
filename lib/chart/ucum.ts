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

/**
 * A converted value without the binary noise of the arithmetic (1246 g is 1.246 kg, not 1.2460000000000002), and
 * otherwise unrounded: how many decimals it is shown with is lib/chart/precision.ts's to say, from what was sent.
 */
const exact = (v: number): number => Number(v.toPrecision(12));

/** UCUM codes read as such when a quantity sends one without its system. */
const KNOWN: ReadonlySet<string> = new Set([
  ...Object.keys(TABLE).flatMap((k) => k.split('>')),
  'mm[Hg]',
  '/min',
  '{beats}/min',
  '{breaths}/min',
  '%',
  'kg/m2',
  'L/min',
  'mg/dL',
  'mmol/L',
  '{score}',
  '1',
]);

/**
 * Unit text interfaces commonly send for a UCUM unit, keyed without case or spaces ("mm Hg", "MMHG" are "mmhg").
 * Only units that cannot be misread: no bare "F" or "C", no "M".
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  mmhg: 'mm[Hg]',
  degf: '[degF]',
  '°f': '[degF]',
  degc: 'Cel',
  '°c': 'Cel',
  cel: 'Cel',
  bpm: '/min',
  'beats/min': '/min',
  'breaths/min': '/min',
  '/min': '/min',
  kg: 'kg',
  g: 'g',
  lb: '[lb_av]',
  lbs: '[lb_av]',
  oz: '[oz_av]',
  in: '[in_i]',
  cm: 'cm',
  '%': '%',
  'kg/m2': 'kg/m2',
  'kg/m²': 'kg/m2',
  'l/min': 'L/min',
  lpm: 'L/min',
};

const key = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, '');

/** A UCUM code for text sent as one: the code itself, or a common spelling of it (SYNONYMS). */
function knownCode(text: string): string | undefined {
  return KNOWN.has(text) ? text : SYNONYMS[key(text)];
}

/**
 * The UCUM code of a quantity, read as loosely as is safe: a UCUM code; a code sent without its system that is
 * one of ours ("mm[Hg]", "%"); else unit text that spells one ("mmHg", "beats/min", "degF", "lbs"). A code in
 * another system is never read as UCUM. Undefined where none of these says a unit.
 */
function ucumCode(q: FhirQuantity): string | undefined {
  if (q.code && q.system === UCUM) return knownCode(q.code) ?? q.code;
  const code = q.code && q.system === undefined ? knownCode(q.code) : undefined;
  return code ?? (q.unit === undefined ? undefined : knownCode(q.unit));
}

/** A unit that is a pure number (UCUM's unity): "1", or an annotation alone such as "{score}". */
const isUnity = (code: string): boolean => code === '1' || /^\{[^{}]*\}$/.test(code);

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
 * Converts a quantity to `target` when both are UCUM units (ucumCode) with a known conversion (mmol/L ↔ mg/dL
 * only for analytes with a known factor, given by LOINC). A quantity with no unit at all is a pure number: it is
 * read in a unity target ("{score}", a pain score) and no other. Undefined when the value cannot be shown in
 * `target`: unknown units are never guessed. The value is not rounded (the display rounds it).
 */
export function convert(q: FhirQuantity, target: string, loinc?: string): Converted | undefined {
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const value = q.value;
  const code = ucumCode(q);
  if (code === undefined) {
    if (q.unit === undefined && q.code === undefined)
      return isUnity(target) ? { value, unit: target } : undefined;
    // Unit text we cannot read as UCUM: only an exact match is safe.
    return q.unit === target ? { value, unit: target } : undefined;
  }
  if (code === target || (code === '1' && isUnity(target))) return { value, unit: target };
  // A count named by a leading annotation is UCUM's unity ("{beats}/min" is "/min", "{cells}/uL" is "/uL"): the
  // same unit, not a conversion.
  if (countless(code) === countless(target)) return { value, unit: target };
  const original: Quantity = { value, unit: code };
  const direct = TABLE[`${code}>${target}`];
  if (direct) return { value: exact(direct(value)), unit: target, original };
  const factor = loinc ? MOLAR_FACTOR[loinc] : undefined;
  if (factor !== undefined) {
    if (code === 'mmol/L' && target === 'mg/dL')
      return { value: exact(value * factor), unit: target, original };
    if (code === 'mg/dL' && target === 'mmol/L')
      return { value: exact(value / factor), unit: target, original };
  }
  return undefined;
}

/**
 * Two units a reader takes for one: the same text, or the same but for case and spaces ("mg/dl" and UCUM's
 * "mg/dL"), or two spellings of one UCUM unit ("mmHg" and "mm[Hg]").
 */
export function sameUnit(a: string, b: string): boolean {
  if (a === b || key(a) === key(b)) return true;
  const ca = knownCode(a);
  return ca !== undefined && ca === knownCode(b);
}
