import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChartPayload, ProblemsModel } from '@/lib/chart/types';
import { chartKeys, chartUrl } from './chart-keys';
import { fetchChartPayload } from './fetch-json';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './query-policy';

export function getProblems(launchId: string, signal?: AbortSignal): Promise<ChartPayload<ProblemsModel>> {
  return fetchChartPayload<ProblemsModel>(chartUrl(launchId, 'problems'), signal);
}

export function problemsQueryOptions(launchId: string) {
  return queryOptions({
    queryKey: chartKeys.problems(launchId),
    queryFn: ({ signal }) => getProblems(launchId, signal),
    staleTime: CHART_STALE_TIME,
    gcTime: CHART_GC_TIME,
    retry: chartRetry,
    retryDelay: chartRetryDelay,
  });
}

export function useProblems(launchId: string) {
  return useQuery(problemsQueryOptions(launchId));
}
