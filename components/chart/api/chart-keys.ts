import type { ChartRange } from '@/lib/chart/types';

/**
 * Query keys for the chart, all scoped to one launch: two launches (two tabs,
 * two embedded EHR instances) never share a cache entry, so patients never mix.
 */
export const chartKeys = {
  all: ['chart'] as const,
  launch: (launchId: string) => ['chart', launchId] as const,
  patient: (launchId: string) => ['chart', launchId, 'patient'] as const,
  vitals: (launchId: string, range: ChartRange) => ['chart', launchId, 'vitals', range] as const,
  labs: (launchId: string, range: ChartRange) => ['chart', launchId, 'labs', range] as const,
  problems: (launchId: string) => ['chart', launchId, 'problems'] as const,
};

/** Path of a chart route; the launch id is encoded so it cannot change the path. */
export function chartUrl(
  launchId: string,
  resource: 'patient' | 'vitals' | 'labs' | 'problems' | 'view',
  range?: ChartRange,
): string {
  const base = `/api/chart/${encodeURIComponent(launchId)}/${resource}`;
  return range === undefined ? base : `${base}?range=${range}`;
}
