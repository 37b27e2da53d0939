'use client';

import type { ChartWarning } from '@/lib/chart/types';
import { CHART_WARNINGS_ID, useChartNotice } from './chart-warnings';

/**
 * What the EHR withheld or refused, shown inside the panel it affects. In the
 * chart, where one notice at the top lists every message once, the panel keeps
 * one line pointing to it: a clinician must not mistake missing data for no data.
 */
export function Warnings({ warnings }: { readonly warnings: readonly ChartWarning[] }) {
  const atChartLevel = useChartNotice();
  if (warnings.length === 0) return null;
  if (atChartLevel)
    return (
      <p className="mb-3 text-sm">
        <span aria-hidden="true">⚠ </span>
        <a href={`#${CHART_WARNINGS_ID}`} className="underline">
          Some data may be missing here: see the EHR’s notice at the top of the chart.
        </a>
      </p>
    );
  return (
    <div role="status" className="warning mb-3">
      <ul className="flex flex-col gap-1">
        {warnings.map((w, i) => (
          <li key={`${w.kind}-${w.category ?? ''}-${i}`} className="flex gap-2">
            <span aria-hidden="true">⚠</span>
            <span>
              <span className="sr-only">Warning: </span>
              {w.message}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
