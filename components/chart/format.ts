/**
 * Pure display helpers for the chart widgets. Dates are shown as "Mar 5, 2024"
 * (month spelled out: never ambiguous between US and other day/month orders).
 */

import { formatAge } from '@/lib/chart/age';
import { fhirTime } from '@/lib/chart/fhir-time';
import { formatNumber } from '@/lib/chart/precision';
import type { ChartPeriod, Quantity } from '@/lib/chart/types';
import { unitLabel } from '@/lib/chart/unit-label';
import { bloodPressureText, type BloodPressureValues } from '@/lib/chart/vitals';

const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

interface ZoneFormats {
  readonly date: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  /** Year, month and day as numbers, for `calendarDay`. */
  readonly day: Intl.DateTimeFormat;
}
const byZone = new Map<string, ZoneFormats>();

/** Formatters for a time zone (undefined: the runtime's own), made once each. */
function formatsIn(zone: string | undefined): ZoneFormats {
  const key = zone ?? '';
  let f = byZone.get(key);
  if (f === undefined) {
    const tz = zone === undefined ? {} : { timeZone: zone };
    f = {
      date: new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', ...tz }),
      time: new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', ...tz }),
      day: new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...tz }),
    };
    byZone.set(key, f);
  }
  return f;
}

/**
 * A FHIR date ("1970", "1970-05", "1970-05-12") or dateTime. Date-only values
 * are shown as written, without a time-zone shift; partial dates stay partial.
 * A dateTime is shown on its day in `zone` (the chart's, components/chart/display-zone.tsx).
 */
export function formatDate(value: string | undefined, zone?: string): string {
  if (value === undefined || value === '') return '—';
  const m = DATE_ONLY.exec(value);
  if (m) {
    const [, y, mo, d] = m;
    const month = mo === undefined ? undefined : MONTHS[Number(mo) - 1];
    if (month === undefined) return y ?? value;
    return d === undefined ? `${month} ${y}` : `${month} ${Number(d)}, ${y}`;
  }
  const t = fhirTime(value);
  return Number.isNaN(t) ? value : formatsIn(zone).date.format(t);
}

/** Date and time of a measurement in `zone`, e.g. "Mar 5, 2024, 9:30 AM". */
export function formatDateTime(value: string, zone?: string): string {
  if (DATE_ONLY.test(value)) return formatDate(value);
  const t = fhirTime(value);
  if (Number.isNaN(t)) return value;
  const f = formatsIn(zone);
  return `${f.date.format(t)}, ${f.time.format(t)}`;
}

/**
 * The zone a printout's times are in, as it would say so: its IANA name and, at the time `at`, the short name
 * ("America/Chicago", "CST"; "Europe/Berlin", "GMT+1"). A printed page leaves the screen and its zone behind.
 */
export function zoneNames(at: Date, zone?: string): { readonly long: string; readonly short: string } {
  const f = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short', ...(zone ? { timeZone: zone } : {}) });
  const short = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { long: (zone ?? f.resolvedOptions().timeZone).replace(/_/g, ' '), short };
}

/**
 * The sentence that names the zone a chart's times are in, on screen and in print alike: "Times are in the
 * America/Chicago time zone (CST)." with the abbreviation in use at `at`, or without it where the text beside
 * it already gives one (the printout's time).
 */
export function zoneSentence(at: Date, zone?: string, abbreviation = true): string {
  const { long, short } = zoneNames(at, zone);
  if (long === 'UTC' || long === 'Etc/UTC') return 'Times are in UTC.';
  const shown = abbreviation && short !== '' && short !== long ? ` (${short})` : '';
  return `Times are in the ${long} time zone${shown}.`;
}

/** The time of day of a FHIR dateTime in `zone` ("9:30 AM"); undefined for a date without one. */
export function formatTime(value: string, zone?: string): string | undefined {
  if (DATE_ONLY.test(value)) return undefined;
  const t = fhirTime(value);
  return Number.isNaN(t) ? undefined : formatsIn(zone).time.format(t);
}

/** The calendar day ("2024-03-05") a FHIR date or dateTime falls on in `zone`; date-only values as written. */
export function calendarDay(value: string, zone?: string): string {
  if (DATE_ONLY.test(value)) return value.slice(0, 10);
  const t = fhirTime(value);
  if (Number.isNaN(t)) return value.slice(0, 10);
  const part = (type: Intl.DateTimeFormatPartTypes, parts: Intl.DateTimeFormatPart[]) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const parts = formatsIn(zone).day.formatToParts(t);
  return `${part('year', parts)}-${part('month', parts)}-${part('day', parts)}`;
}

/**
 * The patient's age as clinicians write it ("3 days", "20 months", "7 years") on the day a FHIR date or dateTime
 * falls on in `zone`: a birth date has no zone, so the age changes when the day does where the chart is read.
 */
export function ageOn(
  birthDate: string | undefined,
  value: string,
  zone?: string,
  options?: { readonly withMonths?: boolean },
): string | undefined {
  const day = calendarDay(value, zone);
  if (/^\d{4}-\d{2}-\d{2}$/.test(day)) return formatAge(birthDate, new Date(`${day}T00:00:00Z`), options);
  const t = fhirTime(value);
  return Number.isNaN(t) ? undefined : formatAge(birthDate, new Date(t), options);
}

/** Milliseconds since the epoch; date-only values count from their first day (UTC). */
export function toTime(value: string): number {
  const m = DATE_ONLY.exec(value);
  if (m)
    return Date.UTC(
      Number(m[1]),
      m[2] === undefined ? 0 : Number(m[2]) - 1,
      m[3] === undefined ? 1 : Number(m[3]),
    );
  return fhirTime(value);
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/**
 * What a reading's age is measured against: today, or for a patient who died the end of their
 * record (their last results), where a reading a year older than the rest no longer described them
 * and the latest ones still do.
 */
export function staleReference(period: ChartPeriod | undefined, today = new Date()): Date {
  const end = period?.endsAtLastData;
  return end?.reason === 'deceased' && Number.isFinite(Date.parse(end.at)) ? new Date(end.at) : today;
}

/** A reading older than a year no longer describes the patient today. */
export function isStale(time: string, now: Date): boolean {
  const t = toTime(time);
  return !Number.isNaN(t) && now.getTime() - t > YEAR_MS;
}

export { unitLabel };

/** What the formatter may know about a quantity beyond its value and unit. */
export interface QuantityContext {
  /** The analyte, for its clinical precision. */
  readonly loinc?: string;
  /** The value as recorded, when the shown one was converted from it. */
  readonly original?: Quantity;
  /** The EHR's own value shown beside a conversion ("recorded as …"): its digits are kept. */
  readonly asRecorded?: boolean;
  /** Decimals the value needs at least (LabResult.decimals: never rounded across a bound of its range). */
  readonly atLeast?: number | undefined;
}

/**
 * The one formatter of displayed quantities (tiles, tables, tooltips, charts,
 * print): clinical precision by analyte and unit, "82.6 kg", "98 %".
 */
export function formatQuantity(value: number, unit: string | undefined, ctx: QuantityContext = {}): string {
  const n = formatNumber({ value, ...(unit ? { unit } : {}), ...ctx });
  const u = unitLabel(unit);
  return u === '' ? n : `${n} ${u}`;
}

/** A number as the formatter shows it, without the unit (axis summaries, lists of values). */
export function formatValue(value: number, unit: string | undefined, ctx: QuantityContext = {}): string {
  return formatNumber({ value, ...(unit ? { unit } : {}), ...ctx });
}

/** "194/98 mmHg"; a missing component a dash, a side known only as a bound after its comparator ("> 250/90 mmHg"). */
export function formatBloodPressure(p: BloodPressureValues): string {
  return bloodPressureText(p, (v) => formatValue(v, 'mm[Hg]'));
}
