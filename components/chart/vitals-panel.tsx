'use client';

import type { ChartRange, VitalsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { PeriodNote } from './period-note';
import { VitalTile } from './vital-tile';
import { Warnings } from './warnings';
import { WidgetFrame } from './widget-frame';
import { WidgetEmpty, WidgetError, WidgetSkeleton } from './widget-states';

interface Props {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly title: string;
}

const WIDGET = WIDGET_SPECS.vitals;

function VitalsBody({ launchId, range }: Props) {
  const query = useWidgetData<VitalsModel>(launchId, WIDGET, range);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  if (query.isPending) return <WidgetSkeleton label="Loading vitals" />;
  if (query.isError)
    return (
      <WidgetError
        error={query.error}
        what="Vitals"
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  const { data, warnings, period } = query.data;
  const now = new Date();
  return (
    <div aria-busy={query.isPlaceholderData} className={query.isPlaceholderData ? 'opacity-60' : undefined}>
      <Warnings warnings={warnings} />
      <PeriodNote period={period} range={range} what="vital signs" />
      {data.series.length === 0 ? (
        <WidgetEmpty>No vital signs recorded in this period.</WidgetEmpty>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {data.series.map((s) => (
            <VitalTile key={s.kind} series={s} now={now} />
          ))}
        </div>
      )}
    </div>
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
