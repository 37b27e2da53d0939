import type { Observation, Quantity as FhirQuantity, Range as FhirRange, Ratio } from '@medplum/fhirtypes';
import { dayWritten, wholeAgeSpan } from './age';
import { conceptLabel, LOINC, UCUM } from './coding';
import { inReportOrder, labShortName } from './lab-panels';
import { impossibleLabResult } from './lab-possible';
import { labLoinc } from './loinc-names';
import { rangePosition } from './plain-language';
import { formatNumber, shownDecimals, toFixedDecimal, writtenDecimals } from './precision';
import { boundsFromText, pickRange } from './reference-range';
import type { LabFlag, LabGroup, LabResult, LabsModel, ReferenceRange } from './types';
import { convert, sameUnit, unitOf } from './ucum';
import { unitLabel } from './unit-label';
import { isReportable, observationTime, resultStatus } from './vitals';

export interface LabPatient {
  readonly gender?: string;
  readonly birthDate?: string;
  readonly deceasedDateTime?: string;
}

const V3_FLAGS: Readonly<Record<string, LabFlag>> = {
  H: 'H',
  L: 'L',
  HH: 'HH',
  LL: 'LL',
  HU: 'HH',
  LU: 'LL',
  A: 'A',
  AA: 'AA',
  N: 'N',
  // Off scale: above/below the instrument's range, so at least high/low.
  '>': 'H',
  '<': 'L',
};

/**
 * An interpretation sent as text alone, as athenahealth sends "above high normal": the definitions HL7's
 * interpretation codes (v2 table 0078, v3 ObservationInterpretation) give, and their names. Nothing else is read.
 */
const FLAG_WORDS: Readonly<Record<string, LabFlag>> = {
  'above high normal': 'H',
  high: 'H',
  'below low normal': 'L',
  low: 'L',
  'above upper panic limits': 'HH',
  'critical high': 'HH',
  'below lower panic limits': 'LL',
  'critical low': 'LL',
  abnormal: 'A',
  'critical abnormal': 'AA',
  normal: 'N',
};

function ehrFlag(o: Observation): LabFlag | undefined {
  for (const concept of o.interpretation ?? []) {
    for (const c of concept.coding ?? []) {
      const f = c.code ? V3_FLAGS[c.code.trim()] : undefined;
      if (f) return f;
    }
  }
  for (const concept of o.interpretation ?? []) {
    const f = concept.text ? FLAG_WORDS[concept.text.trim().replace(/\s+/g, ' ').toLowerCase()] : undefined;
    if (f) return f;
  }
  return undefined;
}

/**
 * The decimals that keep a result on its side of each bound of its range once rounded for display, where its
 * analyte's convention would not (a magnesium of 0.66 beside 0.70–1.00, an ionised calcium of 1.34 beside
 * 1.15–1.33): up to the decimals it was written with, never more. Undefined where the convention already does.
 */
function boundDecimals(r: LabResult, loinc: string | undefined): number | undefined {
  const { value, range, unit } = r;
  if (value === undefined || range === undefined || range.unit !== unit) return undefined;
  const exact = rangePosition(value, range);
  if (exact === undefined) return undefined;
  const conventional = shownDecimals({
    value,
    ...(unit ? { unit } : {}),
    ...(loinc ? { loinc } : {}),
    ...(r.original ? { original: r.original } : {}),
  });
  const placed = (d: number) => rangePosition(Number(toFixedDecimal(value, d)), range) === exact;
  if (placed(conventional)) return undefined;
  // A converted value's decimals are arithmetic: at most three of them.
  const most = r.original ? Math.min(3, writtenDecimals(value)) : writtenDecimals(value);
  for (let d = conventional + 1; d <= most; d++) if (placed(d)) return d;
  return undefined;
}

/**
 * A flag from the range, for the value as the chart shows it: 5.04 shown as "5.0" beside a range up to 5.0 is not
 * flagged high, as a reader comparing the two would not.
 */
function computedFlag(r: LabResult, loinc: string | undefined): LabFlag | undefined {
  const { range, unit } = r;
  // In one unit (inUnitOf), or neither with one: an INR, a pH.
  if (r.value === undefined || range === undefined || range.unit !== unit) return undefined;
  const value = Number(
    formatNumber({ value: r.value, unit, ...(loinc ? { loinc } : {}), atLeast: r.decimals }),
  );
  if (range.high !== undefined && (value > range.high || (range.highExclusive && value === range.high)))
    return 'H';
  if (range.low !== undefined && (value < range.low || (range.lowExclusive && value === range.low)))
    return 'L';
  if (range.high !== undefined && range.low !== undefined) return 'N';
  return undefined;
}

/**
 * A value the laboratory could only bound ("> 600 mg/dL" above a glucometer's scale, "< 5" platelets) judged by the
 * side of its range it is known to be on: high where every value it may be is over the top of the range, low where
 * every one is under its bottom. Otherwise ("< 0.5" beside 0–1.2) it is not judged.
 */
function comparatorFlag(
  comparator: string,
  value: number,
  range: ReferenceRange | undefined,
  unit: string | undefined,
): LabFlag | undefined {
  if (range === undefined || range.unit !== unit) return undefined;
  const { low, high } = range;
  if (high !== undefined && (comparator === '>' || comparator === '>='))
    if (value > high || (value === high && (comparator === '>' || range.highExclusive))) return 'H';
  if (low !== undefined && (comparator === '<' || comparator === '<='))
    if (value < low || (value === low && (comparator === '<' || range.lowExclusive))) return 'L';
  return undefined;
}

/**
 * A bound converted into the result's unit, to three significant digits as bounds are written (5.5 mmol/L of glucose
 * is 99.1 mg/dL): the conversion itself is not rounded (lib/chart/ucum.ts), and a range is shown as recorded.
 */
const boundIn = (converted: number, sent: number): number =>
  converted === sent ? sent : Number(converted.toPrecision(3));

/**
 * The range in the result's unit: bounds sent without a unit are in the result's (as HL7 v2 ranges are), a unit
 * written another way ("mg/dl" beside "mg/dL") is the result's, and a range given in an equivalent UCUM unit
 * (10*9/L for a result in 10*3/uL) is converted, keeping the original.
 */
function inUnitOf(
  range: ReferenceRange | undefined,
  unit: string | undefined,
  loinc?: string,
): ReferenceRange | undefined {
  if (!range || !unit || range.unit === unit) return range;
  if (range.unit === undefined || sameUnit(range.unit, unit))
    return range.low === undefined && range.high === undefined ? range : { ...range, unit };
  const from = range.unit;
  const one = (v: number | undefined) => {
    if (v === undefined) return undefined;
    const c = convert({ value: v, code: from, system: UCUM }, unit, loinc)?.value;
    return c === undefined ? undefined : boundIn(c, v);
  };
  const low = one(range.low);
  const high = one(range.high);
  if ((range.low !== undefined && low === undefined) || (range.high !== undefined && high === undefined))
    return range;
  const exclusive = {
    ...(range.lowExclusive ? { lowExclusive: true as const } : {}),
    ...(range.highExclusive ? { highExclusive: true as const } : {}),
  };
  const original = {
    ...(range.low !== undefined ? { low: range.low } : {}),
    ...(range.high !== undefined ? { high: range.high } : {}),
    ...exclusive,
    unit: range.unit,
  };
  return {
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...exclusive,
    unit,
    ...(range.qualifier ? { qualifier: range.qualifier } : {}),
    ...(range.fromText ? { text: range.text, fromText: true } : {}),
    original,
  };
}

/**
 * LOINC codes of one analyte in one specimen that differ only in being by moles rather than by mass: their
 * results are one test, one row and one trend, in the latest result's unit (lib/chart/ucum.ts converts glucose
 * between mmol/L and mg/dL, keeping what was sent). Keyed by the moles code, the mass code it joins.
 */
const SAME_TEST: Readonly<Record<string, string>> = {
  '14749-6': '2345-7', // glucose in serum or plasma
  '15074-8': '2339-0', // glucose in blood
};

function groupKey(o: Observation): { key: string; loinc?: string } {
  const sent = labLoinc(o.code);
  const loinc = sent === undefined ? undefined : (SAME_TEST[sent] ?? sent);
  if (loinc) return { key: `${LOINC}|${loinc}`, loinc };
  const first = o.code.coding?.find((c) => c.code);
  if (first?.code) return { key: `${first.system ?? ''}|${first.code}` };
  return { key: conceptLabel(o.code) ?? o.id ?? '' };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A range the EHR sent only as text ("65-99" beside a glucose in mg/dL), with the bounds the text states, in the
 * result's unit (boundsFromText): the result is judged against them as against numbers the EHR sent. Otherwise the
 * range as it was.
 */
function withBoundsFromText(
  range: ReferenceRange | undefined,
  unit: string | undefined,
  q: { readonly unit?: string; readonly code?: string },
): ReferenceRange | undefined {
  if (range?.text === undefined || range.low !== undefined || range.high !== undefined) return range;
  // A result without a unit (a pH, an INR, a ratio) is read against bare numbers alone.
  const units = [...new Set([q.unit, q.code, unit, unit === undefined ? undefined : unitLabel(unit)])].filter(
    (u) => u !== undefined,
  );
  const bounds = boundsFromText(range.text, units);
  return bounds ? { ...range, ...bounds, ...(unit === undefined ? {} : { unit }), fromText: true } : range;
}

/** A quantity as text, its comparator and unit as a reader writes them: "< 1", "5 mg". */
function quantityText(q: FhirQuantity | undefined): string | undefined {
  if (typeof q?.value !== 'number') return undefined;
  const unit = unitOf(q);
  const label = unit === undefined ? '' : unitLabel(unit);
  return `${q.comparator ? `${q.comparator} ` : ''}${q.value}${label ? ` ${label}` : ''}`;
}

/**
 * A ratio as a laboratory writes it: a titre "1:640" (neither part with a unit), else "5 mg / 1 mL". US Core lets a
 * laboratory result be a Ratio; without this it read "No result".
 */
function ratioText(ratio: Ratio): string | undefined {
  const n = quantityText(ratio.numerator);
  const d = quantityText(ratio.denominator);
  if (n === undefined || d === undefined) return undefined;
  const unitless = !unitOf(ratio.numerator ?? {}) && !unitOf(ratio.denominator ?? {});
  return unitless ? `${n}:${d}` : `${n} / ${d}`;
}

/** A result sent as a range of values ("2–5 /[HPF]" cells seen in urine): "2–5 /HPF", "≥ 2", "≤ 5". */
function rangeValueText(range: FhirRange): string | undefined {
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  if (low !== undefined && high !== undefined)
    // One unit said once, after the high bound.
    return range.low && range.high && unitOf(range.low) === unitOf(range.high)
      ? `${range.low.value}–${high}`
      : `${low} – ${high}`;
  if (low !== undefined) return `≥ ${low}`;
  if (high !== undefined) return `≤ ${high}`;
  return undefined;
}

/** A comparator as FHIR writes it, from a laboratory's text ("≥ 600"). */
const COMPARATORS: Readonly<Record<string, '<' | '<=' | '>=' | '>'>> = {
  '<': '<',
  '<=': '<=',
  '=<': '<=',
  '≤': '<=',
  '>': '>',
  '>=': '>=',
  '=>': '>=',
  '≥': '>=',
};
const PLAIN_NUMBER = /^\s*(-?(?:\d+(?:\.\d+)?|\.\d+))\s*$/;
const BOUNDED_NUMBER = /^\s*(<=|=<|≤|<|>=|=>|≥|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*$/;

/**
 * A number sent as valueString, as athenahealth sends a BUN/creatinine ratio ("27"): the value, trended and judged
 * as a valueQuantity without a unit is; or a bounded one ("<0.5", ">= 600"), judged as a comparator is. Undefined for
 * any other text.
 */
function numberInText(text: string): { value: number; comparator?: string } | undefined {
  const plain = PLAIN_NUMBER.exec(text);
  if (plain) return { value: Number(plain[1]) };
  const bounded = BOUNDED_NUMBER.exec(text);
  const comparator = bounded ? COMPARATORS[bounded[1] as string] : undefined;
  return comparator ? { value: Number(bounded?.[2]), comparator } : undefined;
}

/** One result, built as one object: a large record has tens of thousands. */
function toResult(o: Observation, time: string, patient: LabPatient): LabResult {
  const q = o.valueQuantity;
  const range = pickRange(o.referenceRange, {
    gender: patient.gender,
    age: wholeAgeSpan(patient.birthDate, dayWritten(time)),
  });
  const r: Mutable<LabResult> = { observationId: o.id ?? '', time };
  const status = resultStatus(o);
  if (status) r.status = status;
  if (range) r.range = range;
  const loinc = labLoinc(o.code);
  // A value known only to be beyond a bound: "> 600".
  let bounded: { comparator: string; value: number } | undefined;
  if (q && typeof q.value === 'number') {
    const unit = unitOf(q);
    if (unit) r.unit = unit;
    const usable = inUnitOf(withBoundsFromText(range, unit, q), unit, loinc);
    if (usable) r.range = usable;
    // "> 50 ng/mL", "< 20 copies/mL" are not the values 50 and 20: shown as the lab wrote them, never drawn in a
    // trend as exact, and judged only by the side of the range they are on (comparatorFlag).
    if (q.comparator) {
      const label = unit === undefined ? '' : unitLabel(unit);
      r.valueText = `${q.comparator} ${q.value}${label ? ` ${label}` : ''}`;
      bounded = { comparator: q.comparator, value: q.value };
    } else r.value = q.value;
  } else if (typeof o.valueInteger === 'number') {
    r.value = o.valueInteger;
  } else if (o.valueString !== undefined) {
    r.valueText = o.valueString;
    const n = numberInText(o.valueString);
    if (n) {
      const usable = withBoundsFromText(range, undefined, {});
      if (usable) r.range = usable;
      if (n.comparator) bounded = { comparator: n.comparator, value: n.value };
      else r.value = n.value;
    }
  } else if (o.valueCodeableConcept) {
    const t = conceptLabel(o.valueCodeableConcept);
    if (t) r.valueText = t;
  } else if (typeof o.valueBoolean === 'boolean') {
    r.valueText = o.valueBoolean ? 'Yes' : 'No';
  } else if (o.valueRatio) {
    const t = ratioText(o.valueRatio);
    if (t) r.valueText = t;
  } else if (o.valueRange) {
    const t = rangeValueText(o.valueRange);
    if (t) r.valueText = t;
  }
  if (o.dataAbsentReason) r.absentReason = conceptLabel(o.dataAbsentReason) ?? 'No value';
  const impossible = r.value === undefined ? undefined : impossibleLabResult(loinc, r.value, r.unit);
  if (impossible) r.impossible = impossible;
  const decimals = boundDecimals(r, loinc);
  if (decimals !== undefined) r.decimals = decimals;
  const flag = ehrFlag(o);
  // A computed flag needs a value that can be judged: a negative potassium is not low but wrong.
  const computed =
    flag || impossible
      ? undefined
      : bounded
        ? comparatorFlag(bounded.comparator, bounded.value, r.range, r.unit)
        : computedFlag(r, loinc);
  if (flag) {
    r.flag = flag;
    r.flagSource = 'ehr';
  } else if (computed) {
    r.flag = computed;
    r.flagSource = 'computed';
  }
  return r;
}

/** Shows older results in the latest result's unit when a UCUM conversion exists. */
function harmonise(history: LabResult[], loinc: string | undefined): LabResult[] {
  const target = history[0]?.unit;
  if (!target) return history;
  return history.map((r) => {
    if (r.value === undefined || !r.unit || r.unit === target || r.valueText) return r;
    const c = convert({ value: r.value, code: r.unit, system: 'http://unitsofmeasure.org' }, target, loinc);
    if (!c) return r;
    // Its range in the same unit, so the row never sets a value in one unit beside a range in another.
    const range = inUnitOf(r.range, c.unit, loinc);
    const { decimals: _inItsOwnUnit, ...rest } = r;
    const converted: LabResult = {
      ...rest,
      value: c.value,
      unit: c.unit,
      ...(c.original ? { original: c.original } : {}),
      ...(range ? { range } : {}),
    };
    const decimals = boundDecimals(converted, loinc);
    return decimals === undefined ? converted : { ...converted, decimals };
  });
}

const isAbnormal = (f: LabFlag | undefined): boolean => f !== undefined && f !== 'N';

/** A latest result that is flagged, or cannot be: either comes first. */
const needsReview = (r: LabResult): boolean => isAbnormal(r.flag) || r.impossible !== undefined;

/** A LOINC name's method ("… by Automated count") or system ("… in Serum or Plasma"), as a name's qualifier. */
function nameQualifiers(ehrName: string): { method?: string; system?: string } {
  // Words in capitals (HPLC, MDRD) keep them; the rest read in lower case after the test's name.
  const words = (s: string) =>
    s
      .split(' ')
      .map((w) => (w === w.toUpperCase() ? w : w.toLowerCase()))
      .join(' ');
  const method = / by (.+)$/.exec(ehrName)?.[1];
  const system = / (?:in|of) ([^[\]]+?)(?: by .+)?$/.exec(ehrName)?.[1];
  return { ...(method ? { method: words(method) } : {}), ...(system ? { system: words(system) } : {}) };
}

/**
 * Tests that share a short name (a hematocrit by automated count beside one of no stated method, a glucose in
 * blood beside one in serum) are told apart by what differs in the EHR's names: the method, else the specimen; else
 * they read as the EHR names them, else with their LOINC code. A row never shares its name with another.
 */
function distinguishNames(groups: LabGroup[]): void {
  const byLabel = new Map<string, number[]>();
  groups.forEach((g, i) => byLabel.set(g.label, [...(byLabel.get(g.label) ?? []), i]));
  for (const [short, indexes] of byLabel) {
    if (indexes.length < 2) continue;
    const same = indexes.map((i) => groups[i] as LabGroup);
    const ehr = same.map((g) => g.fullName ?? g.label);
    const q = ehr.map(nameQualifiers);
    const differs = (k: 'method' | 'system') => new Set(q.map((x) => x[k])).size > 1;
    const kind = differs('method') ? 'method' : differs('system') ? 'system' : undefined;
    let labels = same.map((_, j) => {
      const v = kind && q[j]?.[kind];
      return v ? `${short} (${v})` : short;
    });
    if (new Set(labels).size < labels.length) labels = ehr;
    if (new Set(labels).size < labels.length)
      labels = same.map((g) => `${short} (LOINC ${g.loinc ?? g.key})`);
    indexes.forEach((i, j) => {
      const { fullName, ...g } = groups[i] as LabGroup;
      const label = labels[j] as string;
      groups[i] = { ...g, label, ...(fullName === undefined || fullName === label ? {} : { fullName }) };
    });
  }
}

type CodeGroup = {
  loinc?: string;
  results: { result: LabResult; label: string }[];
  /** Set where one code's results were split by unit (splitUnitsThatDoNotConvert): the row names its unit. */
  unit?: string;
  /**
   * Set where one code's results were split by the names they carry (splitTwoTestsUnderOneCode): the code's short
   * name would give both rows one name, so each keeps its own.
   */
  byName?: true;
};

/**
 * A code under which two differently named answers (not quantities) were taken at the same time names two
 * questions, not one (Synthea sends the appearance and the odour of urine both as LOINC 5767-9): such a code's
 * results are kept apart by the name each carries, so neither answer reads as the other. A test the EHR renamed
 * over the years stays one row, since its two names never meet at one time; so do two quantities of one code at
 * one time under two names (two panels' eGFR), which measure one thing and read as "also at this time".
 */
function splitTwoTestsUnderOneCode(groups: Map<string, CodeGroup>): Map<string, CodeGroup> {
  const out = new Map<string, CodeGroup>();
  for (const [key, g] of groups) {
    const namesAt = new Map<string, string>();
    const twoTests = g.results.some(({ result, label }) => {
      if (result.value !== undefined) return false;
      const seen = namesAt.get(result.time);
      namesAt.set(result.time, label);
      return seen !== undefined && seen !== label;
    });
    if (!twoTests) {
      out.set(key, g);
      continue;
    }
    for (const r of g.results) {
      const k = `${key}|${r.label}`;
      const part = out.get(k) ?? { ...(g.loinc ? { loinc: g.loinc } : {}), results: [], byName: true };
      part.results.push(r);
      out.set(k, part);
    }
  }
  return out;
}

/**
 * Quantities under one code in units that do not convert to each other are two rows, each named with its unit: an
 * eGFR in mL/min/1.73 m² (normalised to body surface) beside one in mL/min (not) reads as one value and another
 * "also at this time" in a unit the row does not name, and the two may put the patient in different stages.
 * Results in units that convert stay one row (harmonise shows them in the latest's unit).
 */
function splitUnitsThatDoNotConvert(groups: Map<string, CodeGroup>): Map<string, CodeGroup> {
  const out = new Map<string, CodeGroup>();
  for (const [key, g] of groups) {
    const units: string[] = [];
    const unitOfResult = (r: LabResult): string | undefined => {
      if (r.value === undefined || r.unit === undefined) return undefined;
      const u = r.unit;
      const same = units.find(
        (c) => c === u || convert({ value: 1, code: u, system: UCUM }, c, g.loinc) !== undefined,
      );
      if (same === undefined) units.push(u);
      return same ?? u;
    };
    const newestFirst = [...g.results].sort((a, b) => b.result.time.localeCompare(a.result.time));
    const of = new Map(newestFirst.map((r) => [r, unitOfResult(r.result)]));
    if (units.length < 2) {
      out.set(key, g);
      continue;
    }
    for (const r of g.results) {
      const unit = of.get(r) ?? units[0]!;
      const k = unit === units[0] ? key : `${key}|unit:${unit}`;
      const part = out.get(k) ?? {
        ...(g.loinc ? { loinc: g.loinc } : {}),
        ...(g.byName ? { byName: true as const } : {}),
        results: [],
        unit,
      };
      part.results.push(r);
      out.set(k, part);
    }
  }
  return out;
}

/**
 * Observations → lab groups by code, newest first within a group; abnormal or impossible latest results first, then
 * each panel's tests in its report order (lab-panels.ts).
 */
export function mapLabs(observations: readonly Observation[], patient: LabPatient = {}): LabsModel {
  const groups = new Map<string, CodeGroup>();
  for (const o of observations) {
    if (!isReportable(o)) continue;
    const time = observationTime(o) ?? o.issued;
    if (!time || !o.id) continue;
    const { key, loinc } = groupKey(o);
    const g = groups.get(key) ?? { ...(loinc ? { loinc } : {}), results: [] };
    g.results.push({ result: toResult(o, time, patient), label: conceptLabel(o.code) ?? key });
    groups.set(key, g);
  }
  const out: LabGroup[] = [];
  for (const [key, g] of splitUnitsThatDoNotConvert(splitTwoTestsUnderOneCode(groups))) {
    // Newest first; ties broken by id so the chart does not depend on the order the EHR answered in.
    const sorted = g.results
      .map((r) => ({ r, t: Date.parse(r.result.time) }))
      .sort((a, b) => b.t - a.t || a.r.result.observationId.localeCompare(b.r.result.observationId))
      .map(({ r }) => r);
    const history = harmonise(
      sorted.map((r) => r.result),
      g.loinc,
    );
    const latest = history[0];
    // A short clinical name for common tests (unless two tests share the code); else as the newest result names it.
    const ehrName = sorted[0]?.label ?? key;
    const name = (g.byName ? undefined : labShortName(g.loinc)) ?? ehrName;
    const label = g.unit === undefined ? name : `${name} (${unitLabel(g.unit)})`;
    if (latest)
      out.push({
        key,
        label,
        ...(label === ehrName ? {} : { fullName: ehrName }),
        ...(g.loinc ? { loinc: g.loinc } : {}),
        latest,
        history,
      });
  }
  distinguishNames(out);
  out.sort((a, b) => Number(needsReview(b.latest)) - Number(needsReview(a.latest)) || inReportOrder(a, b));
  return { groups: out, ...(patient.deceasedDateTime ? { diedAt: patient.deceasedDateTime } : {}) };
}
