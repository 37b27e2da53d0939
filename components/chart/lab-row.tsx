'use client';

import { useId, useState } from 'react';
import type { LabGroup, LabResult } from '@/lib/chart/types';
import { formatDateTime, formatQuantity, toTime, type QuantityContext } from './format';
import { LabFlag } from './lab-flag';
import { Sparkline } from './sparkline';

const context = (r: LabResult, loinc: string | undefined): QuantityContext => ({
  ...(loinc ? { loinc } : {}),
  ...(r.original ? { original: r.original } : {}),
});

/** The result as text: value and unit, the text result, or why there is none. */
export function resultText(r: LabResult, loinc?: string): string {
  if (r.value !== undefined) return formatQuantity(r.value, r.unit, context(r, loinc));
  if (r.valueText !== undefined) return r.valueText;
  if (r.absentReason !== undefined) return `No result: ${r.absentReason}`;
  return 'No result';
}

function rangeText(r: LabResult): string {
  const range = r.range;
  if (range === undefined) return '';
  if (range.text !== undefined) return range.text;
  if (range.low !== undefined && range.high !== undefined)
    return `${range.low}–${formatQuantity(range.high, range.unit)}`;
  if (range.low !== undefined) return `≥ ${formatQuantity(range.low, range.unit)}`;
  if (range.high !== undefined) return `≤ ${formatQuantity(range.high, range.unit)}`;
  return '';
}

function originalText(r: LabResult): string {
  return r.original === undefined ? '' : `recorded as ${formatQuantity(r.original.value, r.original.unit)}`;
}

function History({ group, id }: { readonly group: LabGroup; readonly id: string }) {
  return (
    <table id={id} className="data-table mt-2">
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
        {group.history.map((r) => (
          <tr key={r.observationId}>
            <td>{formatDateTime(r.time)}</td>
            <td>
              {resultText(r)}
              {r.original === undefined ? null : (
                <span className="block text-xs text-muted">{originalText(r)}</span>
              )}
            </td>
            <td>
              <LabFlag flag={r.flag} source={r.flagSource} />
            </td>
            <td>{rangeText(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One test: latest result with flag and range, a sparkline, and the full history on demand. */
export function LabRow({ group }: { readonly group: LabGroup }) {
  const historyId = useId();
  const [open, setOpen] = useState(false);
  const { latest } = group;
  const numeric = group.history
    .filter((r): r is LabResult & { value: number } => r.value !== undefined)
    .map((r) => ({ time: toTime(r.time), value: r.value }))
    .sort((a, b) => a.time - b.time);
  const range = rangeText(latest);
  return (
    <li className="lab-row">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 className="font-semibold">{group.label}</h3>
        <span className="text-sm text-muted">{formatDateTime(latest.time)}</span>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span
          className={
            latest.value === undefined && latest.valueText === undefined
              ? 'text-muted italic'
              : 'text-lg font-bold'
          }
        >
          {resultText(latest)}
        </span>
        <LabFlag flag={latest.flag} source={latest.flagSource} />
        {latest.original === undefined ? null : (
          <span className="text-sm text-muted">{originalText(latest)}</span>
        )}
        <Sparkline
          points={numeric}
          label={`${group.label} trend: ${numeric.map((p) => p.value).join(', ')}`}
        />
      </div>
      {range === '' ? null : <p className="text-sm text-muted">Reference range: {range}</p>}
      {group.history.length > 1 ? (
        <>
          <button
            type="button"
            className="btn-link text-sm"
            aria-expanded={open}
            aria-controls={historyId}
            onClick={() => setOpen((v) => !v)}
            data-print-hide
          >
            {open ? 'Hide' : 'Show'} history ({group.history.length} results)
          </button>
          <div hidden={!open} data-print-expand className="overflow-x-auto">
            <History group={group} id={historyId} />
          </div>
        </>
      ) : null}
    </li>
  );
}
