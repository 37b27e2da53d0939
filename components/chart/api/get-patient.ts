import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChartPayload, PatientSummary } from '@/lib/chart/types';
import { chartKeys, chartUrl } from './chart-keys';
import { fetchChartPayload } from './fetch-json';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './query-policy';

export function getPatient(launchId: string, signal?: AbortSignal): Promise<ChartPayload<PatientSummary>> {
  return fetchChartPayload<PatientSummary>(chartUrl(launchId, 'patient'), signal);
}

export function patientQueryOptions(launchId: string) {
  return queryOptions({
    queryKey: chartKeys.patient(launchId),
    queryFn: ({ signal }) => getPatient(launchId, signal),
    staleTime: CHART_STALE_TIME,
    gcTime: CHART_GC_TIME,
    retry: chartRetry,
    retryDelay: chartRetryDelay,
  });
}

export function usePatient(launchId: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...patientQueryOptions(launchId), enabled: options.enabled ?? true });
}
