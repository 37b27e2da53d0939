'use client';

import { useId, useRef } from 'react';
import type { GrowthChartModel, GrowthPoint } from '@/lib/chart/types';
import { linearScale, linePath, valueDomain } from './chart-scale';
import { useDisplayZone } from './display-zone';
import { formatQuantity, formatValue, unitLabel } from './format';
import {
  ageTicks,
  formatPercentile,
  formatZ,
  lengthTickLabel,
  lengthTicks,
  readingWhen,
} from './growth-format';
import { Preliminary } from './preliminary';
import { ReadingButtons } from './reading-buttons';
import { useAxisFont, useTextScale } from './text-scale';
import { anchorInside, CHAR_EM, keepApart } from './time-ticks';

const W = 360;
const H = 220;
const M = { top: 16, right: 26, bottom: 26, left: 40 };
const X: [number, number] = [M.left, W - M.right];
const Y: [number, number] = [H - M.bottom, M.top];

/** Length as the chart's x and the table's column ("68.4 cm"). */
const lengthText = (p: GrowthPoint) => (p.length === undefined ? '—' : formatQuantity(p.length, 'cm'));

function GrowthTable({
  chart,
  captionId,
  when,
}: {
  readonly chart: GrowthChartModel;
  readonly captionId: string;
  readonly when: (p: GrowthPoint) => { readonly date: string; readonly age: string };
}) {
  const value = (v: number) => formatQuantity(v, chart.unit, { loinc: chart.loinc });
  const byLength = chart.xAxis === 'length';
  return (
    <table className="data-table" aria-labelledby={captionId}>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Age</th>
          {byLength ? <th scope="col">Length</th> : null}
          <th scope="col">{byLength ? 'Weight' : 'Value'}</th>
          <th scope="col">Percentile</th>
        </tr>
      </thead>
      <tbody>
        {[...chart.points].reverse().map((p) => {
          const { date, age } = when(p);
          return (
            <tr key={p.observationId}>
              <td>{date}</td>
              <td>{age}</td>
              {byLength ? <td>{lengthText(p)}</td> : null}
              <td>
                {value(p.value)}
                <Preliminary status={p.status} className="ml-2" />
              </td>
              <td data-percentile={p.percentile}>
                {p.percentile === undefined || p.z === undefined
                  ? '—'
                  : `${formatPercentile(p.percentile)} (${formatZ(p.z)})`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Vertical room a curve label needs, in drawing units (the axis text is 11 units high). */
const LABEL_GAP = 10;

/**
 * Label positions as close to `ys` as they can be with at least `gap` between neighbours: labels
 * that would overlap are gathered into a run centred on where they belong (NaN: left in place).
 */
export function spreadLabels(ys: readonly number[], gap: number): number[] {
  const order = ys
    .map((y, i) => ({ y, i }))
    .filter((l) => Number.isFinite(l.y))
    .sort((a, b) => a.y - b.y);
  const runs: { top: number; members: { y: number; i: number }[] }[] = [];
  for (const label of order) {
    runs.push({ top: label.y, members: [label] });
    // Merge with the run above while they overlap, each merged run centred on its labels' places.
    while (runs.length > 1) {
      const last = runs[runs.length - 1]!;
      const prev = runs[runs.length - 2]!;
      if (prev.top + prev.members.length * gap <= last.top) break;
      const members = [...prev.members, ...last.members];
      const mean = members.reduce((s, m) => s + m.y, 0) / members.length;
      runs.splice(-2, 2, { top: mean - ((members.length - 1) * gap) / 2, members });
    }
  }
  const out = [...ys];
  for (const run of runs) run.members.forEach((m, k) => (out[m.i] = run.top + k * gap));
  return out;
}

/** A curve's points with a break where the reference changes, so the two references are not joined. */
function curveLine(
  points: readonly (readonly [number, number])[],
  change: number | undefined,
): ([number, number] | undefined)[] {
  const out: ([number, number] | undefined)[] = [];
  for (const [i, p] of points.entries()) {
    const before = points[i - 1];
    if (change !== undefined && before !== undefined && before[0] < change && p[0] >= change)
      out.push(undefined);
    out.push([p[0], p[1]]);
  }
  return out;
}

/** One measure against its percentile curves, the latest reading's percentile, and every reading in a table. */
export function GrowthChart({
  chart,
  birthDate,
}: {
  readonly chart: GrowthChartModel;
  /** For each reading's age on its day in the chart's zone; without it, the age on the reading's UTC day. */
  readonly birthDate?: string;
}) {
  const titleId = useId();
  const zone = useDisplayZone();
  // Drawn narrower than its drawing (a phone), the text is enlarged to read at the page's size.
  const svgRef = useRef<SVGSVGElement>(null);
  const textScale = useTextScale(svgRef, W);
  const axisFont = useAxisFont(svgRef, textScale);
  const when = (p: GrowthPoint) => readingWhen(p, birthDate, zone);
  const byLength = chart.xAxis === 'length';
  // x: age in months, or length in cm on a weight-for-length chart.
  const xOf = (p: GrowthPoint) => (byLength ? (p.length ?? 0) : p.ageMonths);
  const xs = [...chart.points.map(xOf), ...chart.curves.flatMap((c) => c.points.map((p) => p[0]))];
  const from = Math.min(...xs);
  const to = Math.max(...xs);
  const values = [
    ...chart.points.map((p) => p.value),
    ...chart.curves.flatMap((c) => c.points.map((p) => p[1])),
  ];
  const { domain, ticks } = valueDomain(values);
  const x = linearScale([from, to], X);
  const y = linearScale(domain, Y);
  // Curve labels at the curves' ends, moved apart where curves run close (a length chart's do).
  const labelYs = spreadLabels(
    chart.curves.map((c) => {
      const end = c.points.at(-1);
      return end ? y(end[1]) : Number.NaN;
    }),
    LABEL_GAP * textScale,
  );
  // Ages or lengths along the bottom: "0 mo" at the start anchored inward, clear of the value labels beside it, and
  // on a narrow axis only those that leave each other room ("0 mo" and "12 mo" at 360 px read as "0 mo12 mo").
  const charWidth = axisFont * CHAR_EM;
  const xTicks = keepApart(
    (byLength
      ? lengthTicks([from, to]).map((t) => ({ at: t, label: lengthTickLabel(t) }))
      : ageTicks([from, to]).map((t) => ({ at: t.months, label: t.label }))
    ).map((t) => ({
      time: t.at,
      label: t.label,
      x: x(t.at),
      anchor: anchorInside(x(t.at), t.label.length * charWidth, X),
    })),
    charWidth,
  );
  const latest = chart.points.at(-1);
  if (latest === undefined) return null;
  const latestText =
    `${formatQuantity(latest.value, chart.unit, { loinc: chart.loinc })} at ${
      byLength ? `${lengthText(latest)}, ${when(latest).age}` : when(latest).age
    }` +
    (latest.percentile === undefined || latest.z === undefined
      ? ''
      : `: ${formatPercentile(latest.percentile)} (${formatZ(latest.z)})`);
  const summary = `${chart.label}, ${chart.points.length} reading${chart.points.length === 1 ? '' : 's'}${
    chart.curves.length
      ? ` against the ${chart.curves.map((c) => c.percentile).join(', ')} percentile curves`
      : ''
  }; latest ${latestText}${latest.status === 'preliminary' ? ' (preliminary)' : ''}.`;

  return (
    <article aria-labelledby={titleId} className="tile flex flex-col gap-2" data-growth={chart.measure}>
      <h3 id={titleId} className="font-semibold">
        {chart.label}
      </h3>
      <p className="text-sm">
        Latest <span className="font-semibold">{latestText}</span>
        <Preliminary status={latest.status} className="ml-2" />
      </p>
      <div className="relative w-full max-w-[36rem]">
        <svg
          ref={svgRef}
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={summary}
          className="block h-auto w-full overflow-visible text-[0.6875rem]"
          style={textScale === 1 ? undefined : { fontSize: `${0.6875 * textScale}rem` }}
        >
          {/* Above the plot, right of the value labels: beside the top value it read as one ("kg30"). */}
          <text x={X[0] + 4} y={M.top - 5} className="fill-muted" data-axis-unit>
            {unitLabel(chart.unit)}
          </text>
          {ticks.map((v) => (
            <g key={v}>
              <line x1={X[0]} x2={X[1]} y1={y(v)} y2={y(v)} className="stroke-grid" />
              <text x={X[0] - 4} y={y(v) + 4} textAnchor="end" className="fill-muted" data-axis-value>
                {formatValue(v, undefined)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text key={t.label} x={t.x} y={H - 8} textAnchor={t.anchor} className="fill-muted" data-axis-tick>
              {t.label}
            </text>
          ))}
          {chart.curves.map((c, i) => {
            const end = c.points.at(-1);
            return (
              <g key={c.percentile}>
                <path
                  d={linePath(curveLine(c.points, chart.referenceChange).map((p) => p && [x(p[0]), y(p[1])]))}
                  fill="none"
                  strokeWidth={c.percentile === 50 ? 1.5 : 1}
                  strokeDasharray={c.percentile === 50 ? undefined : '3 2'}
                  className="stroke-grid-strong"
                />
                {end ? (
                  <text
                    x={x(end[0]) + 3}
                    y={(labelYs[i] ?? y(end[1])) + 3}
                    className="fill-muted"
                    data-percentile-label
                  >
                    {c.percentile}
                  </text>
                ) : null}
              </g>
            );
          })}
          <path
            d={linePath(chart.points.map((p) => [x(xOf(p)), y(p.value)]))}
            fill="none"
            strokeWidth={1.5}
            className="stroke-chart-1"
          />
          {chart.points.map((p) => (
            <circle key={p.observationId} cx={x(xOf(p))} cy={y(p.value)} r={3} className="fill-chart-1" />
          ))}
        </svg>
        <ReadingButtons
          title={chart.label}
          width={W}
          height={H}
          readings={chart.points.map((p) => {
            const { date, age } = when(p);
            return {
              id: p.observationId,
              x: x(xOf(p)),
              y: y(p.value),
              value: `${formatQuantity(p.value, chart.unit, { loinc: chart.loinc })}${
                p.percentile === undefined ? '' : `, ${formatPercentile(p.percentile)}`
              }${p.status === 'preliminary' ? ' (preliminary)' : ''}`,
              date: `${date}, age ${age}${byLength ? `, length ${lengthText(p)}` : ''}`,
            };
          })}
        />
      </div>
      {chart.source ? <p className="text-xs text-muted">Percentile curves: {chart.source}</p> : null}
      {chart.notPossible ? (
        <p className="text-sm text-muted">
          {chart.notPossible === 1
            ? '1 reading that is not possible is'
            : `${chart.notPossible} readings that are not possible are`}{' '}
          not drawn and given no percentile; the vital’s table lists {chart.notPossible === 1 ? 'it' : 'them'}
          .
        </p>
      ) : null}
      <details>
        <summary className="cursor-pointer text-sm">
          {chart.label} readings ({chart.points.length})
        </summary>
        <div
          className="relative overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label={`${chart.label} readings`}
        >
          <GrowthTable chart={chart} captionId={titleId} when={when} />
        </div>
      </details>
    </article>
  );
}
