import type { ChartPeriod, ChartRange } from '@/lib/chart/types';
import { formatDate } from './format';

const RANGE_TEXT: Readonly<Record<ChartRange, string>> = {
  '1y': 'the last year',
  '5y': 'the last 5 years',
  all: 'the record',
};

/** What the period shown is, when it is not the chosen range up to today. */
export function periodText(period: ChartPeriod | undefined, range: ChartRange, what: string): string {
  const ends = period?.endsAtLastData;
  if (ends === undefined) return '';
  const head =
    ends.reason === 'deceased'
      ? `The period ends at the last ${what}, on ${formatDate(ends.at)}.`
      : `No ${what} in ${RANGE_TEXT[range]}. Showing the most recent, up to ${formatDate(ends.at)}.`;
  const start = period?.recordStart;
  return start === undefined ? head : `${head} The record goes back to ${formatDate(start)}.`;
}

export function PeriodNote(props: {
  readonly period: ChartPeriod | undefined;
  readonly range: ChartRange;
  /** Plural noun in lower case, e.g. "vital signs". */
  readonly what: string;
}) {
  const text = periodText(props.period, props.range, props.what);
  if (text === '') return null;
  return (
    <p role="note" className="mb-3 text-sm">
      {text}
    </p>
  );
}
