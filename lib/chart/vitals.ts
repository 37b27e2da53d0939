import type { Observation, ObservationComponent, Quantity as FhirQuantity } from '@medplum/fhirtypes';
import { codesIn, LOINC } from './coding';
import { type AgeSpan, dayWritten, monthsSpan } from './age';
import { convert } from './ucum';
import { unitLabel } from './unit-label';
import {
  BP_HEIGHT_DAYS,
  AAP_STAGE2,
  ACC_AHA_STAGE2,
  BP_LIMITS,
  BP_LIMITS_MONTHS,
  BP_NOTES,
  type BpLimits,
  bpLimitSource,
  CHILD_BP_MONTHS,
  childBpLimits,
  vitalBand,
} from './vital-bands';
import type {
  AnyVitalSeries,
  BandRun,
  BloodPressurePoint,
  BloodPressureSeries,
  BpLimitRun,
  Comparator,
  ResultStatus,
  SupplementalOxygen,
  UnreadableVital,
  VitalKind,
  VitalPoint,
  VitalSeries,
  VitalsModel,
} from './types';

type ScalarKind = Exclude<VitalKind, 'blood-pressure'>;

interface KindDef {
  readonly kind: ScalarKind;
  readonly loincs: readonly string[];
  readonly label: string;
  readonly unit: string;
}

/** The patient facts bands depend on. */
export interface VitalsPatient {
  readonly birthDate?: string;
  readonly gender?: string;
  readonly deceasedDateTime?: string;
}

/** Bands come from ./vital-bands.ts by the patient's age at the latest reading. */
const KINDS: readonly KindDef[] = [
  { kind: 'heart-rate', loincs: ['8867-4'], label: 'Heart rate', unit: '/min' },
  { kind: 'respiratory-rate', loincs: ['9279-1'], label: 'Respiratory rate', unit: '/min' },
  // Body temperature, and as EHRs also code it by site alone: oral, rectal, axillary, tympanic, core.
  {
    kind: 'temperature',
    loincs: ['8310-5', '8331-1', '8332-9', '8328-7', '8333-7', '8329-5'],
    label: 'Temperature',
    unit: 'Cel',
  },
  { kind: 'spo2', loincs: ['59408-5', '2708-6'], label: 'SpO₂', unit: '%' },
  // Body weight, and measured body weight; body height, lying (length) and standing.
  { kind: 'weight', loincs: ['29463-7', '3141-9'], label: 'Weight', unit: 'kg' },
  { kind: 'height', loincs: ['8302-2', '8306-3', '8308-9'], label: 'Height', unit: 'cm' },
  { kind: 'bmi', loincs: ['39156-5'], label: 'BMI', unit: 'kg/m2' },
  { kind: 'head-circumference', loincs: ['9843-4', '8287-5'], label: 'Head circumference', unit: 'cm' },
  // The 0–10 numeric rating the patient reports (Epic and Cerner flowsheets keep it among the vitals).
  { kind: 'pain', loincs: ['72514-3', '38208-5'], label: 'Pain score (0–10)', unit: '{score}' },
];

const BP_PANELS = ['85354-9', '55284-4'];
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/** Final results, and those changed after they were: what a chart may show as settled. */
export function isFinal(o: Observation): boolean {
  const s = o.status.trim();
  return s === 'final' || s === 'amended' || s === 'corrected';
}

/**
 * Statuses whose values a chart may show: final ones, and preliminary ones (a critical potassium released before it
 * was verified must not leave an older normal one as the latest), each marked so (resultStatus). Entered-in-error,
 * cancelled, registered, unknown and the rest are left out.
 */
export function isReportable(o: Observation): boolean {
  return isFinal(o) || o.status.trim() === 'preliminary';
}

/** A shown result's status as the chart models carry it: 'preliminary', or undefined for a final one. */
export function resultStatus(o: Observation): ResultStatus | undefined {
  return o.status.trim() === 'preliminary' ? 'preliminary' : undefined;
}

export function observationTime(o: Observation): string | undefined {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant;
}

/** One side of a blood pressure in mm Hg, with its comparator where the device could only bound it. */
interface BpSide {
  readonly value: number;
  readonly comparator?: Comparator;
}

function mmHg(q: FhirQuantity | undefined): BpSide | undefined {
  const value = q ? convert(q, 'mm[Hg]')?.value : undefined;
  if (value === undefined) return undefined;
  // "> 250" where a device's range ends: a bound, not the value 250 (a unit conversion keeps the order of values).
  return q?.comparator ? { value, comparator: q.comparator } : { value };
}

function componentValue(
  components: readonly ObservationComponent[] | undefined,
  loinc: string,
): BpSide | undefined {
  const c = components?.find((x) => codesIn(x.code, LOINC).includes(loinc));
  return mmHg(c?.valueQuantity);
}

/** A blood-pressure point of its sides, each side's comparator beside its value. */
function bpPoint(
  observationId: string,
  time: string,
  systolic: BpSide | undefined,
  diastolic: BpSide | undefined,
  status: ResultStatus | undefined,
): BloodPressurePoint {
  return {
    observationId,
    time,
    systolic: systolic?.value,
    diastolic: diastolic?.value,
    ...(systolic?.comparator ? { systolicComparator: systolic.comparator } : {}),
    ...(diastolic?.comparator ? { diastolicComparator: diastolic.comparator } : {}),
    ...(status ? { status } : {}),
  };
}

/** A blood pressure's values, each with the comparator of a side known only as a bound. */
export type BloodPressureValues = Pick<
  BloodPressurePoint,
  'systolic' | 'diastolic' | 'systolicComparator' | 'diastolicComparator'
>;

/**
 * A blood pressure as the charts write it: "128/82 mmHg"; a side known only as a bound after its comparator
 * ("> 250/90 mmHg", "> 250/< 40 mmHg"); a missing side a dash. `number` writes a value in mm Hg (the clinician's
 * or the patient's formatter).
 */
export function bloodPressureText(p: BloodPressureValues, number: (v: number) => string): string {
  const side = (v: number | undefined, c: Comparator | undefined) =>
    v === undefined ? '—' : `${c ? `${c} ` : ''}${number(v)}`;
  return `${side(p.systolic, p.systolicComparator)}/${side(p.diastolic, p.diastolicComparator)} ${unitLabel('mm[Hg]')}`;
}

const OXYGEN_FLOW = '3151-8';
const OXYGEN_CONCENTRATION = '3150-0';

/** A saturation's oxygen from its components (SupplementalOxygen), in L/min and %; undefined when it names none. */
function oxygenOf(components: readonly ObservationComponent[] | undefined): SupplementalOxygen | undefined {
  if (!components) return undefined;
  const read = (loinc: string, unit: string): number | undefined => {
    const q = components.find((x) => codesIn(x.code, LOINC).includes(loinc))?.valueQuantity;
    const v = q ? convert(q, unit)?.value : undefined;
    return v !== undefined && v >= 0 ? v : undefined;
  };
  const flow = read(OXYGEN_FLOW, 'L/min');
  const concentration = read(OXYGEN_CONCENTRATION, '%');
  if (flow === undefined && concentration === undefined) return undefined;
  return {
    ...(flow !== undefined ? { flow } : {}),
    ...(concentration !== undefined ? { concentration } : {}),
  };
}

/**
 * Oldest first; ties broken by id so the series never depends on the order the
 * EHR answered in. Each time is parsed once: a record holds tens of thousands.
 */
export function oldestFirst<T extends { readonly time: string; readonly observationId: string }>(
  points: readonly T[],
): T[] {
  return points
    .map((p) => ({ p, t: Date.parse(p.time) }))
    .sort((a, b) => a.t - b.t || a.p.observationId.localeCompare(b.p.observationId))
    .map(({ p }) => p);
}

/** An Observation with its LOINC codes, read once for every series it is offered to. */
interface Coded {
  readonly o: Observation;
  readonly codes: readonly string[];
}

/** The kinds, and the blood pressure, a LOINC code is read for. */
const KIND_OF_CODE = new Map<string, readonly (KindDef | 'blood-pressure')[]>();
for (const [code, kind] of [
  ...KINDS.flatMap((def) => def.loincs.map((c) => [c, def] as const)),
  ...[...BP_PANELS, SYSTOLIC, DIASTOLIC].map((c) => [c, 'blood-pressure'] as const),
])
  KIND_OF_CODE.set(code, [...(KIND_OF_CODE.get(code) ?? []), kind]);

/** Blood pressure read from panels and lone readings, with the readings whose values could not be read. */
interface BloodPressureRead {
  readonly points: BloodPressurePoint[];
  readonly unreadable: number;
}

/**
 * Blood pressure from panels (85354-9 / 55284-4 with components) or lone systolic/diastolic paired by the instant
 * they were taken (the same instant written in two offsets is one), each slot filled once: a second systolic at one
 * instant starts a reading of its own, never replaces the first. Lone readings are paired in time and id order, so
 * the pairs never depend on the order the EHR answered in.
 */
function bloodPressure(obs: readonly Coded[]): BloodPressureRead {
  const points: BloodPressurePoint[] = [];
  const lone: {
    observationId: string;
    time: string;
    systolic: boolean;
    value: BpSide;
    status: ResultStatus | undefined;
  }[] = [];
  let unreadable = 0;
  for (const { o, codes } of obs) {
    const time = observationTime(o);
    if (!time || !o.id) continue;
    if (codes.some((c) => BP_PANELS.includes(c))) {
      const systolic = componentValue(o.component, SYSTOLIC);
      const diastolic = componentValue(o.component, DIASTOLIC);
      const status = resultStatus(o);
      if (systolic !== undefined || diastolic !== undefined)
        points.push(bpPoint(o.id, time, systolic, diastolic, status));
      else if (
        o.component?.some(
          (c) =>
            c.valueQuantity !== undefined &&
            codesIn(c.code, LOINC).some((x) => x === SYSTOLIC || x === DIASTOLIC),
        )
      )
        unreadable++;
    } else if (codes.includes(SYSTOLIC) || codes.includes(DIASTOLIC)) {
      if (!o.valueQuantity) continue;
      const value = mmHg(o.valueQuantity);
      if (value === undefined) unreadable++;
      else
        lone.push({
          observationId: o.id,
          time,
          systolic: codes.includes(SYSTOLIC),
          value,
          status: resultStatus(o),
        });
    }
  }
  const slots = new Map<
    number | string,
    { id: string; time: string; systolic?: BpSide; diastolic?: BpSide; status?: ResultStatus }[]
  >();
  for (const r of oldestFirst(lone)) {
    const t = Date.parse(r.time);
    const key = Number.isNaN(t) ? r.time : t;
    const at = slots.get(key) ?? [];
    const side = r.systolic ? 'systolic' : 'diastolic';
    const slot = at.find((s) => s[side] === undefined);
    // A pair is preliminary where either of its readings is.
    if (slot) {
      slot[side] = r.value;
      slot.status ??= r.status;
    } else at.push({ id: r.observationId, time: r.time, [side]: r.value, status: r.status });
    slots.set(key, at);
  }
  for (const s of [...slots.values()].flat())
    points.push(bpPoint(s.id, s.time, s.systolic, s.diastolic, s.status));
  return { points: oldestFirst(points), unreadable };
}

/**
 * Age in whole months at a reading, youngest and oldest (a birth date of only a year or a month gives two);
 * undefined without a birth date.
 */
function ageMonthsAt(patient: VitalsPatient, time: string): AgeSpan<number> | undefined {
  return monthsSpan(patient.birthDate, dayWritten(time));
}

/**
 * What an age gives (a band, a blood pressure's limits) where the youngest and the oldest the patient can be give
 * the same (by `key`); undefined where they differ: a birth date of only a year never puts a newborn in a band for 11
 * months, nor a patient who may be 17 in an adult's.
 */
function atEitherAge<T>(
  age: AgeSpan<number> | undefined,
  at: (months: number | undefined) => T | undefined,
  key: (t: T | undefined) => string,
): T | undefined {
  const young = at(age?.youngest);
  if (age === undefined || age.youngest === age.oldest) return young;
  return key(young) === key(at(age.oldest)) ? young : undefined;
}

const bandKey = (b: { low?: number; high?: number; source?: string } | undefined): string =>
  b ? `${b.low}|${b.high}|${b.source}` : '';

/** A vital's band at a reading's age (vitalBand), where the patient's age there is known well enough to pick one. */
function bandAt(kind: ScalarKind, patient: VitalsPatient, time: string) {
  return atEitherAge(ageMonthsAt(patient, time), (m) => vitalBand(kind, m, patient.gender), bandKey);
}

/** A reading's value in the series' unit, from a quantity or a whole number sent as valueInteger (a pain score). */
function readingOf(o: Observation): FhirQuantity | undefined {
  if (o.valueQuantity) return o.valueQuantity;
  return typeof o.valueInteger === 'number' ? { value: o.valueInteger } : undefined;
}

/** A series, or where none of the vital's readings could be read, how many there were. */
function series(
  def: KindDef,
  obs: readonly Coded[],
  patient: VitalsPatient,
): VitalSeries | { readonly unreadable: number } | undefined {
  let points: VitalPoint[] = [];
  let loinc = def.loincs[0] as string;
  let unreadable = 0;
  for (const { o, codes } of obs) {
    const time = observationTime(o);
    const code = codes.find((c) => def.loincs.includes(c));
    const reading = readingOf(o);
    if (!time || !o.id || !code || !reading) continue;
    // A quantity that cannot be shown in the series' unit is left out rather than guessed, and counted.
    const c = convert(reading, def.unit, code);
    if (!c) {
      unreadable++;
      continue;
    }
    loinc = code;
    const oxygen = def.kind === 'spo2' ? oxygenOf(o.component) : undefined;
    const status = resultStatus(o);
    // "< 70 %" at an oximeter's floor: a bound, not the value 70 (a unit conversion keeps the order of values).
    const comparator = reading.comparator;
    points.push({
      observationId: o.id,
      time,
      value: c.value,
      ...(comparator ? { comparator } : {}),
      ...(status ? { status } : {}),
      ...(c.original ? { original: c.original } : {}),
      ...(oxygen ? { oxygen } : {}),
    });
  }
  if (points.length === 0) return unreadable > 0 ? { unreadable } : undefined;
  points = oldestFirst(points);
  const latest = points.at(-1);
  const band = latest && bandAt(def.kind, patient, latest.time);
  const runs = bandRuns(def.kind, points, patient);
  return {
    kind: def.kind,
    loinc,
    label: def.label,
    unit: def.unit,
    ...(band ? { band: { low: band.low, high: band.high }, bandSource: band.source } : {}),
    ...(runs ? { bandRuns: runs } : {}),
    points,
    ...(unreadable > 0 ? { unreadable } : {}),
  };
}

const DAY_MS = 86_400_000;

/** The height (cm) measured nearest a time, within BP_HEIGHT_DAYS; heights oldest first. */
function heightNear(heights: readonly VitalPoint[]): (time: string) => number | undefined {
  const times = heights.map((h) => Date.parse(h.time));
  return (time) => {
    const t = Date.parse(time);
    // The first height at or after t, and the one before it.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    const dist = (i: number) => (i >= 0 && i < times.length ? Math.abs((times[i] as number) - t) : Infinity);
    const best = dist(lo - 1) <= dist(lo) ? lo - 1 : lo;
    return dist(best) <= BP_HEIGHT_DAYS * DAY_MS ? heights[best]?.value : undefined;
  };
}

/**
 * A reading's limits at an age in months: 120/80 from 13, with stage 2 at 140/90 (the AAP's until 18, the
 * ACC/AHA's from 18), the AAP percentiles from 1 to 12, none under 1.
 */
function bpLimitsAt(
  months: number | undefined,
  patient: VitalsPatient,
  heightCm: () => number | undefined,
): BpLimits | undefined {
  if (months === undefined) return undefined;
  if (months >= BP_LIMITS_MONTHS)
    return {
      systolic: BP_LIMITS.systolic.high,
      diastolic: BP_LIMITS.diastolic.high,
      source: bpLimitSource(months),
      stage2: months < ADULT_MONTHS ? AAP_STAGE2 : ACC_AHA_STAGE2,
    };
  return months < CHILD_BP_MONTHS ? undefined : childBpLimits(months, patient.gender, heightCm());
}

/** From this age (months) a blood pressure is judged as an adult's: 120/80, and stage 2 by the ACC/AHA guideline. */
const ADULT_MONTHS = 216;

/**
 * A blood-pressure series with the limits of its latest reading and, where earlier readings were
 * taken under 18, each reading's own limits for its age, sex and height (limitRuns). Readings all
 * taken at 18 or over share 120/80 and cost nothing per reading.
 */
function bloodPressureSeries(
  { points, unreadable }: BloodPressureRead,
  patient: VitalsPatient,
  heights: readonly VitalPoint[],
): BloodPressureSeries {
  const base = {
    kind: 'blood-pressure',
    loinc: '85354-9',
    label: 'Blood pressure',
    unit: 'mm[Hg]',
    points,
    ...(unreadable > 0 ? { unreadable } : {}),
  } as const;
  const first = points[0];
  const firstAge = first && ageMonthsAt(patient, first.time);
  if (firstAge === undefined) return base;
  const near = firstAge.youngest < BP_LIMITS_MONTHS ? heightNear(heights) : () => undefined;
  const limitsKey = (l: BpLimits | undefined) =>
    l
      ? `${l.systolic}|${l.diastolic}|${l.stage2?.systolic}|${l.stage2?.diastolic}|${l.stage2?.guideline}`
      : '';
  const runs: BpLimitRun[] = [];
  let latest: BpLimits | undefined;
  let lastKey: string | undefined;
  for (const p of firstAge.youngest >= ADULT_MONTHS ? points.slice(-1) : points) {
    latest = atEitherAge(
      ageMonthsAt(patient, p.time),
      (m) => bpLimitsAt(m, patient, () => near(p.time)),
      limitsKey,
    );
    const key = limitsKey(latest);
    if (key === lastKey) continue;
    lastKey = key;
    runs.push({
      from: p.time,
      ...(latest ? { systolic: latest.systolic, diastolic: latest.diastolic } : {}),
      ...(latest?.stage2 ? { stage2: latest.stage2 } : {}),
    });
  }
  const last = points.at(-1)?.time ?? '';
  const lastAge = ageMonthsAt(patient, last);
  const limitsAt = (m: number | undefined) => limitsKey(bpLimitsAt(m, patient, () => near(last)));
  const note =
    lastAge !== undefined && limitsAt(lastAge.youngest) !== limitsAt(lastAge.oldest)
      ? BP_NOTES.age
      : (lastAge?.oldest ?? 0) < CHILD_BP_MONTHS
        ? BP_NOTES.infant
        : BP_NOTES.sex;
  return {
    ...base,
    ...(latest
      ? {
          bands: { systolic: { high: latest.systolic }, diastolic: { high: latest.diastolic } },
          bandSource: latest.source,
          ...(latest.stage2 ? { stage2: latest.stage2 } : {}),
        }
      : { bandNote: note }),
    ...(runs.length > 1 ? { limitRuns: runs } : {}),
  };
}

/** From this age on a vital's band no longer changes with age (the adult BMI band starts at 20). */
const SETTLED_MONTHS = 240;

/**
 * Each reading judged against the band for the patient's age at that reading, as runs of
 * readings that share one band; undefined when one band holds for all of them (every
 * reading at 20 years or over, or no birth date), which is the common case and costs
 * nothing per reading. A band is never carried to a reading taken at another age: an
 * adult's readings from childhood get children's bands, or none.
 */
function bandRuns(
  kind: VitalSeries['kind'],
  points: readonly VitalPoint[],
  patient: VitalsPatient,
): BandRun[] | undefined {
  const first = points[0];
  const firstAge = first && ageMonthsAt(patient, first.time);
  if (firstAge === undefined || firstAge.youngest >= SETTLED_MONTHS) return undefined;
  const runs: BandRun[] = [];
  let last: string | undefined;
  for (const p of points) {
    const b = bandAt(kind, patient, p.time);
    const key = b ? `${b.low}|${b.high}` : '';
    if (key === last) continue;
    last = key;
    runs.push({
      from: p.time,
      ...(b?.low !== undefined ? { low: b.low } : {}),
      ...(b?.high !== undefined ? { high: b.high } : {}),
    });
  }
  const banded = runs.some((r) => r.low !== undefined || r.high !== undefined);
  return banded && runs.length > 1 ? runs : undefined;
}

/**
 * Observations → one series per vital kind (VitalKind order), points oldest
 * first, each with the normal band for the patient's age at its latest reading,
 * and where that band does not hold for every reading, the band for each
 * reading's own age (bandRuns); a blood pressure with its limits from 1 year (bloodPressureSeries).
 */
export function mapVitals(observations: readonly Observation[], patient: VitalsPatient = {}): VitalsModel {
  // Each kind, and the blood pressure, is offered only the readings that carry one of its codes, in the EHR's order.
  const byKind = new Map<KindDef | 'blood-pressure', Coded[]>();
  for (const o of observations) {
    if (!isReportable(o)) continue;
    const codes = codesIn(o.code, LOINC);
    for (const c of codes)
      for (const kind of KIND_OF_CODE.get(c) ?? []) {
        const list = byKind.get(kind);
        // A reading with two codes of one kind is offered to it once.
        if (!list) byKind.set(kind, [{ o, codes }]);
        else if (list.at(-1)?.o !== o) list.push({ o, codes });
      }
  }
  const scalars: VitalSeries[] = [];
  const unreadableOnly: UnreadableVital[] = [];
  for (const def of KINDS) {
    const s = series(def, byKind.get(def) ?? [], patient);
    if (s && 'kind' in s) scalars.push(s);
    else if (s)
      unreadableOnly.push({
        kind: def.kind,
        loinc: def.loincs[0] as string,
        label: def.label,
        count: s.unreadable,
      });
  }
  const bp = bloodPressure(byKind.get('blood-pressure') ?? []);
  // A height known only as a bound ("> 200 cm") picks no child's blood-pressure limits.
  const heights = (scalars.find((s) => s.kind === 'height')?.points ?? []).filter(
    (p) => p.comparator === undefined,
  );
  const out: AnyVitalSeries[] =
    bp.points.length > 0 ? [bloodPressureSeries(bp, patient, heights), ...scalars] : scalars;
  if (bp.points.length === 0 && bp.unreadable > 0)
    unreadableOnly.unshift({
      kind: 'blood-pressure',
      loinc: BP_PANELS[0] as string,
      label: 'Blood pressure',
      count: bp.unreadable,
    });
  return {
    series: out,
    ...(unreadableOnly.length > 0 ? { unreadableOnly } : {}),
    ...(patient.deceasedDateTime ? { diedAt: patient.deceasedDateTime } : {}),
  };
}
