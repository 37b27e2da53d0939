import type { AnyVitalSeries } from '@/lib/chart/types';
import { formatBloodPressure, formatDateTime, formatQuantity, toTime } from './format';
import type { ChartBandRun, TrendPoint } from './trend-chart';
import { bounded } from './vital-text';

/**
 * The least span of each vital's value axis, in the series' unit, so that a difference within
 * measurement noise (a height re-measured 0.2 cm apart, a weight 0.3 kg apart) does not fill the
 * chart and read as a change. About the noise of a routine measurement, a few times over.
 */
export const MIN_SPAN: Readonly<Record<AnyVitalSeries['kind'], number>> = {
  'blood-pressure': 40,
  'heart-rate': 20,
  'respiratory-rate': 10,
  temperature: 1,
  spo2: 5,
  weight: 2,
  height: 5,
  bmi: 2,
  'head-circumference': 2,
  pain: 10,
};

/**
 * A point whose texts are written when first read: a long series is drawn and
 * listed only in part, and formatting every reading would cost more than the
 * drawing.
 */
function lazyPoint(
  zone: string | undefined,
  id: string,
  time: string,
  values: readonly (number | undefined)[],
  value: () => string,
): TrendPoint {
  let valueLabel: string | undefined;
  let dateLabel: string | undefined;
  return {
    id,
    time: toTime(time),
    values,
    get valueLabel() {
      return (valueLabel ??= value());
    },
    get dateLabel() {
      return (dateLabel ??= formatDateTime(time, zone));
    },
  };
}

/** The series as chart points and table rows, each with its exact text. */
export function toTrend(series: AnyVitalSeries, zone: string | undefined): TrendPoint[] {
  if (series.kind === 'blood-pressure')
    return series.points.map((p) =>
      lazyPoint(zone, p.observationId, p.time, [p.systolic, p.diastolic], () => formatBloodPressure(p)),
    );
  return series.points.map((p) =>
    lazyPoint(
      zone,
      p.observationId,
      p.time,
      [p.value],
      () =>
        bounded(p.comparator) +
        formatQuantity(p.value, series.unit, {
          loinc: series.loinc,
          ...(p.original ? { original: p.original } : {}),
        }),
    ),
  );
}

/** A blood pressure's systolic and diastolic limits as the chart's two lines of runs; undefined for any other vital. */
export function pairRunsOf(
  series: AnyVitalSeries,
): readonly [readonly ChartBandRun[], readonly ChartBandRun[]] | undefined {
  if (series.kind !== 'blood-pressure') return undefined;
  const runs = series.limitRuns?.map((r) => ({ ...r, from: toTime(r.from) }));
  if (runs !== undefined)
    return [
      runs.map(({ from, systolic }) => ({ from, ...(systolic === undefined ? {} : { high: systolic }) })),
      runs.map(({ from, diastolic }) => ({
        from,
        ...(diastolic === undefined ? {} : { high: diastolic }),
      })),
    ] as const;
  return series.bands === undefined
    ? undefined
    : ([
        [{ from: -Infinity, ...series.bands.systolic }],
        [{ from: -Infinity, ...series.bands.diastolic }],
      ] as const);
}

/** Any other vital's band runs with their times in ms; undefined for a blood pressure. */
export const bandRunsOf = (series: AnyVitalSeries): ChartBandRun[] | undefined =>
  series.kind === 'blood-pressure'
    ? undefined
    : series.bandRuns?.map((r) => ({ ...r, from: toTime(r.from) }));
