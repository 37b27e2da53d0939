'use client';

import { useId, useMemo, useState } from 'react';
import { impossibleReading } from '@/lib/chart/possible';
import type { AnyVitalSeries } from '@/lib/chart/types';
import { formatQuantity, formatValue, unitLabel } from './format';
import { useShownRows } from './show-more';
import { StaleBadge } from './stale-badge';
import { bandLines, TrendChart, type TrendPoint } from './trend-chart';
import { useDisplayZone } from './display-zone';
import { useFoldedRendered } from './print-media';
import { AfterDeath } from './after-death';
import { Preliminary } from './preliminary';
import { UnreadableReadings } from './unreadable';
import { BandLegend } from './band-legend';
import { BoundsNotDrawn } from './bounds-not-drawn';
import { ReadingFlag } from './vital-flag';
import { comparatorsOf, judgeReadings } from './vital-judgement';
import { VitalTable } from './vital-table';
import { originalText, oxygenAt } from './vital-text';
import { bandRunsOf, MIN_SPAN, pairRunsOf, toTrend } from './vital-trend';

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
  const pairRuns = useMemo(() => pairRunsOf(series), [series]);
  const bandRuns = useMemo(() => bandRunsOf(series), [series]);
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
