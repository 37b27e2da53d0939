'use client';

import { useQuery } from '@tanstack/react-query';
import type { ChartPeriod, ChartRange, PatientSummary } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { widgetQueryOptions } from './api/widget-query';
import { calendarDay, formatDate, formatDateTime, zoneNames, zoneSentence } from './format';
import { useDisplayZone } from './display-zone';
import { usePrintState } from './print-media';

/** Also at the foot of every printed page (app/globals.css). */
export const CONFIDENTIAL =
  'Confidential patient information. Handle, store and dispose of it under your organisation’s privacy policy.';

const RANGE_YEARS: Readonly<Record<ChartRange, number | undefined>> = { '1y': 1, '5y': 5, all: undefined };

/**
 * "the last year (Dec 1, 2025 to Dec 1, 2026)", or the whole record. It starts on the day the chart's searches start
 * from (lib/fhir/chart-data.ts, rangeStart: a UTC date) and ends today in the chart's zone, the day the printout's
 * own time and its newest readings are shown on.
 */
export function rangeText(range: ChartRange, now: Date, zone?: string): string {
  const years = RANGE_YEARS[range];
  const today = calendarDay(now.toISOString(), zone);
  if (years === undefined) return `the whole record, to ${formatDate(today)}`;
  const from = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));
  const label = years === 1 ? 'the last year' : `the last ${years} years`;
  return `${label} (${formatDate(from.toISOString().slice(0, 10))} to ${formatDate(today)})`;
}

/**
 * The period a printed panel covers: the chosen range up to today, or, where the server ended it at the last data
 * (a patient who died, a record with nothing recent), the range before that data, as the panel's own note says.
 */
export function printedPeriod(range: ChartRange, now: Date, zone?: string, period?: ChartPeriod): string {
  const ends = period?.endsAtLastData;
  if (ends === undefined) return rangeText(range, now, zone);
  const last = formatDate(calendarDay(ends.at, zone));
  const years = RANGE_YEARS[range];
  if (years === undefined || period?.start === undefined)
    return `the whole record, to its last data on ${last}`;
  const label = years === 1 ? 'the year' : `the ${years} years`;
  return `${label} to the last data (${formatDate(period.start)} to ${last})`;
}

/** Text as a CSS string literal: quotes, backslashes, line breaks and `<` escaped (it sits in a style element). */
function cssString(s: string): string {
  return `"${s.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * The patient's name in the top margin of every printed page (a CSS @page
 * margin box, Chromium 131 and later); the page number ("Page x of y") and the
 * confidentiality line are in app/globals.css. Rendered only while printing.
 */
function PageMargins({ patient }: { readonly patient: string }) {
  // The first page names the patient in its header or banner already.
  const css = `@page { @top-left { content: ${cssString(patient)}; font-size: 9pt; } } @page :first { @top-left { content: none; } }`;
  return <style data-print-margins>{css}</style>;
}

/**
 * What a printout of the chart says about itself: whose chart (unless the
 * chart's banner below says it), who printed it and when, the time zone of
 * every time printed, the date range, and that it is confidential. Shown in
 * print only; the page margins repeat the patient on every page after the
 * first, and the page number and the confidentiality line on every page.
 */
export function PrintHeader({
  launchId,
  range,
  userLabel,
  patientId,
  readPatient,
}: {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly userLabel: string;
  readonly patientId?: string;
  /** False when the EHR shows its own banner: the chart then never reads the Patient, nor does its printout. */
  readonly readPatient: boolean;
}) {
  // The banner's query, shared: no second read of the patient.
  const banner = useQuery({
    ...widgetQueryOptions<PatientSummary>(launchId, WIDGET_SPECS.banner, range),
    enabled: readPatient,
  });
  // The panels' own answers, from the cache (never a read of their own): their periods may end at the last data.
  const vitals = useQuery({
    ...widgetQueryOptions<unknown>(launchId, WIDGET_SPECS.vitals, range),
    enabled: false,
  });
  const labs = useQuery({
    ...widgetQueryOptions<unknown>(launchId, WIDGET_SPECS.labs, range),
    enabled: false,
  });
  const { printing, at: printedAt } = usePrintState();
  const zone = useDisplayZone();
  const periods =
    printedAt === undefined
      ? undefined
      : ([vitals.data?.period, labs.data?.period].map((p) => printedPeriod(range, printedAt, zone, p)) as [
          string,
          string,
        ]);
  const patient = banner.data?.data;
  // The chart's banner prints below this header, naming the patient with birth date, sex and MRN: said once.
  const bannerNames = readPatient && patient !== undefined;
  const names = printedAt === undefined ? undefined : zoneNames(printedAt, zone);
  const who =
    patient === undefined
      ? `Patient ${patientId ?? ''} (as named in the EHR)`
      : `${patient.name}${patient.birthDate === undefined ? '' : `, born ${formatDate(patient.birthDate)}`}${patient.mrn === undefined ? '' : `, MRN ${patient.mrn}`}`;
  return (
    <div className="print-only mb-3 border-b border-black pb-2 text-sm" data-print-header>
      {printing ? <PageMargins patient={who} /> : null}
      {bannerNames ? null : <p className="text-base font-bold">{who}</p>}
      <p>
        Printed by {userLabel}
        {printedAt === undefined || names === undefined
          ? ''
          : ` on ${formatDateTime(printedAt.toISOString(), zone)} ${names.short}. ${zoneSentence(printedAt, zone, false)}`}
      </p>
      {periods === undefined ? null : periods[0] === periods[1] ? (
        <p>Vitals and labs: {periods[0]}</p>
      ) : (
        <>
          <p>Vitals: {periods[0]}</p>
          <p>Labs: {periods[1]}</p>
        </>
      )}
      <p className="font-semibold">{CONFIDENTIAL}</p>
    </div>
  );
}
