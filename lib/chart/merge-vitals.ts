/**
 * Vital signs of every health system in one chart: readings merged by vital
 * and instant, a blood pressure as one reading of systolic and diastolic.
 * Each system's series are already in the vital's unit (converted by the
 * vitals mapper), so values are compared there, to the precision the chart
 * shows them: 80 kg and 176.4 lb are the same reading, 80 kg and 82 kg are not.
 * A bound is part of its reading: "> 250/90" and 250/90 are different readings.
 * A saturation's oxygen is part of its reading: 94 % on 2 L/min and 94 % on
 * room air are different readings, and so are 94 % on 2 L/min and a 94 % whose
 * system did not say (kept side by side, so that no system is credited with an
 * oxygen it did not record).
 */

import {
  addReading,
  addSource,
  joinPreliminary,
  newestFirst,
  type MergedReading,
  type SourcePart,
} from './merge';
import { onRoomAir } from './oxygen';
import { displayDecimals } from './precision';
import type {
  AnyVitalSeries,
  Comparator,
  Quantity,
  SupplementalOxygen,
  UnreadableVital,
  VitalKind,
  VitalsModel,
} from './types';

export interface MergedVitalValue {
  /** A single value (every vital but blood pressure), in the vital's unit. */
  readonly value?: number;
  /** The value is only a bound ("< 70 %"): never placed on the band as exact. */
  readonly comparator?: Comparator;
  /** Every system that holds the reading holds it as preliminary (not yet verified). */
  readonly preliminary?: true;
  /** The value as its system recorded it, when it was converted. */
  readonly original?: Quantity;
  readonly systolic?: number;
  readonly diastolic?: number;
  /** A side of a blood pressure known only as a bound ("> 250"): never judged as exact. */
  readonly systolicComparator?: Comparator;
  readonly diastolicComparator?: Comparator;
  /** A saturation's oxygen, as the systems that hold the reading recorded it. */
  readonly oxygen?: SupplementalOxygen;
  readonly sources: readonly string[];
}

/** The usual band at the newest reading, as the systems that hold that reading computed it for the patient's age. */
export type MergedBand =
  | { readonly low?: number; readonly high?: number }
  | {
      readonly systolic: { readonly low?: number; readonly high?: number };
      readonly diastolic: { readonly low?: number; readonly high?: number };
    };

export interface MergedVital {
  readonly kind: VitalKind;
  readonly loinc: string;
  readonly label: string;
  /** UCUM unit of every value. */
  readonly unit: string;
  /**
   * The band (a blood pressure's limits) for the newest reading: each system's series gives the band at its own
   * latest reading, and a system that holds the newest reading of all has it as its latest. Absent when none of
   * them gives one, or when they differ (no band is chosen over another).
   */
  readonly band?: MergedBand;
  /** Newest first. */
  readonly readings: readonly MergedReading<MergedVitalValue>[];
  readonly sources: readonly string[];
  /**
   * Readings of this vital the systems sent whose unit could not be read, summed over them (each series'
   * `unreadable`, and a system's `unreadableOnly` count where it could read none): the newest reading shown may not
   * be the newest taken. Absent when none was.
   */
  readonly unreadable?: number;
}

type Value = Omit<MergedVitalValue, 'sources'>;

/** Whether two numbers (or two absences) read the same at the coarser of their shown precisions. */
function sameShown(
  a: Value,
  b: Value,
  part: 'value' | 'systolic' | 'diastolic',
  unit: string,
  loinc: string,
) {
  const x = a[part];
  const y = b[part];
  if (x === undefined || y === undefined) return x === y;
  const decimals = (v: Value, n: number) =>
    displayDecimals({
      value: n,
      unit,
      loinc,
      ...(part === 'value' && v.original ? { original: v.original } : {}),
    });
  const d = Math.min(decimals(a, x), decimals(b, y));
  return x.toFixed(d) === y.toFixed(d);
}

/** Whether two readings say the same of the patient's oxygen: both nothing, both room air, or the same amounts. */
function sameOxygen(a: SupplementalOxygen | undefined, b: SupplementalOxygen | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (onRoomAir(a) || onRoomAir(b)) return onRoomAir(a) && onRoomAir(b);
  return a.flow === b.flow && a.concentration === b.concentration;
}

function values(s: AnyVitalSeries): { time: string; value: Value }[] {
  if (s.kind === 'blood-pressure')
    return s.points.map((p) => ({
      time: p.time,
      value: {
        ...(p.systolic === undefined ? {} : { systolic: p.systolic }),
        ...(p.diastolic === undefined ? {} : { diastolic: p.diastolic }),
        ...(p.systolicComparator ? { systolicComparator: p.systolicComparator } : {}),
        ...(p.diastolicComparator ? { diastolicComparator: p.diastolicComparator } : {}),
        ...(p.status === 'preliminary' ? { preliminary: true as const } : {}),
      },
    }));
  return s.points.map((p) => ({
    time: p.time,
    value: {
      value: p.value,
      ...(p.comparator ? { comparator: p.comparator } : {}),
      ...(p.status === 'preliminary' ? { preliminary: true as const } : {}),
      ...(p.original ? { original: p.original } : {}),
      ...(p.oxygen ? { oxygen: p.oxygen } : {}),
    },
  }));
}

/** Vital signs of every system, one per vital (in the first system's order), readings by instant. */
export function mergeVitals(parts: readonly SourcePart<VitalsModel>[]): MergedVital[] {
  interface Acc {
    readonly loinc: string;
    readonly label: string;
    readonly unit: string;
    sources: readonly string[];
    readonly readings: Map<number, MergedReading<MergedVitalValue>>;
    /** Each system's band at its latest reading, and that reading's instant. */
    readonly bands: Map<string, { readonly at: number; readonly band: MergedBand | undefined }>;
    unreadable: number;
  }
  const vitals = new Map<VitalKind, Acc>();
  for (const { source, data } of parts)
    for (const s of data.series) {
      const vital: Acc = vitals.get(s.kind) ?? {
        loinc: s.loinc,
        label: s.label,
        unit: s.unit,
        sources: [],
        readings: new Map(),
        bands: new Map(),
        unreadable: 0,
      };
      // Every system's series of a vital is in the same unit; one that is not is not this vital's.
      if (vital.unit !== s.unit) continue;
      vital.sources = addSource(vital.sources, source);
      vital.unreadable += s.unreadable ?? 0;
      const same = (a: Value, b: Value) =>
        (['value', 'systolic', 'diastolic'] as const).every((part) =>
          sameShown(a, b, part, vital.unit, vital.loinc),
        ) &&
        a.comparator === b.comparator &&
        a.systolicComparator === b.systolicComparator &&
        a.diastolicComparator === b.diastolicComparator &&
        sameOxygen(a.oxygen, b.oxygen);
      for (const { time, value } of values(s))
        addReading(vital.readings, time, value, source, same, joinPreliminary);
      const latest = s.points.at(-1);
      if (latest !== undefined)
        vital.bands.set(source, {
          at: Date.parse(latest.time),
          band: s.kind === 'blood-pressure' ? s.bands : s.band,
        });
      vitals.set(s.kind, vital);
    }
  // A system that could read none of a vital another system shows: its readings may be newer than the one shown.
  for (const { data } of parts)
    for (const u of data.unreadableOnly ?? []) {
      const vital = vitals.get(u.kind);
      if (vital !== undefined) vital.unreadable += u.count;
    }
  return [...vitals.entries()].map(([kind, v]) => {
    const readings = newestFirst(v.readings);
    const band = newestBand(v.bands, readings[0]);
    return {
      kind,
      loinc: v.loinc,
      label: v.label,
      unit: v.unit,
      sources: v.sources,
      readings,
      ...(band === undefined ? {} : { band }),
      ...(v.unreadable > 0 ? { unreadable: v.unreadable } : {}),
    };
  });
}

/**
 * Vitals the systems sent readings of, none of which any system could read (no system has a series of them): one
 * per vital (in the order first met), the counts summed. A vital one system shows is not here: its `MergedVital`
 * counts the other systems' unreadable readings (mergeVitals).
 */
export function mergeUnreadableOnly(parts: readonly SourcePart<VitalsModel>[]): UnreadableVital[] {
  const shown = new Set(parts.flatMap(({ data }) => data.series.map((s) => s.kind)));
  const merged = new Map<VitalKind, UnreadableVital>();
  for (const { data } of parts)
    for (const u of data.unreadableOnly ?? []) {
      if (shown.has(u.kind)) continue;
      const before = merged.get(u.kind);
      merged.set(u.kind, {
        kind: u.kind,
        loinc: before?.loinc ?? u.loinc,
        label: before?.label ?? u.label,
        count: (before?.count ?? 0) + u.count,
      });
    }
  return [...merged.values()];
}

/** The band every system holding the newest reading gives at it, if they give one and agree. */
function newestBand(
  bands: ReadonlyMap<string, { readonly at: number; readonly band: MergedBand | undefined }>,
  newest: MergedReading<MergedVitalValue> | undefined,
): MergedBand | undefined {
  if (newest === undefined) return undefined;
  const at = Date.parse(newest.time);
  const given = [...new Set(newest.values.flatMap((v) => v.sources))].map((source) => {
    const b = bands.get(source);
    return b?.at === at ? b.band : undefined;
  });
  const [first] = given;
  if (first === undefined) return undefined;
  return given.every((b) => b !== undefined && JSON.stringify(b) === JSON.stringify(first))
    ? first
    : undefined;
}
