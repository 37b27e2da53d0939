'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { CHART_RANGES, type ChartRange } from '@/lib/chart/types';
import { DEFAULT_RANGE } from '@/lib/chart/widgets';
import { ChartNoticeContext, ChartWarnings } from './chart-warnings';
import { useDisplayZone } from './display-zone';
import { zoneSentence } from './format';
import { useInFrame } from './in-frame';
import { PrintHeader } from './print-header';
import { RangeControl } from './range-control';
import { safeStyleVars, type StyleVars } from './style-vars';
import { CHART_WIDGETS, type UiWidget } from './widgets';

export interface ChartViewProps {
  readonly launchId: string;
  /**
   * From the launch context; false when the EHR shows its own patient banner around the app. Outside
   * the EHR's frame (the chart opened in a window of its own) nothing else names the patient, so the
   * chart shows its banner then anyway.
   */
  readonly needPatientBanner: boolean;
  /** Who is signed in, e.g. "Dr. Jane Lee". */
  readonly userLabel: string;
  /** The EHR the launch came from, e.g. "Epic (sandbox)". */
  readonly ehrLabel: string;
  /** Patient id of the launch context; the banner refuses a summary of anyone else. */
  readonly patientId?: string;
  /** CSS custom properties from the EHR's smart_style_url (only `--ehr-*` kept). */
  readonly styleVars?: StyleVars;
  /** The widgets shown, in order (the registry in ./widgets.tsx). */
  readonly widgets?: readonly UiWidget[];
}

/**
 * What the chart leaves to the EHR, on screen and in print: a chart without an allergy section must not read as a
 * patient without allergies.
 */
function ChartScope() {
  return (
    <p role="note" className="text-sm text-muted" data-chart-scope>
      Allergies, medications, immunizations and notes are not shown in this chart: see the EHR for those.
    </p>
  );
}

/**
 * The zone the chart's times are in, said once on screen (the printout's header says it in print): a clinician
 * whose computer keeps another zone than the EHR's sees at once which one it is.
 */
function ZoneNote() {
  const zone = useDisplayZone();
  return (
    // The abbreviation is the one in use now, which the server's and the browser's clocks agree on but at a change of
    // daylight saving time.
    <p className="text-sm text-muted" data-zone-note suppressHydrationWarning>
      {zoneSentence(new Date(), zone)}
    </p>
  );
}

/**
 * The chart of one launch. Each widget fetches and renders on its own, so the
 * first answer shows at once and a failing one never blanks the others.
 * Renders the page's `main` landmark (`#chart-main`): pages must not wrap it in another, and
 * put the skip link to it first on the page (SessionBar's `skipTo`).
 */
export function ChartView({
  launchId,
  patientId,
  needPatientBanner,
  userLabel,
  ehrLabel,
  styleVars,
  widgets = CHART_WIDGETS,
}: ChartViewProps) {
  // The range is kept in the URL (`?range=5y`), so a reload or a shared link keeps it.
  const asked = useSearchParams()?.get('range');
  const [range, setRangeState] = useState<ChartRange>(CHART_RANGES.find((r) => r === asked) ?? DEFAULT_RANGE);
  const setRange = (next: ChartRange) => {
    setRangeState(next);
    const url = new URL(window.location.href);
    if (next === DEFAULT_RANGE) url.searchParams.delete('range');
    else url.searchParams.set('range', next);
    window.history.replaceState(window.history.state, '', url);
  };
  const inFrame = useInFrame();
  const bannerShown = needPatientBanner || inFrame === false;
  const context = { launchId, range, patientId, needPatientBanner: bannerShown, userLabel, ehrLabel };
  const show = (place: UiWidget['place']) =>
    widgets
      .filter((w) => w.place === place)
      .map(({ spec, title, Component }) => <Component key={spec.id} {...context} title={title} />);
  return (
    <ChartNoticeContext.Provider value={true}>
      <div className="chart-root" style={safeStyleVars(styleVars)}>
        <PrintHeader
          launchId={launchId}
          range={range}
          userLabel={userLabel}
          readPatient={bannerShown}
          {...(patientId === undefined ? {} : { patientId })}
        />
        {show('banner')}
        <main
          id="chart-main"
          tabIndex={-1}
          className="mx-auto flex max-w-screen-2xl flex-col gap-4 p-3 sm:p-4"
        >
          {bannerShown ? null : <h1 className="sr-only">Patient chart</h1>}
          <div className="flex flex-wrap items-center justify-between gap-2" data-print-hide>
            <ZoneNote />
            <div className="ml-auto">
              <RangeControl value={range} onChange={setRange} />
            </div>
          </div>
          <ChartWarnings launchId={launchId} range={range} widgets={widgets} />
          <ChartScope />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">{show('grid')}</div>
        </main>
      </div>
    </ChartNoticeContext.Provider>
  );
}
