'use client';

import type { ChartRange, VitalsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { PeriodContent, rangeLoadingText } from './period-note';
import { UnreadableVitals } from './unreadable';
import { VitalTile } from './vital-tile';
import { WidgetFrame } from './widget-frame';
import { WidgetQueryStates } from './widget-query-states';
import { WidgetEmpty } from './widget-states';

interface Props {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly title: string;
}

const WIDGET = WIDGET_SPECS.vitals;

function VitalsBody({ launchId, range }: Props) {
  const query = useWidgetData<VitalsModel>(launchId, WIDGET, range);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  return (
    <WidgetQueryStates
      query={query}
      loading="Loading vitals"
      updating={rangeLoadingText(range, 'vital signs')}
      what="Vitals"
    >
      {({ data, warnings, period }) => (
        <PeriodContent warnings={warnings} period={period} range={range} what="vital signs">
          {(now) =>
            data.series.length === 0 && data.unreadableOnly === undefined ? (
              <WidgetEmpty
                warnings={warnings}
                received="No vital signs received from the EHR for this period."
              >
                No vital signs recorded in this period.
              </WidgetEmpty>
            ) : (
              <div className="flex flex-col gap-3">
                {/* Vitals sent but not one reading of them readable: said, never an empty chart. */}
                <UnreadableVitals vitals={data.unreadableOnly} />
                {data.series.length === 0 ? null : (
                  <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
                    {data.series.map((s) => (
                      <VitalTile key={s.kind} series={s} now={now} diedAt={data.diedAt} />
                    ))}
                  </div>
                )}
              </div>
            )
          }
        </PeriodContent>
      )}
    </WidgetQueryStates>
  );
}

/** Vital signs: a tile per vital with its latest reading and its trend. */
export function VitalsPanel(props: Props) {
  return (
    <WidgetFrame title={props.title} className="lg:col-span-2">
      <VitalsBody {...props} />
    </WidgetFrame>
  );
}
