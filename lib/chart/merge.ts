/**
 * One chart from several health systems: a patient's own launches at each
 * (separate sessions, tokens and audit events) merged for the patient view.
 * Every value keeps its sources; a reading two systems both hold is shown once
 * with both; two different values for the same test at the same time are kept
 * side by side, never one silently chosen.
 */

import type { LabsModel, PatientSummary, ProblemRow, ProblemsModel } from './types';

/** One health system's part: its launch, its name, and what it returned. */
export interface SourcePart<M> {
  readonly source: string;
  readonly data: M;
}

export interface MergedValue {
  readonly value?: number;
  readonly valueText?: string;
  readonly unit?: string;
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
      : reading.values.map((v, i) => (i === match ? { ...v, sources: addSource(v.sources, source) } : v));
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
      for (const r of group.history)
        addReading(
          test.readings,
          r.time,
          {
            ...(r.value === undefined ? {} : { value: r.value }),
            ...((r.valueText ?? r.absentReason) ? { valueText: r.valueText ?? r.absentReason } : {}),
            ...(r.unit === undefined ? {} : { unit: r.unit }),
          },
          source,
          sameValue,
        );
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
