'use client';

import { useState } from 'react';
import type { ChartRange } from '@/lib/chart/types';
import { LabsPanel } from './labs-panel';
import { PatientBanner } from './patient-banner';
import { ProblemsPanel } from './problems-panel';
import { RangeControl } from './range-control';
import { safeStyleVars, type StyleVars } from './style-vars';
import { VitalsPanel } from './vitals-panel';

export interface ChartViewProps {
  readonly launchId: string;
  /** From the launch context; false when the EHR shows its own patient banner. */
  readonly needPatientBanner: boolean;
  /** Who is signed in, e.g. "Dr. Jane Lee". */
  readonly userLabel: string;
  /** The EHR the launch came from, e.g. "Epic (sandbox)". */
  readonly ehrLabel: string;
  /** Patient id of the launch context; the banner refuses a summary of anyone else. */
  readonly patientId?: string;
  /** CSS custom properties from the EHR's smart_style_url (only `--ehr-*` kept). */
  readonly styleVars?: StyleVars;
}

/**
 * The chart of one launch. Each widget fetches and renders on its own, so the
 * first answer shows at once and a failing one never blanks the others.
 * Renders the page's `main` landmark: pages must not wrap it in another.
 */
export function ChartView({
  launchId,
  patientId,
  needPatientBanner,
  userLabel,
  ehrLabel,
  styleVars,
}: ChartViewProps) {
  const [range, setRange] = useState<ChartRange>('1y');
  return (
    <div className="chart-root" style={safeStyleVars(styleVars)}>
      <a href="#chart-main" className="skip-link">
        Skip to chart
      </a>
      <PatientBanner
        launchId={launchId}
        patientId={patientId}
        needPatientBanner={needPatientBanner}
        userLabel={userLabel}
        ehrLabel={ehrLabel}
      />
      <main id="chart-main" tabIndex={-1} className="mx-auto flex max-w-screen-2xl flex-col gap-4 p-3 sm:p-4">
        {needPatientBanner ? null : <h1 className="sr-only">Patient chart</h1>}
        <div className="flex flex-wrap items-center justify-end gap-2" data-print-hide>
          <RangeControl value={range} onChange={setRange} />
        </div>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          <VitalsPanel launchId={launchId} range={range} />
          <ProblemsPanel launchId={launchId} />
          <LabsPanel launchId={launchId} range={range} />
        </div>
      </main>
    </div>
  );
}
