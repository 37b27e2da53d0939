import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChartPayload, ChartRange, VitalsModel } from '@/lib/chart/types';
import { chartKeys, chartUrl } from './chart-keys';
import { fetchChartPayload } from './fetch-json';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './query-policy';

export function getVitals(
  launchId: string,
  range: ChartRange,
  signal?: AbortSignal,
): Promise<ChartPayload<VitalsModel>> {
  return fetchChartPayload<VitalsModel>(chartUrl(launchId, 'vitals', range), signal);
}

export function vitalsQueryOptions(launchId: string, range: ChartRange) {
  return queryOptions({
    queryKey: chartKeys.vitals(launchId, range),
    queryFn: ({ signal }) => getVitals(launchId, range, signal),
    staleTime: CHART_STALE_TIME,
    gcTime: CHART_GC_TIME,
    retry: chartRetry,
    retryDelay: chartRetryDelay,
  });
}

/**
 * Switching the range starts a new query; the previous range's data stays on
 * screen (marked as updating) instead of flashing back to a skeleton.
 */
export function useVitals(launchId: string, range: ChartRange) {
  return useQuery({ ...vitalsQueryOptions(launchId, range), placeholderData: (previous) => previous });
}
