import { QueryClient } from '@tanstack/react-query';
import { CHART_GC_TIME, CHART_STALE_TIME, chartRetry, chartRetryDelay } from './chart/api/query-policy';

/**
 * The browser's query cache: memory only, never persisted (no localStorage or
 * sessionStorage: it would hold PHI past the session). No refetch on window
 * focus: in an EHR's embedded browser focus flips constantly and every refetch
 * is an audited read.
 */
export function createChartQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: CHART_STALE_TIME,
        gcTime: CHART_GC_TIME,
        retry: chartRetry,
        retryDelay: chartRetryDelay,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
