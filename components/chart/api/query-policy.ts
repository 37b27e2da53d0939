import { isApiError } from './fetch-json';

/**
 * Retry only what a retry can fix: one more try for EHR trouble (502/504) or a
 * dropped connection. Never for 401 (session gone), 403 (not allowed) or 503
 * (audit log down: the server must refuse until it can record access).
 */
export function chartRetry(failureCount: number, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const retriable = error.status === 502 || error.status === 504 || error.status === 0;
  return retriable && failureCount < 1;
}

export const chartRetryDelay = 500;

/** Chart data changes slowly within a visit; each refetch is an audited read. */
export const CHART_STALE_TIME = 60_000;
/** Drop a launch's data from memory soon after no widget shows it. */
export const CHART_GC_TIME = 5 * 60_000;
