'use client';

import { useRef } from 'react';
import type { GrowthModel } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { GrowthChart } from './growth-chart';
import { Warnings } from './warnings';
import { WidgetFrame } from './widget-frame';
import { useRetry, WidgetEmpty, WidgetError } from './widget-states';

const WIDGET = WIDGET_SPECS.growth;

/**
 * Growth charts for a patient under 20 (WHO to 2 years, CDC to 20). Nothing
 * shows for adults, nor while loading: most charts are adults' and the panel
 * would only flash.
 */
export function GrowthPanel({ launchId, title }: { readonly launchId: string; readonly title: string }) {
  // The whole record, whatever the chart's range: the route ignores the range.
  const query = useWidgetData<GrowthModel>(launchId, WIDGET, DEFAULT_RANGE);
  const shown = query.isSuccess && query.data.data.shown;
  useReportView(launchId, WIDGET.id, shown);
  // The retry is above the frame (which shows only for a child), so the heading it focuses is passed down.
  const heading = useRef<HTMLHeadingElement>(null);
  const retry = useRetry(query, heading);
  if (query.isError || (query.isPending && retry.failed))
    return (
      <WidgetFrame title={title} headingRef={heading}>
        <WidgetError
          error={retry.error}
          what="Growth charts"
          onRetry={retry.onRetry}
          retrying={retry.retrying}
        />
      </WidgetFrame>
    );
  if (!shown) return null;
  const { data, warnings } = query.data;
  return (
    <WidgetFrame title={title} className="lg:col-span-2" headingRef={heading}>
      <Warnings warnings={warnings} />
      {data.note ? <p className="mb-2 text-sm text-muted">{data.note}</p> : null}
      {data.charts.length === 0 ? (
        <WidgetEmpty
          warnings={warnings}
          received="No weight, length, head circumference or BMI received from the EHR."
        >
          No weight, length, head circumference or BMI recorded.
        </WidgetEmpty>
      ) : (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {data.charts.map((c) => (
            <GrowthChart
              key={c.measure}
              chart={c}
              {...(data.birthDate ? { birthDate: data.birthDate } : {})}
            />
          ))}
        </div>
      )}
    </WidgetFrame>
  );
}
