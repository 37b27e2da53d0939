import type { ReactNode } from 'react';
import type { ChartPeriod, ChartRange, ChartWarning } from '@/lib/chart/types';
import { formatDate, staleReference } from './format';
import { Warnings } from './warnings';
import { useDisplayZone } from './display-zone';

const RANGE_TEXT: Readonly<Record<ChartRange, string>> = {
  '1y': 'the last year',
  '5y': 'the last 5 years',
  all: 'the record',
};

/** The span shown instead, ending at the most recent data, and where the earlier data are. */
const SPAN_TEXT: Readonly<Record<ChartRange, string>> = {
  '1y': 'the year',
  '5y': 'the 5 years',
  all: 'the record',
};
const EARLIER_TEXT: Readonly<Record<ChartRange, string | undefined>> = {
  '1y': '5 years and All',
  '5y': 'All',
  all: undefined,
};

/** What a panel says while a newly chosen range loads: "Loading vital signs for the last 5 years…". */
export function rangeLoadingText(range: ChartRange, what: string): string {
  return `Loading ${what} for ${range === 'all' ? 'the whole record' : RANGE_TEXT[range]}…`;
}

/**
 * Nothing in the range up to today: the same span up to the most recent data is shown, and says so with its dates,
 * so that it never reads as the latest of everything (a blood count two years before the last results is not in it).
 */
function nothingRecentText(
  period: ChartPeriod | undefined,
  range: ChartRange,
  what: string,
  zone: string | undefined,
  end: string,
): string {
  const span =
    period?.start === undefined
      ? `up to ${formatDate(end, zone)}`
      : `${SPAN_TEXT[range]} up to the most recent, ${formatDate(period.start, zone)} to ${formatDate(end, zone)}`;
  const earlier = EARLIER_TEXT[range];
  return `No ${what} in ${RANGE_TEXT[range]}. Showing ${span}${earlier === undefined ? '' : `: earlier ones are under ${earlier}`}.`;
}

/** What the period shown is, when it is not the chosen range up to today. */
function periodText(
  period: ChartPeriod | undefined,
  range: ChartRange,
  what: string,
  zone: string | undefined,
): string {
  const ends = period?.endsAtLastData;
  if (ends === undefined) return '';
  const head =
    ends.reason === 'deceased'
      ? `The period ends at the last ${what}, on ${formatDate(ends.at, zone)}.`
      : nothingRecentText(period, range, what, zone, ends.at);
  const start = period?.recordStart;
  return start === undefined ? head : `${head} The record goes back to ${formatDate(start, zone)}.`;
}

function PeriodNote(props: {
  readonly period: ChartPeriod | undefined;
  readonly range: ChartRange;
  /** Plural noun in lower case, e.g. "vital signs". */
  readonly what: string;
}) {
  const text = periodText(props.period, props.range, props.what, useDisplayZone());
  if (text === '') return null;
  return (
    <p role="note" className="mb-3 text-sm">
      {text}
    </p>
  );
}

/**
 * What every panel of readings over a period shows around them: the EHR's warnings, what the period is, and the
 * readings, drawn with the time they are judged stale against (a deceased patient's end of record, else today).
 */
export function PeriodContent({
  warnings,
  children,
  ...note
}: {
  readonly warnings: readonly ChartWarning[];
  readonly period: ChartPeriod | undefined;
  readonly range: ChartRange;
  /** Plural noun in lower case, e.g. "vital signs". */
  readonly what: string;
  readonly children: (now: Date) => ReactNode;
}) {
  return (
    <>
      <Warnings warnings={warnings} />
      <PeriodNote {...note} />
      {children(staleReference(note.period))}
    </>
  );
}
