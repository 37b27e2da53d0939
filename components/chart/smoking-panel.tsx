'use client';

import type { ChartPayload, SmokingModel, SmokingRun } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { useDisplayZone } from './display-zone';
import { formatDate } from './format';
import { StaleBadge } from './stale-badge';
import { Warnings } from './warnings';
import { WidgetFrame } from './widget-frame';
import { WidgetQueryStates } from './widget-query-states';
import { WidgetEmpty } from './widget-states';

const WIDGET = WIDGET_SPECS.smoking;

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

function Span({ run, zone }: { readonly run: SmokingRun; readonly zone: string | undefined }) {
  const first = formatDate(run.first, zone);
  const last = formatDate(run.last, zone);
  return (
    <>
      {first === last ? first : `${first} to ${last}`} ({times(run.count)})
    </>
  );
}

/** The latest answer first, with its date; what was recorded before it, newest first. */
export function SmokingData({ data, warnings }: ChartPayload<SmokingModel>) {
  const zone = useDisplayZone();
  const latest = data.runs.at(-1);
  const earlier = data.runs.slice(0, -1).reverse();
  return (
    <>
      <Warnings warnings={warnings} />
      {latest === undefined ? (
        <WidgetEmpty warnings={warnings} received="No smoking status received from the EHR.">
          No smoking status recorded.
        </WidgetEmpty>
      ) : (
        <div className="flex flex-col gap-2">
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1" data-smoking-latest>
            <span className="text-lg font-semibold">{latest.status}</span>
            <span className="text-sm text-muted">
              As of {formatDate(latest.last, zone)}
              {latest.count > 1
                ? ` (recorded ${times(latest.count)} since ${formatDate(latest.first, zone)})`
                : ''}
            </span>
            {data.deceased ? null : <StaleBadge time={latest.last} now={new Date()} />}
          </p>
          {earlier.length === 0 ? null : (
            <div>
              <p className="mb-1 text-sm font-semibold text-muted">Recorded before</p>
              <ul aria-label="Smoking status recorded before" className="flex flex-col text-sm">
                {earlier.map((run) => (
                  <li key={run.first} data-smoking-run>
                    <span className="font-medium">{run.status}</span>: <Span run={run} zone={zone} />
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** Smoking status as the EHR recorded it, over the whole record whatever the chart's range. */
export function SmokingPanel({ launchId, title }: { readonly launchId: string; readonly title: string }) {
  const query = useWidgetData<SmokingModel>(launchId, WIDGET, DEFAULT_RANGE);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  return (
    <WidgetFrame title={title} className="lg:col-span-2">
      <WidgetQueryStates query={query} loading="Loading smoking status" rows={1} what="Smoking status">
        {(payload) => <SmokingData {...payload} />}
      </WidgetQueryStates>
    </WidgetFrame>
  );
}
