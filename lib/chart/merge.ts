/**
 * One chart from several health systems: a patient's own launches at each
 * (separate sessions, tokens and audit events) merged for the patient view.
 * Every value keeps its sources; a reading two systems both hold is shown once
 * with both; two different values for the same test at the same time are kept
 * side by side, never one silently chosen.
 */

import { rangePosition, type RangePosition } from './plain-language';
import type { LabsModel, PatientSummary, ProblemRow, ProblemsModel, ReferenceRange } from './types';

/** One health system's part: its launch, its name, and what it returned. */
export interface SourcePart<M> {
  readonly source: string;
  readonly data: M;
}

/** One system's usual range for a value, as that system sent it with its reading. */
export interface SourcedRange {
  readonly source: string;
  readonly range: ReferenceRange;
}

export interface MergedValue {
  readonly value?: number;
  readonly valueText?: string;
  readonly unit?: string;
  /** The usual range each system sent with this value (a system that sent none is not here). */
  readonly ranges?: readonly SourcedRange[];
  /** A value that cannot be (lib/chart/lab-possible.ts): said to be a likely mistake, never placed on a range. */
  readonly notPossible?: true;
  /** Decimals its system's range asks of it (LabResult.decimals); the most any holding system asks. */
  readonly decimals?: number;
  /** Every system that holds the value holds it as preliminary (not yet verified). */
  readonly preliminary?: true;
  readonly sources: readonly string[];
}

export interface MergedReading<V extends Sourced = MergedValue> {
  readonly time: string;
  /** One value with every source that holds it; two or more when the systems disagree. */
  readonly values: readonly V[];
}

/** Anything merged: a value with the systems that hold it. */
export interface Sourced {
  readonly sources: readonly string[];
}

export interface MergedTest {
  readonly key: string;
  readonly loinc?: string;
  readonly label: string;
  /** Newest first. */
  readonly readings: readonly MergedReading[];
  readonly sources: readonly string[];
}

export interface MergedCondition {
  readonly key: string;
  readonly row: ProblemRow;
  readonly sources: readonly string[];
}

export const addSource = (list: readonly string[], source: string) =>
  list.includes(source) ? list : [...list, source];

/**
 * One system's value at an instant: one more source of the value it matches,
 * else a value of its own beside the others. Readings are keyed by instant, so
 * "11:10-04:00" and "15:10Z" are the same reading.
 */
export function addReading<V extends Sourced>(
  readings: Map<number, MergedReading<V>>,
  time: string,
  value: Omit<V, 'sources'>,
  source: string,
  same: (known: V, value: Omit<V, 'sources'>) => boolean,
  /** What the value it matches keeps of this system's (each system's range, for one). */
  join: (known: V, value: Omit<V, 'sources'>) => V = (known) => known,
): void {
  const at = Date.parse(time);
  const own = { ...value, sources: [source] } as unknown as V;
  const reading = readings.get(at);
  if (reading === undefined) {
    readings.set(at, { time, values: [own] });
    return;
  }
  const match = reading.values.findIndex((v) => same(v, value));
  const values =
    match < 0
      ? [...reading.values, own]
      : reading.values.map((v, i) =>
          i === match ? { ...join(v, value), sources: addSource(v.sources, source) } : v,
        );
  readings.set(at, { ...reading, values });
}

/** Readings newest first. */
export const newestFirst = <V extends Sourced>(readings: Map<number, MergedReading<V>>) =>
  [...readings.entries()].sort(([a], [b]) => b - a).map(([, r]) => r);

/** Same value when the numbers agree to the unit's precision, or the texts match. */
function sameValue(a: MergedValue, b: Omit<MergedValue, 'sources'>): boolean {
  if (a.value !== undefined && b.value !== undefined)
    return a.unit === b.unit && Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(a.value));
  return a.value === b.value && (a.valueText ?? '') === (b.valueText ?? '');
}

/** A value is preliminary while no system that holds it holds it as final. */
export function joinPreliminary<V extends { readonly preliminary?: true }>(
  known: V,
  value: { readonly preliminary?: true },
): V {
  if (!known.preliminary || value.preliminary) return known;
  const { preliminary: _settled, ...rest } = known;
  return rest as V;
}

/**
 * A system's range joins the value it matches, and with it the decimals that range asks of the value; a final
 * result settles a preliminary one.
 */
function joinRanges(known: MergedValue, value: Omit<MergedValue, 'sources'>): MergedValue {
  const decimals = Math.max(known.decimals ?? -1, value.decimals ?? -1);
  return {
    ...joinPreliminary(known, value),
    ...(value.ranges === undefined ? {} : { ranges: [...(known.ranges ?? []), ...value.ranges] }),
    ...(decimals < 0 ? {} : { decimals }),
  };
}

/** Where a value sits against the usual range of the systems that hold it, with those systems. */
export interface Placement {
  readonly position: RangePosition;
  readonly sources: readonly string[];
}

/**
 * Where a merged value sits against each system's own usual range: one placement when the systems that sent a range
 * agree ("above the usual range"), one per position when they do not ("above it at the clinic, in it at the
 * hospital"): never one system's range silently chosen over another's.
 */
export function placements(v: MergedValue): Placement[] {
  if (v.value === undefined || v.notPossible) return [];
  const byPosition = new Map<RangePosition, string[]>();
  for (const { source, range } of v.ranges ?? []) {
    const position = rangePosition(v.value, range);
    if (position === undefined) continue;
    const sources = byPosition.get(position) ?? [];
    if (!sources.includes(source)) sources.push(source);
    byPosition.set(position, sources);
  }
  return [...byPosition.entries()].map(([position, sources]) => ({ position, sources }));
}

const sameBounds = (a: ReferenceRange, b: ReferenceRange) =>
  a.low === b.low &&
  a.high === b.high &&
  a.lowExclusive === b.lowExclusive &&
  a.highExclusive === b.highExclusive &&
  a.unit === b.unit;

/**
 * The systems' usual ranges for a value, one per distinct range (same bounds, same unit) with the systems that
 * sent it.
 */
export function distinctRanges(
  v: MergedValue,
): { readonly range: ReferenceRange; readonly sources: string[] }[] {
  const out: { range: ReferenceRange; sources: string[] }[] = [];
  for (const { source, range } of v.ranges ?? []) {
    const known = out.find((d) => sameBounds(d.range, range));
    if (known === undefined) out.push({ range, sources: [source] });
    else if (!known.sources.includes(source)) known.sources.push(source);
  }
  return out;
}

/** Lab results of every system by test (LOINC, else the EHR's key), readings by instant. */
export function mergeLabs(parts: readonly SourcePart<LabsModel>[]): MergedTest[] {
  interface Acc {
    loinc?: string;
    label: string;
    sources: readonly string[];
    readonly readings: Map<number, MergedReading>;
  }
  const tests = new Map<string, Acc>();
  for (const { source, data } of parts)
    for (const group of data.groups) {
      const key = group.loinc ?? group.key;
      const test: Acc = tests.get(key) ?? {
        ...(group.loinc ? { loinc: group.loinc } : {}),
        label: group.label,
        sources: [],
        readings: new Map<number, MergedReading>(),
      };
      test.sources = addSource(test.sources, source);
      for (const r of group.history) {
        // A value that cannot be is never placed on a range (as in the single-system view).
        const ranged = r.impossible === undefined && r.range !== undefined;
        addReading(
          test.readings,
          r.time,
          {
            ...(r.value === undefined ? {} : { value: r.value }),
            ...((r.valueText ?? r.absentReason) ? { valueText: r.valueText ?? r.absentReason } : {}),
            ...(r.unit === undefined ? {} : { unit: r.unit }),
            ...(ranged && r.range ? { ranges: [{ source, range: r.range }] } : {}),
            ...(r.impossible === undefined ? {} : { notPossible: true as const }),
            ...(r.decimals === undefined ? {} : { decimals: r.decimals }),
            ...(r.status === 'preliminary' ? { preliminary: true as const } : {}),
          },
          source,
          sameValue,
          joinRanges,
        );
      }
      tests.set(key, test);
    }
  return [...tests.entries()].map(([key, t]) => ({
    key,
    ...(t.loinc ? { loinc: t.loinc } : {}),
    label: t.label,
    sources: t.sources,
    readings: newestFirst(t.readings),
  }));
}

/** Current conditions of every system, one per code (else per name), with the earliest onset any system gives. */
export function mergeConditions(
  parts: readonly SourcePart<ProblemsModel>[],
  shown: (row: ProblemRow) => boolean,
): MergedCondition[] {
  const merged = new Map<string, MergedCondition>();
  for (const { source, data } of parts)
    for (const row of data.problems.filter(shown)) {
      const key = row.code ?? row.label.trim().toLowerCase();
      const known = merged.get(key);
      if (known === undefined) {
        merged.set(key, { key, row, sources: [source] });
        continue;
      }
      const earlier =
        row.onset !== undefined && (known.row.onset === undefined || row.onset < known.row.onset);
      merged.set(key, {
        key,
        row: earlier ? { ...known.row, onset: row.onset } : known.row,
        sources: addSource(known.sources, source),
      });
    }
  return [...merged.values()];
}

/** Whether two systems' patients are the same person: the same name and birth date. */
export function samePerson(a: PatientSummary, b: PatientSummary): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  return a.birthDate !== undefined && a.birthDate === b.birthDate && norm(a.name) === norm(b.name);
}
