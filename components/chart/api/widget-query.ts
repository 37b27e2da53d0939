import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChartPayload, ChartRange } from '@/lib/chart/types';
import type { WidgetSpec } from '@/lib/chart/widgets';
import { chartKeys, widgetUrl } from './chart-keys';
import { fetchChartPayload } from './fetch-json';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './query-policy';

/** The query of one widget's route; `M` is the chart model its server half maps to. */
export function widgetQueryOptions<M>(launchId: string, widget: WidgetSpec, range: ChartRange) {
  return queryOptions({
    queryKey: chartKeys.widget(launchId, widget, range),
    queryFn: ({ signal }) => fetchChartPayload<M>(widgetUrl(launchId, widget, range), signal),
    staleTime: CHART_STALE_TIME,
    gcTime: CHART_GC_TIME,
    retry: chartRetry,
    retryDelay: chartRetryDelay,
  });
}

/**
 * A widget's data. Switching the range starts a new query; the previous
 * range's data stays on screen (marked as updating) instead of flashing back
 * to a skeleton.
 */
export function useWidgetData<M>(launchId: string, widget: WidgetSpec, range: ChartRange) {
  return useQuery({
    ...widgetQueryOptions<M>(launchId, widget, range),
    placeholderData: (previous: ChartPayload<M> | undefined) => previous,
  });
}
