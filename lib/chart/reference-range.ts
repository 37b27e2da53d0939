import type { CodeableConcept, ObservationReferenceRange } from '@medplum/fhirtypes';
import { clean, conceptLabel, valueSetCode } from './coding';
import { sameUnit, unitOf } from './ucum';
import type { ReferenceRange } from './types';
import { unitLabel } from './unit-label';
import type { AgeSpan, WholeAge } from './age';

export interface PatientFacts {
  readonly gender?: string;
  /**
   * Age when the result was taken, in whole days and whole months; where the birth date gives only a year or a
   * month, the youngest and the oldest the patient can be (an age-specific range applies only when both are in it).
   */
  readonly age?: WholeAge | AgeSpan<WholeAge>;
}

/** The youngest and the oldest age the facts allow (one age twice where the birth date gives the day). */
function ages(age: WholeAge | AgeSpan<WholeAge>): readonly WholeAge[] {
  return 'youngest' in age ? [age.youngest, age.oldest] : [age];
}

const SEX_CODES: Readonly<Record<string, 'male' | 'female'>> = {
  male: 'male',
  female: 'female',
  M: 'male',
  F: 'female',
  '248153007': 'male',
  '248152002': 'female',
};

/** The sex a concept of `appliesTo` names, if it names one. */
function sexNamed(concept: CodeableConcept): 'male' | 'female' | undefined {
  for (const c of concept.coding ?? []) {
    const s = c.code ? SEX_CODES[c.code] : undefined;
    if (s) return s;
  }
  const t = concept.text?.trim().toLowerCase();
  return t === 'male' || t === 'female' ? t : undefined;
}

function sexOf(r: ObservationReferenceRange): 'male' | 'female' | undefined {
  for (const concept of r.appliesTo ?? []) {
    const s = sexNamed(concept);
    if (s) return s;
  }
  return undefined;
}

const AGE_UNITS: Readonly<Record<string, (a: WholeAge) => number>> = {
  a: (a) => Math.floor(a.months / 12),
  mo: (a) => a.months,
  wk: (a) => Math.floor(a.days / 7),
  d: (a) => a.days,
};
const AGE_UNIT_WORDS: Readonly<Record<string, string>> = {
  year: 'a',
  years: 'a',
  yr: 'a',
  y: 'a',
  month: 'mo',
  months: 'mo',
  week: 'wk',
  weeks: 'wk',
  day: 'd',
  days: 'd',
};

/**
 * The patient's age in an age bound's own unit, counted in whole units as ages are ("2–5 d" holds
 * the whole of day 5; "6 d" begins on day 6): `a` (UCUM year) or no unit years, `mo` months, `wk`
 * weeks, `d` days. Undefined for a unit that is not an age.
 */
function ageIn(q: { code?: string; unit?: string }, age: WholeAge): number | undefined {
  const u = q.code ?? (q.unit ? (AGE_UNIT_WORDS[q.unit.toLowerCase()] ?? q.unit) : 'a');
  return AGE_UNITS[u]?.(age);
}

function applies(r: ObservationReferenceRange, p: PatientFacts): boolean {
  // A sex- or age-specific range only applies when we know the patient matches it. A range for anyone else the
  // record cannot tell us of (pregnancy, a race, a cycle phase) is never taken as this patient's.
  if ((r.appliesTo ?? []).some((concept) => sexNamed(concept) === undefined)) return false;
  if (notTheUsualRange(r)) return false;
  const sex = sexOf(r);
  if (sex && sex !== p.gender) return false;
  const { low, high } = r.age ?? {};
  const bounded = (q: typeof low): q is { value: number } & typeof q => typeof q?.value === 'number';
  if (!bounded(low) && !bounded(high)) return true;
  if (p.age === undefined) return false;
  for (const at of ages(p.age))
    for (const [q, above] of [
      [low, true],
      [high, false],
    ] as const) {
      if (!bounded(q)) continue;
      const age = ageIn(q, at);
      if (age === undefined || (above ? age < q.value : age > q.value)) return false;
    }
  return true;
}

/** Days in an age unit, to order bounds written in different units. */
const DAYS_IN: Readonly<Record<string, number>> = { a: 365.25, mo: 30.4375, wk: 7, d: 1 };

/**
 * Where a range's ages begin, in days (none: birth). Of two ranges that both hold for the patient's age, the one that
 * begins later is the one for that age: with "0–18 a" and "18–120 a" (each holding the whole of its last year, as
 * ages are counted), a patient of 18 years 10 months is an adult, whichever the EHR lists first.
 */
function ageStart(r: ObservationReferenceRange): number {
  const low = r.age?.low;
  if (typeof low?.value !== 'number') return 0;
  const u = low.code ?? (low.unit ? (AGE_UNIT_WORDS[low.unit.toLowerCase()] ?? low.unit) : 'a');
  return low.value * (DAYS_IN[u] ?? 0);
}

/** The range states bounds a value can be judged by: numbers, or text read as bare numbers (boundsFromText). */
function hasBounds(r: ObservationReferenceRange): boolean {
  return (
    typeof r.low?.value === 'number' ||
    typeof r.high?.value === 'number' ||
    (r.text !== undefined && boundsFromText(r.text, []) !== undefined)
  );
}

/**
 * A range that is not where a result is usual: a critical (panic) range, or the absolute range outside which a
 * result cannot be (FHIR R5's observation-range-category, and the words EHRs use for them). A value inside one is
 * not normal, so it never judges a result.
 */
function notTheUsualRange(r: ObservationReferenceRange): boolean {
  const words = [r.type?.text, ...(r.type?.coding ?? []).flatMap((c) => [c.code, c.display])]
    .filter((w): w is string => typeof w === 'string')
    .join(' ');
  return /\b(?:critical|panic|absolute|alert)\b/i.test(words);
}

/** FHIR R4's reference range meanings (referencerange-meaning). */
const RANGE_MEANING = 'http://terminology.hl7.org/CodeSystem/referencerange-meaning';
const RANGE_MEANINGS: ReadonlySet<string> = new Set([
  'type',
  'normal',
  'recommended',
  'treatment',
  'therapeutic',
  'pre',
  'post',
  'endocrine',
  'pre-puberty',
  'follicular',
  'midcycle',
  'luteal',
  'postmenopausal',
]);

/**
 * A normal range (type "normal", or none said) beats any other meaning (recommended, therapeutic…), whatever its
 * specificity; within each, a range for the patient's sex or age beats a general one.
 */
function specificity(r: ObservationReferenceRange): number {
  const typeCode = valueSetCode(r.type, RANGE_MEANING, RANGE_MEANINGS);
  return (typeCode === undefined || typeCode === 'normal' ? 10 : 0) + (sexOf(r) ? 2 : 0) + (r.age ? 2 : 0);
}

function fmt(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

const AGE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  a: ['year', 'years'],
  mo: ['month', 'months'],
  wk: ['week', 'weeks'],
  d: ['day', 'days'],
};
/** How many of a unit make a year, where a bound in it reads better in years (43,800 days: 120 years). */
const PER_YEAR: Readonly<Record<string, number>> = { mo: 12, wk: 52, d: 365 };

/** An age bound in the unit a person reads it in: 43,800 days are 120 years; 2–5 days stay days. */
function ageBound(
  q: { value?: number; code?: string; unit?: string } | undefined,
): { readonly value: number; readonly unit: string } | undefined {
  if (typeof q?.value !== 'number') return undefined;
  const code = q.code ?? (q.unit ? (AGE_UNIT_WORDS[q.unit.toLowerCase()] ?? q.unit) : 'a');
  const perYear = PER_YEAR[code];
  return perYear !== undefined && q.value >= 2 * perYear && q.value % perYear === 0
    ? { value: q.value / perYear, unit: 'a' }
    : { value: q.value, unit: code };
}

function ageText(b: { readonly value: number; readonly unit: string }, withUnit = true): string {
  const words = AGE_WORDS[b.unit];
  if (!withUnit) return fmt(b.value);
  return `${fmt(b.value)} ${words ? words[b.value === 1 ? 0 : 1] : b.unit}`;
}

/** Whom the range is for: "Female", "age 0 to 12 years", "age 6 days to 120 years", "age 65 years and over". */
function qualifier(r: ObservationReferenceRange): string | undefined {
  const parts: string[] = [];
  const who = (r.appliesTo ?? []).map(conceptLabel).filter(Boolean).join(', ');
  if (who) parts.push(who);
  const low = ageBound(r.age?.low);
  const high = ageBound(r.age?.high);
  if (low !== undefined && high !== undefined)
    parts.push(`age ${ageText(low, low.unit !== high.unit)} to ${ageText(high)}`);
  else if (low !== undefined) parts.push(`age ${ageText(low)} and over`);
  else if (high !== undefined) parts.push(`age up to ${ageText(high)}`);
  return parts.length ? parts.join(', ') : undefined;
}

/** The reference range that applies to this patient, when any does. */
export function pickRange(
  ranges: readonly ObservationReferenceRange[] | undefined,
  p: PatientFacts,
): ReferenceRange | undefined {
  // The most specific; of those, the one for the patient's age (ageStart), then one with bounds over a note.
  const candidates = (ranges ?? [])
    .filter((r) => applies(r, p))
    .sort(
      (a, b) =>
        specificity(b) - specificity(a) ||
        ageStart(b) - ageStart(a) ||
        Number(hasBounds(b)) - Number(hasBounds(a)),
    );
  const r = candidates[0];
  if (!r) return undefined;
  const lowUnit = r.low ? unitOf(r.low) : undefined;
  const highUnit = r.high ? unitOf(r.high) : undefined;
  // Bounds in two different units cannot be one range a value is compared with: they are shown as text and never
  // compared (bounds without a unit, by contrast, are in the result's: lib/chart/labs.ts).
  const mixed = lowUnit !== undefined && highUnit !== undefined && !sameUnit(lowUnit, highUnit);
  const low = typeof r.low?.value === 'number' && !mixed ? r.low.value : undefined;
  const high = typeof r.high?.value === 'number' && !mixed ? r.high.value : undefined;
  const unit = mixed ? undefined : (lowUnit ?? highUnit);
  const text = r.text?.trim()
    ? clean(r.text)
    : mixed
      ? `${r.low?.value} ${unitLabel(lowUnit)} – ${r.high?.value} ${unitLabel(highUnit)}`
      : undefined;
  const who = qualifier(r);
  return {
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...(unit ? { unit } : {}),
    ...(text ? { text } : {}),
    ...(who ? { qualifier: who } : {}),
  };
}

/** The bounds a range written as text gives, when it is written as a laboratory writes bare numbers. */
export interface TextBounds {
  readonly low?: number;
  readonly high?: number;
  /** "> 59": the bound itself is outside the range. */
  readonly lowExclusive?: true;
  readonly highExclusive?: true;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const BETWEEN = new RegExp(String.raw`^${NUMBER}\s*(?:-|–|—|to)\s*${NUMBER}$`, 'i');
const BELOW = new RegExp(String.raw`^(<=|=<|≤|<)\s*${NUMBER}$`);
const ABOVE = new RegExp(String.raw`^(>=|=>|≥|>)\s*${NUMBER}$`);

/**
 * A reference range the EHR sent only as text, read as the bounds it states: "65-99", "0.57 - 1.00", "3.5 to 5.2",
 * "<200", "≤ 5.0", ">59", optionally followed by the result's own unit (`units`, compared without case). A range
 * without a unit is in the result's unit, as HL7 v2 reference ranges are (athenahealth sends "65-99" beside a
 * glucose in mg/dL). Anything else, a negative bound, a bound in another unit, words ("Negative", "see comment",
 * "<1:40"), two ranges, is not read: the text is shown as the EHR wrote it and the result is not judged.
 */
export function boundsFromText(text: string, units: readonly string[]): TextBounds | undefined {
  let t = text.trim().replace(/\s+/g, ' ');
  for (const u of units) {
    const lower = u.toLowerCase();
    if (u !== '' && t.toLowerCase().endsWith(` ${lower}`)) {
      t = t.slice(0, t.length - lower.length - 1).trimEnd();
      break;
    }
  }
  const between = BETWEEN.exec(t);
  if (between) {
    const low = Number(between[1]);
    const high = Number(between[2]);
    return low <= high ? { low, high } : undefined;
  }
  const below = BELOW.exec(t);
  if (below) return { high: Number(below[2]), ...(below[1] === '<' ? { highExclusive: true } : {}) };
  const above = ABOVE.exec(t);
  if (above) return { low: Number(above[2]), ...(above[1] === '>' ? { lowExclusive: true } : {}) };
  return undefined;
}
