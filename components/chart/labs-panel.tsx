'use client';

import type { ChartRange, LabsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { LabRow } from './lab-row';
import { PeriodNote } from './period-note';
import { Warnings } from './warnings';
import { WidgetFrame } from './widget-frame';
import { WidgetQueryStates } from './widget-query-states';
import { WidgetEmpty } from './widget-states';

interface Props {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly title: string;
}

const WIDGET = WIDGET_SPECS.labs;

function LabsBody({ launchId, range }: Props) {
  const query = useWidgetData<LabsModel>(launchId, WIDGET, range);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  const now = new Date();
  return (
    <WidgetQueryStates query={query} loading="Loading lab results" rows={4} what="Lab results">
      {({ data, warnings, period }) => (
        <>
          <Warnings warnings={warnings} />
          <PeriodNote period={period} range={range} what="lab results" />
          {data.groups.length === 0 ? (
            <WidgetEmpty>No lab results in this period.</WidgetEmpty>
          ) : (
            // Order is the server's: abnormal latest results first, then by name.
            <ul className="flex flex-col divide-y divide-line">
              {data.groups.map((g) => (
                <LabRow key={g.key} group={g} now={now} />
              ))}
            </ul>
          )}
        </>
      )}
    </WidgetQueryStates>
  );
}

/** Lab results grouped by test, abnormal first. */
export function LabsPanel(props: Props) {
  return (
    <WidgetFrame title={props.title}>
      <LabsBody {...props} />
    </WidgetFrame>
  );
}
