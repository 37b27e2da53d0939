'use client';

import { useId, useMemo, useState } from 'react';
import { gfrCategory } from '@/lib/chart/kidney';
import type { LabGroup, LabResult } from '@/lib/chart/types';
import { formatDateTime, formatQuantity, formatValue, toTime, type QuantityContext } from './format';
import { LabFlag } from './lab-flag';
import { NotPossible } from './not-possible';
import { Preliminary } from './preliminary';
import { ShowMore, useShownRows } from './show-more';
import { Sparkline } from './sparkline';
import { StaleBadge } from './stale-badge';
import { useDisplayZone } from './display-zone';
import { useFoldedRendered } from './print-media';
import { AfterDeath } from './after-death';

const context = (r: LabResult, loinc: string | undefined): QuantityContext => ({
  ...(loinc ? { loinc } : {}),
  ...(r.original ? { original: r.original } : {}),
  ...(r.decimals === undefined ? {} : { atLeast: r.decimals }),
});

/** The result as text: value and unit, the text result, or why there is none. */
export function resultText(r: LabResult, loinc?: string): string {
  if (r.value !== undefined) return formatQuantity(r.value, r.unit, context(r, loinc));
  if (r.valueText !== undefined) return r.valueText;
  if (r.absentReason !== undefined) return `No result: ${r.absentReason}`;
  return 'No result';
}

function bounds(
  b: {
    readonly low?: number;
    readonly high?: number;
    readonly lowExclusive?: true;
    readonly highExclusive?: true;
    readonly unit?: string;
  },
  loinc: string | undefined,
): string {
  const { low, high, unit } = b;
  const ctx = { ...(loinc ? { loinc } : {}), asRecorded: true };
  if (low !== undefined && high !== undefined)
    return `${formatValue(low, unit, ctx)}–${formatQuantity(high, unit, ctx)}`;
  if (low !== undefined) return `${b.lowExclusive ? '>' : '≥'} ${formatQuantity(low, unit, ctx)}`;
  if (high !== undefined) return `${b.highExclusive ? '<' : '≤'} ${formatQuantity(high, unit, ctx)}`;
  return '';
}

/** "4.5–11 ×10³/µL (Female)", with the range as recorded when it was converted; else the EHR's text. */
export function rangeText(r: LabResult, loinc: string | undefined): string {
  const range = r.range;
  if (range === undefined) return '';
  const numbers = bounds(range, loinc);
  if (numbers === '') return range.text ?? '';
  const o = range.original;
  return [
    numbers,
    range.qualifier === undefined ? '' : ` (${range.qualifier})`,
    o === undefined ? '' : ` (recorded as ${bounds(o, loinc)})`,
  ].join('');
}

/**
 * A number nothing judges: no reference range and no flag from the EHR. It must not read as normal, so its row
 * says so, or its panel does once when every row of it is such a number (Synthea records, for one, carry no ranges).
 */
export function isUnjudged(r: LabResult, loinc: string | undefined): boolean {
  return r.value !== undefined && r.flag === undefined && rangeText(r, loinc) === '';
}

const loincOf = (g: LabGroup): QuantityContext => (g.loinc ? { loinc: g.loinc } : {});

/**
 * An eGFR below 60 names its KDIGO 2012 category, with or without a reference range from the EHR (most send
 * none for an eGFR): "41" with no flag must not read as normal (lib/chart/kidney.ts).
 */
function GfrCategoryBadge({ group }: { readonly group: LabGroup }) {
  const { value, unit } = group.latest;
  const category = value === undefined ? undefined : gfrCategory(group.loinc, value, unit);
  if (category === undefined) return null;
  return (
    <span className="flag flag-high flag-wrap" data-gfr-category={category.code}>
      GFR category {category.code}: {category.text} (KDIGO 2012)
    </span>
  );
}

function originalText(r: LabResult, loinc: string | undefined): string {
  if (r.original === undefined) return '';
  const ctx = { ...(loinc ? { loinc } : {}), asRecorded: true };
  return `recorded as ${formatQuantity(r.original.value, r.original.unit, ctx)}`;
}

function History({
  group,
  diedAt,
  rows: { shown, more },
}: {
  readonly group: LabGroup;
  readonly diedAt: string | undefined;
  /** Held by the row, so the results shown stay as they were when the history is closed and opened again. */
  readonly rows: ReturnType<typeof useShownRows>;
}) {
  const zone = useDisplayZone();
  return (
    <div>
      <table className="data-table mt-2">
        <caption className="sr-only">{group.label} history</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Result</th>
            <th scope="col">Flag</th>
            <th scope="col">Reference range</th>
          </tr>
        </thead>
        <tbody>
          {group.history.slice(0, shown).map((r) => (
            <tr key={r.observationId}>
              <td>{formatDateTime(r.time, zone)}</td>
              <td>
                {resultText(r, group.loinc)}
                {r.original === undefined ? null : (
                  <span className="block text-xs text-muted">{originalText(r, group.loinc)}</span>
                )}
              </td>
              <td>
                <NotPossible why={r.impossible} />
                <LabFlag flag={r.flag} source={r.flagSource} />
                <Preliminary status={r.status} className="ml-1" />
                <AfterDeath time={r.time} diedAt={diedAt} />
              </td>
              <td>{rangeText(r, group.loinc)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore what={`${group.label} results`} shown={shown} total={group.history.length} onMore={more} />
    </div>
  );
}

/** Every value of a short trend; the count, lowest and highest of a long one. */
function sparkLabel(
  label: string,
  points: readonly { readonly value: number }[],
  format: (v: number) => string,
): string {
  if (points.length <= 12) return `${label} trend: ${points.map((p) => format(p.value)).join(', ')}`;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p.value);
    hi = Math.max(hi, p.value);
  }
  return `${label} trend, ${points.length} results: lowest ${format(lo)}, highest ${format(hi)}, latest ${format(points.at(-1)!.value)}`;
}

/** One test: latest result with flag and range, a sparkline, and the full history on demand. */
export function LabRow({
  group,
  now,
  diedAt,
  unjudgedSaid = false,
}: {
  readonly group: LabGroup;
  readonly now: Date;
  /** The patient's date of death, when the EHR gives one: results after it are marked. */
  readonly diedAt?: string | undefined;
  /** The panel already said that none of its results is judged (isUnjudged): the row need not repeat it. */
  readonly unjudgedSaid?: boolean;
}) {
  const historyId = useId();
  const [open, setOpen] = useState(false);
  const rows = useShownRows(group.history.length);
  const folded = useFoldedRendered();
  const zone = useDisplayZone();
  const { latest } = group;
  const numeric = useMemo(
    () =>
      group.history
        // One line, one unit: a result the EHR gave in a unit that does not convert to the latest's (an eGFR in
        // mL/min beside mL/min/1.73 m²) stays in the history, off the trend; so does one that cannot be.
        .filter(
          (r): r is LabResult & { value: number } =>
            r.value !== undefined && r.unit === group.latest.unit && r.impossible === undefined,
        )
        .map((r) => ({
          time: toTime(r.time),
          value: r.value,
          flagged: r.flag !== undefined && r.flag !== 'N',
        }))
        .sort((a, b) => a.time - b.time),
    [group.history, group.latest.unit],
  );
  const notDrawn = useMemo(
    () => group.history.filter((r) => r.impossible !== undefined).length,
    [group.history],
  );
  const range = rangeText(latest, group.loinc);
  // Results taken at the same moment as the latest (a test run twice in one visit): none hides behind it.
  const sameTime = useMemo(
    () =>
      group.history.filter(
        (r) => r.observationId !== latest.observationId && toTime(r.time) === toTime(latest.time),
      ),
    [group.history, latest],
  );
  return (
    <li className="lab-row">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h4 className="font-semibold" title={group.fullName}>
          {group.label}
        </h4>
        <span className="flex flex-wrap items-center gap-2 text-sm text-muted">
          <time dateTime={latest.time}>{formatDateTime(latest.time, zone)}</time>
          <StaleBadge time={latest.time} now={now} />
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span
          className={
            latest.value === undefined && latest.valueText === undefined
              ? 'text-muted italic'
              : 'text-lg font-bold'
          }
        >
          {resultText(latest, group.loinc)}
        </span>
        <NotPossible why={latest.impossible} />
        <LabFlag flag={latest.flag} source={latest.flagSource} />
        <Preliminary status={latest.status} />
        <GfrCategoryBadge group={group} />
        <AfterDeath time={latest.time} diedAt={diedAt} />
        {latest.original === undefined ? null : (
          <span className="text-sm text-muted">{originalText(latest, group.loinc)}</span>
        )}
        <Sparkline
          points={numeric}
          label={sparkLabel(group.label, numeric, (v) => formatValue(v, latest.unit, loincOf(group)))}
          // The latest's range, where it is in the line's unit: the scale the trend is read against.
          range={
            latest.range?.unit === undefined || latest.range.unit === latest.unit ? latest.range : undefined
          }
        />
      </div>
      {sameTime.length === 0 ? null : (
        <p className="text-sm">
          Also at this time:{' '}
          {sameTime.map((r, i) => (
            <span key={r.observationId}>
              {i > 0 ? '; ' : null}
              {resultText(r, group.loinc)} <NotPossible why={r.impossible} />{' '}
              <LabFlag flag={r.flag} source={r.flagSource} />
              <Preliminary status={r.status} className="ml-1" />
            </span>
          ))}
        </p>
      )}
      {notDrawn === 0 || group.history.length < 2 ? null : (
        <p className="text-sm text-muted">
          {notDrawn === 1
            ? '1 result that is not possible is'
            : `${notDrawn} results that are not possible are`}{' '}
          not drawn in the trend; the history lists {notDrawn === 1 ? 'it' : 'them'}.
        </p>
      )}
      {range !== '' ? (
        <p className="text-sm text-muted">Reference range: {range}</p>
      ) : isUnjudged(latest, group.loinc) && !unjudgedSaid ? (
        // Without a range and a flag from the EHR nothing judges the value: an unflagged number must not read as normal.
        <p className="text-sm text-muted">No reference range from the EHR: not judged high or low.</p>
      ) : null}
      {group.history.length > 1 ? (
        <>
          <button
            type="button"
            className="btn-link text-sm"
            aria-expanded={open}
            aria-controls={historyId}
            aria-label={`${open ? 'Hide' : 'Show'} history of ${group.label}, ${group.history.length} results`}
            onClick={() => setOpen((v) => !v)}
            data-print-hide
          >
            {open ? 'Hide' : 'Show'} history ({group.history.length} results)
          </button>
          <div id={historyId} hidden={!open} data-print-expand className="relative overflow-x-auto">
            {open || folded ? <History group={group} diedAt={diedAt} rows={rows} /> : null}
          </div>
        </>
      ) : null}
    </li>
  );
}
