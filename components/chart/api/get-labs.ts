import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChartPayload, ChartRange, LabsModel } from '@/lib/chart/types';
import { chartKeys, chartUrl } from './chart-keys';
import { fetchChartPayload } from './fetch-json';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './query-policy';

export function getLabs(
  launchId: string,
  range: ChartRange,
  signal?: AbortSignal,
): Promise<ChartPayload<LabsModel>> {
  return fetchChartPayload<LabsModel>(chartUrl(launchId, 'labs', range), signal);
}

export function labsQueryOptions(launchId: string, range: ChartRange) {
  return queryOptions({
    queryKey: chartKeys.labs(launchId, range),
    queryFn: ({ signal }) => getLabs(launchId, range, signal),
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
export function useLabs(launchId: string, range: ChartRange) {
  return useQuery({ ...labsQueryOptions(launchId, range), placeholderData: (previous) => previous });
}
