'use client';

import { useId, useMemo, useState } from 'react';
import { onRoomAir } from '@/lib/chart/oxygen';
import { impossibleReading } from '@/lib/chart/possible';
import { formatNumber } from '@/lib/chart/precision';
import type { AnyVitalSeries, Comparator, Stage2Limits, SupplementalOxygen } from '@/lib/chart/types';
import { boundBeyondBand, bpSideReaches } from '@/lib/chart/vital-bands';
import {
  formatBloodPressure,
  formatDate,
  formatDateTime,
  formatQuantity,
  formatValue,
  toTime,
  unitLabel,
} from './format';
import { ShowMore, useShownRows } from './show-more';
import { StaleBadge } from './stale-badge';
import { bandAt, bandLines, type ChartBandRun, runAt, TrendChart, type TrendPoint } from './trend-chart';
import { useDisplayZone } from './display-zone';
import { useFoldedRendered } from './print-media';
import { AfterDeath } from './after-death';
import { NotPossible } from './not-possible';
import { Preliminary } from './preliminary';
import { UnreadableReadings } from './unreadable';

/**
 * The least span of each vital's value axis, in the series' unit, so that a difference within
 * measurement noise (a height re-measured 0.2 cm apart, a weight 0.3 kg apart) does not fill the
 * chart and read as a change. About the noise of a routine measurement, a few times over.
 */
const MIN_SPAN: Readonly<Record<AnyVitalSeries['kind'], number>> = {
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
function toTrend(series: AnyVitalSeries, zone: string | undefined): TrendPoint[] {
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

/** A bound's comparator as written before its value: "< " of "< 70 %"; '' for an exact reading. */
const bounded = (comparator: Comparator | undefined): string => (comparator ? `${comparator} ` : '');

/**
 * The readings known only as a bound, by id, with the comparator of each of their values (as a TrendPoint's
 * `values`): a blood pressure's systolic and diastolic, either of which may be the bound ("> 250/90").
 */
function comparatorsOf(series: AnyVitalSeries): ReadonlyMap<string, readonly (Comparator | undefined)[]> {
  if (series.kind === 'blood-pressure')
    return new Map(
      series.points.flatMap((p) =>
        p.systolicComparator || p.diastolicComparator
          ? [[p.observationId, [p.systolicComparator, p.diastolicComparator]] as const]
          : [],
      ),
    );
  return new Map(
    series.points.flatMap((p) => (p.comparator ? [[p.observationId, [p.comparator]] as const] : [])),
  );
}

/**
 * A saturation's oxygen as a clinician writes it beside the number: "on oxygen 5 L/min, FiO₂ 30 %", "on room air"
 * for a flow of nothing; '' where the reading names none (not said is not room air).
 */
export function oxygenText(o: SupplementalOxygen | undefined): string {
  if (o === undefined) return '';
  const n = (v: number) => String(Number(v.toPrecision(3)));
  if (onRoomAir(o)) return 'on room air';
  const parts = [
    ...(o.flow !== undefined ? [`${n(o.flow)} L/min`] : []),
    ...(o.concentration !== undefined ? [`FiO₂ ${n(o.concentration)} %`] : []),
  ];
  return `on oxygen ${parts.join(', ')}`;
}

const oxygenAt = (series: AnyVitalSeries, index: number): string =>
  series.kind === 'spo2' ? oxygenText(series.points[index]?.oxygen) : '';

function originalText(series: AnyVitalSeries, index: number): string {
  if (series.kind === 'blood-pressure') return '';
  const p = series.points[index];
  const o = p?.original;
  return o === undefined
    ? ''
    : bounded(p?.comparator) + formatQuantity(o.value, o.unit, { loinc: series.loinc, asRecorded: true });
}

/** A reading's normal range at its time, as the table writes it, and which side of it the reading falls on. */
interface Judgement {
  /** Absent where no limits apply at the reading's age (a blood pressure under 1 year): only "severely high" is said. */
  readonly range?: string;
  readonly flag?: 'above' | 'stage2' | 'severe' | 'below';
  /** Where stage 2 begins for this reading ("114/66") and whose it is: named by its flag. */
  readonly stage2?: { readonly at: string; readonly guideline: Stage2Limits['guideline'] };
}

type Stage2 = Stage2Limits | undefined;

/** Where stage 2 begins for a blood pressure taken at a time (ms): from its runs, else the latest's. */
function stage2Finder(series: AnyVitalSeries): ((time: number) => Stage2) | undefined {
  if (series.kind !== 'blood-pressure') return undefined;
  const runs = series.limitRuns?.map((r) => ({ from: toTime(r.from), stage2: r.stage2 }));
  if (runs === undefined) return () => series.stage2;
  const at = runAt(runs);
  return (time) => at(time)?.stage2;
}

/**
 * A blood pressure past these needs attention now, not at the next visit: the 2017 ACC/AHA guideline's
 * hypertensive crisis (Whelton et al., Hypertension 2018;71:e13–e115: systolic over 180 and/or diastolic
 * over 120 mmHg), a level the AAP 2017 guideline also names for adolescents. Over either, whatever the age.
 */
const BP_SEVERE = { systolic: 180, diastolic: 120 } as const;

/**
 * How each reading compares with the band or limits for the age it was taken at, from the same runs the chart
 * draws: a blood pressure is above when either value is at or over its limit (normal is below it), any other vital
 * when it lies outside its band. Undefined when the series has no band at all.
 */
function judgeReadings(
  series: AnyVitalSeries,
  lines: readonly (readonly ChartBandRun[])[],
): ((p: TrendPoint) => Judgement | undefined) | undefined {
  // A blood pressure is judged severely high whatever the age, with or without limits for it.
  if (lines.length === 0 && series.kind !== 'blood-pressure') return undefined;
  const at = lines.map(bandAt);
  const stage2At = stage2Finder(series);
  const f = (v: number) => formatValue(v, series.unit, { loinc: series.loinc });
  // Each reading is judged as it is shown, so a flag never contradicts the number beside it (119.6/78.4 reads
  // 120/78, at the limit of "below 120/80"; 37.84 °C reads 37.8, inside 36.1–37.8).
  const originals =
    series.kind === 'blood-pressure'
      ? undefined
      : new Map(series.points.map((p) => [p.observationId, p.original]));
  const comparators = comparatorsOf(series);
  const shown = (p: TrendPoint) =>
    p.values.map((v) => {
      if (v === undefined) return undefined;
      const original = originals?.get(p.id);
      return Number(
        formatNumber({ value: v, unit: series.unit, loinc: series.loinc, ...(original ? { original } : {}) }),
      );
    });
  return (p) => {
    const bands = at.map((b) => b(p.time));
    const values = shown(p);
    const bounds = comparators.get(p.id);
    if (series.kind === 'blood-pressure') {
      const [s, d] = values;
      const [sc, dc] = bounds ?? [];
      // Either value at or over (`past`: over) its limit. A side known only as a bound counts only where every
      // value it may be does: "> 250" is past every limit, "< 40" reaches none, "> 100" is not known to reach 120.
      const reaches = (limits: { readonly systolic: number; readonly diastolic: number }, past = false) =>
        bpSideReaches(s, sc, limits.systolic, past) || bpSideReaches(d, dc, limits.diastolic, past);
      const severe = reaches(BP_SEVERE, true);
      const [sys, dia] = bands;
      // No limits at this age (under 1 year, a child whose sex the record does not give, no birth date): nothing
      // is called above them, but a severely high reading is still said.
      if (sys?.high === undefined || dia?.high === undefined) return severe ? { flag: 'severe' } : undefined;
      const above = reaches({ systolic: sys.high, diastolic: dia.high });
      // Stage 2: a child's (AAP 2017) at or over the 95th percentile + 12 mm Hg, or 140/90 where lower; from 13
      // 140/90, an adult's (ACC/AHA 2017) stage 2 hypertension.
      const stage2 = stage2At?.(p.time);
      const atStage2 = stage2 !== undefined && reaches(stage2);
      const flag = severe ? 'severe' : atStage2 ? 'stage2' : above ? 'above' : undefined;
      return {
        range: `below ${f(sys.high)}/${f(dia.high)}`,
        ...(flag ? { flag } : {}),
        ...(atStage2
          ? { stage2: { at: `${f(stage2.systolic)}/${f(stage2.diastolic)}`, guideline: stage2.guideline } }
          : {}),
      };
    }
    const band = bands[0];
    const v = values[0];
    if (band === undefined || (band.low === undefined && band.high === undefined)) return undefined;
    const range =
      band.low !== undefined && band.high !== undefined
        ? `${f(band.low)}–${f(band.high)}`
        : band.low !== undefined
          ? `≥ ${f(band.low)}`
          : `≤ ${f(band.high!)}`;
    const comparator = bounds?.[0];
    // "< 70 %" is judged only where every value it may be lies beyond the band, never as the value 70.
    const flag =
      v === undefined
        ? undefined
        : comparator !== undefined
          ? boundBeyondBand(comparator, v, band)
          : band.low !== undefined && v < band.low
            ? 'below'
            : band.high !== undefined && v > band.high
              ? 'above'
              : undefined;
    return { range, ...(flag ? { flag } : {}) };
  };
}

/**
 * Symbol and words carry the judgement; colour only repeats it. A reading that cannot be (lib/chart/possible.ts)
 * says so instead of being judged against a normal range.
 */
function ReadingFlag({
  flag,
  stage2,
  impossible,
}: {
  readonly flag: Judgement['flag'];
  readonly stage2?: Judgement['stage2'] | undefined;
  readonly impossible?: string;
}) {
  if (impossible !== undefined) return <NotPossible why={impossible} of="reading" className="ml-2" />;
  if (flag === undefined) return null;
  const [symbol, text, tone] =
    flag === 'severe'
      ? ['▲▲', `Severely high (over ${BP_SEVERE.systolic}/${BP_SEVERE.diastolic})`, 'critical']
      : flag === 'stage2'
        ? [
            '▲▲',
            stage2?.guideline === 'ACC/AHA 2017'
              ? `Far above normal: stage 2 hypertension level (${stage2.at} or more, ACC/AHA 2017)`
              : `Far above normal: stage 2 level for this age (${stage2?.at ?? ''} or more, AAP 2017)`,
            'critical',
          ]
        : flag === 'above'
          ? ['▲', 'Above normal', 'high']
          : ['▼', 'Below normal', 'low'];
  return (
    <span
      className={`flag flag-${tone} ml-2${flag === 'stage2' ? ' flag-wrap' : ''}`}
      data-reading-flag={flag}
    >
      <span aria-hidden="true">{symbol}</span> {text}
    </span>
  );
}

function VitalTable({
  series,
  trend,
  captionId,
  judge,
  impossible,
  diedAt,
  rows: { shown, more },
}: {
  readonly series: AnyVitalSeries;
  readonly trend: readonly TrendPoint[];
  readonly captionId: string;
  readonly judge: ((p: TrendPoint) => Judgement | undefined) | undefined;
  readonly impossible: (p: TrendPoint) => string | undefined;
  readonly diedAt: string | undefined;
  /** Held by the tile, so the rows shown stay as they were when the table is closed and opened again. */
  readonly rows: ReturnType<typeof useShownRows>;
}) {
  const converted = series.kind !== 'blood-pressure' && series.points.some((p) => p.original !== undefined);
  const oxygen = series.kind === 'spo2' && series.points.some((p) => p.oxygen !== undefined);
  return (
    <>
      <table className="data-table" aria-labelledby={captionId}>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">
              {series.kind === 'blood-pressure'
                ? 'Systolic/diastolic'
                : unitLabel(series.unit)
                  ? `Value (${unitLabel(series.unit)})`
                  : 'Value'}
            </th>
            {converted ? <th scope="col">As recorded</th> : null}
            {oxygen ? <th scope="col">Oxygen</th> : null}
            {judge === undefined ? null : <th scope="col">Normal</th>}
          </tr>
        </thead>
        <tbody>
          {/* Newest first, as clinicians read a flowsheet; a long series a page at a time. */}
          {trend
            .map((p, i) => ({ p, i }))
            .slice(trend.length - shown)
            .reverse()
            .map(({ p, i }) => {
              const judged = judge?.(p);
              return (
                <tr key={p.id}>
                  <td>{p.dateLabel}</td>
                  <td>
                    {p.valueLabel}
                    <ReadingFlag flag={judged?.flag} stage2={judged?.stage2} impossible={impossible(p)} />
                    <Preliminary status={series.points[i]?.status} className="ml-2" />
                    <AfterDeath time={series.points[i]?.time ?? ''} diedAt={diedAt} />
                  </td>
                  {converted ? <td>{originalText(series, i)}</td> : null}
                  {oxygen ? <td>{oxygenAt(series, i) || 'not stated'}</td> : null}
                  {judge === undefined ? null : (
                    <td>{judged?.range ?? 'not judged: no limits at this age'}</td>
                  )}
                </tr>
              );
            })}
        </tbody>
      </table>
      <ShowMore what={`${series.label} readings`} shown={shown} total={trend.length} onMore={more} />
    </>
  );
}

/**
 * Readings known only as a bound ("< 70 %", a blood pressure with a side "> 250"), which the trend leaves out: said
 * with their values where they are few, so the chart never reads as if the patient had no such reading.
 */
function BoundsNotDrawn({ bounds }: { readonly bounds: readonly TrendPoint[] }) {
  if (bounds.length === 0) return null;
  const values = bounds.length <= 3 ? ` (${bounds.map((p) => p.valueLabel).join(', ')})` : '';
  return (
    <p className="text-sm text-muted" data-bounds-not-drawn>
      {bounds.length === 1
        ? `1 reading known only as a bound${values} is`
        : `${bounds.length} readings known only as bounds${values} are`}{' '}
      not drawn; the table lists {bounds.length === 1 ? 'it' : 'them'}.
    </p>
  );
}

/** What the shaded band is and where it comes from, or why there is none. */
function BandLegend({ series }: { readonly series: AnyVitalSeries }) {
  const zone = useDisplayZone();
  if (series.kind === 'blood-pressure') {
    const { bands, bandSource, limitRuns } = series;
    if (bands === undefined || bandSource === undefined)
      return series.bandNote ? <p className="text-xs text-muted">{series.bandNote}</p> : null;
    const f = (v: number | undefined) => (v === undefined ? '' : formatValue(v, series.unit));
    const limitedFrom = limitRuns?.find((r) => r.systolic !== undefined || r.diastolic !== undefined)?.from;
    return (
      <p className="text-xs text-muted" data-band-legend>
        <span>
          Normal below {f(bands.systolic.high)} systolic (solid limit line) and {f(bands.diastolic.high)}{' '}
          diastolic (dashed) {unitLabel(series.unit)} ({bandSource})
          {limitRuns === undefined
            ? ''
            : ` at the latest reading; earlier readings against the limits for their age and height${
                limitedFrom !== undefined && limitedFrom !== series.points[0]?.time
                  ? `; readings before ${formatDate(limitedFrom, zone)} not judged (no limits at that age)`
                  : ''
              }`}
        </span>
      </p>
    );
  }
  const { band, bandSource } = series;
  if (band === undefined || bandSource === undefined) return null;
  const f = (v: number | undefined) =>
    v === undefined ? '' : formatValue(v, series.unit, { loinc: series.loinc });
  const range =
    band.low !== undefined && band.high !== undefined
      ? `${f(band.low)}–${f(band.high)}`
      : band.low !== undefined
        ? `≥ ${f(band.low)}`
        : `≤ ${f(band.high)}`;
  const runs = series.bandRuns;
  const unbandedUntil = runs?.find((r) => r.low !== undefined || r.high !== undefined)?.from;
  return (
    <p className="flex items-center gap-1 text-xs text-muted" data-band-legend>
      <span aria-hidden="true" className="inline-block h-2 w-3 shrink-0 rounded-sm bg-band" />
      <span>
        Normal band {range} {unitLabel(series.unit)} ({bandSource})
        {runs === undefined ? null : (
          <>
            {' '}
            at the latest reading; earlier readings against the band for their age
            {unbandedUntil !== undefined && unbandedUntil !== series.points[0]?.time
              ? `; readings before ${formatDate(unbandedUntil, zone)} not judged (no band at that age)`
              : ''}
          </>
        )}
      </span>
    </p>
  );
}

/** Latest reading of one vital, how old it is, and its trend as a chart or a table. */
export function VitalTile({
  series,
  now,
  diedAt,
}: {
  readonly series: AnyVitalSeries;
  readonly now: Date;
  /** The patient's date of death, when the EHR gives one: readings after it are marked. */
  readonly diedAt?: string | undefined;
}) {
  const titleId = useId();
  const [asTable, setAsTable] = useState(false);
  const folded = useFoldedRendered();
  const zone = useDisplayZone();
  const trend = useMemo(() => toTrend(series, zone), [series, zone]);
  const rows = useShownRows(trend.length);
  const pairRuns = useMemo(() => {
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
  }, [series]);
  const bandRuns = useMemo(
    () =>
      series.kind === 'blood-pressure'
        ? undefined
        : series.bandRuns?.map((r) => ({ ...r, from: toTime(r.from) })),
    [series],
  );
  const judge = useMemo(
    () =>
      judgeReadings(
        series,
        bandLines(series.kind === 'blood-pressure' ? undefined : series.band, bandRuns, pairRuns),
      ),
    [series, bandRuns, pairRuns],
  );
  const comparators = useMemo(() => comparatorsOf(series), [series]);
  const impossible = useMemo(() => {
    const f = (v: number) => formatQuantity(v, series.unit, { loinc: series.loinc });
    return (p: TrendPoint) => impossibleReading(series.kind, p.values, f, comparators.get(p.id));
  }, [series, comparators]);
  // A reading that cannot be is listed and flagged, never drawn: on the axis it would squeeze every real reading
  // into a line. Nor is one known only as a bound ("< 70 %", "> 250/90 mmHg"): on the line it would read as the
  // value 70, or 250.
  const drawn = useMemo(() => {
    // The chart's words for a reading (its summary, the tooltip) say it is preliminary, as the tile and table do.
    const preliminary = new Set<string>();
    for (const p of series.points) if (p.status === 'preliminary') preliminary.add(p.observationId);
    return trend
      .filter((p) => impossible(p) === undefined && !comparators.has(p.id))
      .map((p) => (preliminary.has(p.id) ? { ...p, valueLabel: `${p.valueLabel} (preliminary)` } : p));
  }, [series, trend, impossible, comparators]);
  const bounds = useMemo(
    () => trend.filter((p) => comparators.has(p.id) && impossible(p) === undefined),
    [trend, impossible, comparators],
  );
  const notDrawn = trend.length - drawn.length - bounds.length;
  const last = trend.at(-1);
  const lastTime = series.points.at(-1)?.time;
  if (last === undefined || lastTime === undefined) return null;
  const original = originalText(series, series.points.length - 1);
  const latestOxygen = oxygenAt(series, series.points.length - 1);

  return (
    <article aria-labelledby={titleId} className="tile flex flex-col gap-2">
      <div className="flex items-start justify-between gap-2">
        <h3 id={titleId} className="font-semibold">
          {series.label}
        </h3>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={asTable}
          aria-label={`${series.label} table`}
          onClick={() => setAsTable((v) => !v)}
          data-print-hide
        >
          Table
        </button>
      </div>
      <p>
        <span className="text-2xl font-bold">{last.valueLabel}</span>
        <ReadingFlag
          flag={judge?.(last)?.flag}
          stage2={judge?.(last)?.stage2}
          impossible={impossible(last)}
        />
        <Preliminary status={series.points.at(-1)?.status} className="ml-2" />
        <AfterDeath time={lastTime} diedAt={diedAt} />
        {original === '' ? null : <span className="ml-2 text-sm text-muted">recorded as {original}</span>}
        {latestOxygen === '' ? null : (
          <span className="ml-2 text-sm font-medium" data-oxygen>
            {latestOxygen}
          </span>
        )}
      </p>
      <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
        <time dateTime={lastTime}>{last.dateLabel}</time>
        <StaleBadge time={lastTime} now={now} />
      </p>
      <UnreadableReadings count={series.unreadable} />
      {asTable || drawn.length === 0 ? null : (
        <TrendChart
          title={series.label}
          unit={unitLabel(series.unit)}
          points={drawn}
          band={series.kind === 'blood-pressure' ? undefined : series.band}
          bandRuns={bandRuns}
          pairRuns={pairRuns}
          minSpan={MIN_SPAN[series.kind]}
          {...(series.unit === '%' ? { ceiling: 100 } : {})}
          seriesNames={series.kind === 'blood-pressure' ? ['Systolic', 'Diastolic'] : undefined}
          format={(v) => formatValue(v, series.unit, { loinc: series.loinc })}
        />
      )}
      {asTable || notDrawn === 0 ? null : (
        <p className="text-sm text-muted">
          {notDrawn === 1
            ? '1 reading that is not possible is'
            : `${notDrawn} readings that are not possible are`}{' '}
          not drawn; the table lists {notDrawn === 1 ? 'it' : 'them'}.
        </p>
      )}
      {asTable ? null : <BoundsNotDrawn bounds={bounds} />}
      <BandLegend series={series} />
      {/* Hidden on screen while the chart shows; rendered once opened, once the page is idle, or as it prints (print shows it). */}
      <div hidden={!asTable} data-print-expand className="relative overflow-x-auto">
        {asTable || folded ? (
          <VitalTable
            series={series}
            trend={trend}
            captionId={titleId}
            judge={judge}
            impossible={impossible}
            diedAt={diedAt}
            rows={rows}
          />
        ) : null}
      </div>
    </article>
  );
}
