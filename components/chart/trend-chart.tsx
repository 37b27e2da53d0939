'use client';

import { useMemo, useRef, useState } from 'react';
import { downsample } from '@/lib/chart/downsample';
import { extent, linearScale, linePath, timeDomain, valueDomain } from './chart-scale';
import { formatValue } from './format';
import { ReadingButtons } from './reading-buttons';
import { calendarTicks, CHAR_EM } from './time-ticks';
import { useDisplayZone } from './display-zone';
import { useAxisFont, useTextScale } from './text-scale';

const plain = (v: number): string => formatValue(v, undefined);

export interface TrendPoint {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** One value, or a pair (systolic, diastolic); undefined where a component is missing. */
  readonly values: readonly (number | undefined)[];
  /** Exact reading as text, e.g. "142/91 mmHg". */
  readonly valueLabel: string;
  readonly dateLabel: string;
}

export interface ChartBandRun {
  /** Milliseconds since the epoch. */
  readonly from: number;
  readonly low?: number;
  readonly high?: number;
}

interface Props {
  readonly title: string;
  /** Display unit for the y axis. */
  readonly unit: string;
  /** Oldest first. */
  readonly points: readonly TrendPoint[];
  /** Names of the values of a paired chart, e.g. ["Systolic", "Diastolic"]. */
  readonly seriesNames?: readonly string[];
  /** The normal band at the latest reading (the legend's and the summary's). */
  readonly band?: { readonly low?: number; readonly high?: number };
  /**
   * Where the band changes with age across the readings: each run holds from its time (ms) until
   * the next; readings before the first run have none. Absent: `band` holds for every reading.
   */
  readonly bandRuns?: readonly ChartBandRun[];
  /**
   * A paired chart's normal limits as runs, one list per line (systolic, diastolic), each run
   * holding from its time (ms) until the next; readings before the first run and runs without
   * limits have none. Drawn as limit lines in each line's style.
   */
  readonly pairRuns?: readonly [readonly ChartBandRun[], readonly ChartBandRun[]];
  /**
   * The least span of the value axis, in the series' unit: a change smaller than a clinician
   * would notice (0.2 cm of height, 0.3 kg of weight) is not stretched over the whole chart.
   */
  readonly minSpan?: number;
  /** The most a value can be (100 for a saturation in %): the axis stops there. */
  readonly ceiling?: number;
  /** How a bare value of this series is written (the chart's one formatter, with its unit and analyte). */
  readonly format?: (value: number) => string;
}

const W = 320;
const H = 168;
const M = { top: 18, right: 14, bottom: 26, left: 40 };
const X: [number, number] = [M.left, W - M.right];
const Y: [number, number] = [H - M.bottom, M.top];
const LINE_CLASSES = ['stroke-chart-1', 'stroke-chart-2'] as const;
/** Readings drawn at most (beyond those always drawn): about one per 5 px of the 320-unit drawing. */
export const MAX_DRAWN = 60;

type Band = { readonly low?: number; readonly high?: number } | undefined;

/** The band a reading at `time` is judged against: that of the run it falls in, if any. */
type BandAt = (time: number) => Band;

/** Runs in time order as a lookup by time: the run a time falls in (the last to start at or before it), if any. */
export function runAt<R extends { readonly from: number }>(
  runs: readonly R[],
): (time: number) => R | undefined {
  return (time) => {
    let found: R | undefined;
    for (const r of runs) {
      if (r.from > time) break;
      found = r;
    }
    return found;
  };
}

/** A line's runs as a lookup by time (bandLines makes a single band one run from the start). */
export const bandAt = (runs: readonly ChartBandRun[]): BandAt => runAt(runs);

/** Whether any value of a reading lies outside the band its line has at the reading's time. */
const outside = (lines: readonly BandAt[]) => (p: TrendPoint) =>
  p.values.some((v, i) => {
    const band = lines[i]?.(p.time);
    return (
      v !== undefined &&
      ((band?.low !== undefined && v < band.low) || (band?.high !== undefined && v > band.high))
    );
  });

/** Each line's bands as runs: a paired chart's two, or one line's runs or single band. */
export function bandLines(
  band: Band,
  runs: readonly ChartBandRun[] | undefined,
  pair: Props['pairRuns'],
): (readonly ChartBandRun[])[] {
  if (pair !== undefined) return [...pair];
  if (runs !== undefined) return [runs];
  return band === undefined ? [] : [[{ from: -Infinity, ...band }]];
}

/** A marker's size in drawing units: readings closer than this are drawn on one spot. */
const SPOT = 7;

type Scale = (v: number) => number;

/**
 * The readings drawn and reachable by keyboard: all of a short series, a faithful subset of a long one. Of the
 * readings outside the band that would be drawn on one spot, the latest stands for them all.
 */
function drawnPoints(
  points: readonly TrendPoint[],
  lines: readonly BandAt[],
  x: Scale,
  y: Scale,
): readonly TrendPoint[] {
  const cell = (v: number) => Math.round(v / SPOT);
  return downsample({
    points,
    target: MAX_DRAWN,
    x: (p) => p.time,
    values: (p) => p.values,
    ...(lines.length === 0
      ? {}
      : {
          keep: outside(lines),
          spot: (p: TrendPoint) =>
            [cell(x(p.time)), ...p.values.map((v) => (v === undefined ? '' : cell(y(v))))].join(' '),
        }),
  });
}

/** Marker shape per series, so the pair is told apart without colour. */
function Marker({
  series,
  x,
  y,
  active,
}: {
  readonly series: number;
  readonly x: number;
  readonly y: number;
  readonly active: boolean;
}) {
  const r = active ? 5 : 3.5;
  const cls = series === 0 ? 'fill-chart-1' : 'fill-chart-2';
  if (series === 0) return <circle cx={x} cy={y} r={r} className={cls} />;
  return <rect x={x - r} y={y - r} width={r * 2} height={r * 2} className={cls} />;
}

/**
 * A trend on a true time axis, drawn as SVG. The drawing is one labelled image;
 * each drawn reading is also a focusable button (./reading-buttons.tsx).
 * A long series is drawn downsampled (lib/chart/downsample.ts): the first and
 * last readings, the extremes and every reading outside the band always.
 */
export function TrendChart({
  title,
  unit,
  points: all,
  seriesNames,
  band,
  bandRuns,
  pairRuns,
  minSpan,
  ceiling,
  format = plain,
}: Props) {
  // The first and last readings and each value's extremes are always drawn: the axes of all readings are the drawn
  // readings' axes.
  const values = useMemo(
    () => all.flatMap((p) => p.values.filter((v): v is number => v !== undefined)),
    [all],
  );
  const tDomain = useMemo(() => timeDomain(all.map((p) => p.time)), [all]);
  const zone = useDisplayZone();
  const lines = useMemo(() => bandLines(band, bandRuns, pairRuns), [band, bandRuns, pairRuns]);
  // Every band the chart shades is in view (a paired chart's from the lowest to the highest).
  const { domain, ticks } = useMemo(() => {
    const edges = lines
      .flatMap((runs) => runs.flatMap((r) => [r.low, r.high]))
      .filter((v) => v !== undefined);
    return valueDomain(
      values,
      edges.length === 0 ? undefined : { low: Math.min(...edges), high: Math.max(...edges) },
      minSpan,
      ceiling,
    );
  }, [values, lines, minSpan, ceiling]);
  const x = linearScale(tDomain, X);
  const y = linearScale(domain, Y);
  // Readings outside a shaded band are always drawn. A pair's limits are not used so: most of a
  // hypertensive patient's readings are above them, and keeping them all would draw nearly every one.
  const bandAts = useMemo(() => (pairRuns === undefined ? lines.map(bandAt) : []), [lines, pairRuns]);
  const points = useMemo(
    () => drawnPoints(all, bandAts, linearScale(tDomain, X), linearScale(domain, Y)),
    [all, bandAts, tDomain, domain],
  );
  const [highlighted, setHighlighted] = useState<number | undefined>(undefined);
  // The axis text is sized in rem: under text zoom it is wider, and the time axis takes fewer ticks.
  // Drawn narrower than its drawing (a phone), the text is enlarged to read at the page's size.
  const svgRef = useRef<SVGSVGElement>(null);
  const textScale = useTextScale(svgRef, W);
  const axisFont = useAxisFont(svgRef, textScale);

  const seriesCount = Math.max(1, ...points.map((p) => p.values.length));
  // Each line's own extremes: a blood pressure's lowest is its lowest diastolic, never beside the highest systolic.
  const extremesText = useMemo(() => {
    const lineCount = Math.max(1, ...all.map((p) => p.values.length));
    const of = (i: number | undefined) => {
      const [lo, hi] = extent(
        i === undefined ? values : all.flatMap((p) => (p.values[i] === undefined ? [] : [p.values[i]])),
      ) ?? [0, 0];
      return `lowest ${format(lo)}, highest ${format(hi)}`;
    };
    if (lineCount === 1) return `${of(undefined)} ${unit}`;
    return `${Array.from({ length: lineCount }, (_, i) => `${(seriesNames?.[i] ?? `line ${i + 1}`).toLowerCase()} ${of(i)}`).join('; ')} ${unit}`;
  }, [all, values, seriesNames, format, unit]);

  const at = (p: TrendPoint): [number, number] => {
    const present = p.values.filter((v): v is number => v !== undefined);
    const mid = present.length === 0 ? domain[0] : (Math.min(...present) + Math.max(...present)) / 2;
    return [x(p.time), y(mid)];
  };

  const first = points[0];
  const last = points.at(-1);
  const drawnText =
    points.length < all.length
      ? ` ${points.length} drawn, among them the lowest, the highest${bandAts.length === 0 ? '' : ' and every one outside the range (one for several on the same spot)'}; the table lists all.`
      : '';
  // One-sided ranges in words ("95 or more"), never a dash with nothing after it.
  const rangeText = (b: Band) =>
    b?.low === undefined
      ? `below ${b?.high === undefined ? '' : format(b.high)}`
      : b.high === undefined
        ? `${format(b.low)} or more`
        : `${format(b.low)}–${format(b.high)}`;
  const bandText =
    pairRuns !== undefined
      ? ` Normal ${pairRuns
          .map((r, i) => `${(seriesNames?.[i] ?? `line ${i + 1}`).toLowerCase()} ${rangeText(r.at(-1))}`)
          .join(
            ', ',
          )} ${unit}${pairRuns.some((r) => r.length > 1) ? ' at the latest reading; earlier readings against the limits for their age and height' : ''}.`
      : band?.low !== undefined || band?.high !== undefined
        ? ` Reference range ${rangeText(band)} ${unit}${bandRuns === undefined ? '' : ' at the latest reading; earlier readings against the range for their age'}.`
        : '';
  // The shaded band: one across the chart, or one per run, each changing halfway between the
  // last reading of one run and the first of the next.
  const clampY = (v: number) => y(Math.min(domain[1], Math.max(domain[0], v)));
  const edge = (from: number): number => {
    // A band over the whole series (the common case) needs no search among a long series' readings.
    if (all[0] === undefined || from <= all[0].time) return X[0];
    const before = all.findLast((p) => p.time < from);
    return before === undefined ? X[0] : (x(before.time) + x(from)) / 2;
  };
  const bandRects = (pairRuns === undefined ? lines : [])
    .flatMap((runs) =>
      runs.map((r, i) => ({
        x0: edge(r.from),
        x1: i + 1 < runs.length ? edge(runs[i + 1]!.from) : X[1],
        ...r,
      })),
    )
    .filter((r) => (r.low !== undefined || r.high !== undefined) && r.x1 > r.x0);
  // A paired chart's limits: one line per run and limit, in its line's style.
  const limitLines = (pairRuns ?? []).flatMap((runs, line) =>
    runs.flatMap((r, i) =>
      [r.low, r.high]
        .filter((v): v is number => v !== undefined && v >= domain[0] && v <= domain[1])
        .map((value) => ({
          key: `${line} ${i} ${value}`,
          line,
          value,
          x0: edge(r.from),
          x1: i + 1 < runs.length ? edge(runs[i + 1]!.from) : X[1],
        }))
        .filter((l) => l.x1 > l.x0),
    ),
  );
  const summary =
    first === undefined || last === undefined
      ? `${title}: no readings.`
      : all.length === 1
        ? `${title} trend, 1 reading, ${last.dateLabel}: ${last.valueLabel}.${bandText}`
        : `${title} trend, ${all.length} readings from ${first.dateLabel} to ${last.dateLabel}; latest ${last.valueLabel}; ${extremesText}.${bandText}${drawnText}`;

  return (
    <div className="relative">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={summary}
        className="block h-auto w-full overflow-visible text-[0.6875rem]"
        style={textScale === 1 ? undefined : { fontSize: `${0.6875 * textScale}rem` }}
      >
        {bandRects.map((r) => (
          <rect
            key={`${r.x0} ${r.low} ${r.high}`}
            x={r.x0}
            width={r.x1 - r.x0}
            y={clampY(r.high ?? domain[1])}
            height={Math.max(0, clampY(r.low ?? domain[0]) - clampY(r.high ?? domain[1]))}
            className="fill-band"
            data-band
          />
        ))}
        {/* Above the plot, right of the value labels: beside the top value it read as one ("kg30"). */}
        <text x={X[0] + 4} y={M.top - 5} className="fill-muted" data-axis-unit>
          {unit}
        </text>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={X[0]} x2={X[1]} y1={y(v)} y2={y(v)} className="stroke-grid" />
            <text x={X[0] - 4} y={y(v) + 4} textAnchor="end" className="fill-muted" data-axis-value>
              {v}
            </text>
          </g>
        ))}
        {/* Over the grid, wider than it and than the data lines: a limit on a gridline must not vanish into it. */}
        {limitLines.map((l) => (
          <line
            key={l.key}
            x1={l.x0}
            x2={l.x1}
            y1={y(l.value)}
            y2={y(l.value)}
            strokeWidth={2.5}
            strokeDasharray={l.line === 1 ? '7 4' : undefined}
            className={`${LINE_CLASSES[l.line % 2]} opacity-60`}
            data-limit
          />
        ))}
        {calendarTicks(tDomain, { range: X, charWidth: axisFont * CHAR_EM }, zone).map((t) => (
          <text key={t.time} x={t.x} y={H - 8} textAnchor={t.anchor} className="fill-muted" data-axis-tick>
            {t.label}
          </text>
        ))}
        {Array.from({ length: seriesCount }, (_, s) => (
          <path
            key={s}
            d={linePath(
              points.map((p) => (p.values[s] === undefined ? undefined : [x(p.time), y(p.values[s])])),
            )}
            fill="none"
            strokeWidth={1.5}
            strokeDasharray={s === 1 ? '4 3' : undefined}
            className={LINE_CLASSES[s % 2]}
          />
        ))}
        {points.map((p, i) => (
          <g key={p.id}>
            {seriesCount > 1 && p.values[0] !== undefined && p.values[1] !== undefined ? (
              <line
                x1={x(p.time)}
                x2={x(p.time)}
                y1={y(p.values[0])}
                y2={y(p.values[1])}
                className="stroke-grid-strong"
              />
            ) : null}
            {p.values.map((v, s) =>
              v === undefined ? null : (
                <Marker key={s} series={s} x={x(p.time)} y={y(v)} active={i === highlighted} />
              ),
            )}
          </g>
        ))}
      </svg>
      {seriesNames !== undefined && seriesNames.length > 1 ? (
        <p className="mt-1 flex gap-3 text-xs text-muted" aria-hidden="true">
          <span>● solid line: {seriesNames[0]}</span>
          <span>■ dashed line: {seriesNames[1]}</span>
        </p>
      ) : null}
      <ReadingButtons
        title={title}
        width={W}
        height={H}
        onHighlight={setHighlighted}
        readings={points.map((p) => {
          const [px, py] = at(p);
          return { id: p.id, x: px, y: py, value: p.valueLabel, date: p.dateLabel };
        })}
      />
    </div>
  );
}
