import { mutationOptions, useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { chartUrl } from './chart-keys';
import { fetchJson } from './fetch-json';
import { chartRetry, chartRetryDelay } from './query-policy';

/** A widget's id (lib/chart/widgets.ts); the server refuses any other. */
export type ChartPanel = string;

/** Tells the server (which checks it against the session) that the user saw a panel. */
export async function reportView(launchId: string, panel: ChartPanel): Promise<void> {
  await fetchJson(chartUrl(launchId, 'view'), { method: 'POST', body: { panel } });
}

export function reportViewMutationOptions(launchId: string) {
  return mutationOptions({
    mutationKey: ['chart', launchId, 'view'] as const,
    mutationFn: (panel: ChartPanel) => reportView(launchId, panel),
    retry: chartRetry,
    retryDelay: chartRetryDelay,
  });
}

/**
 * Reports a panel once per mount, the first time `shown` is true (its data is
 * on screen). A failed report is left to the mutation's state: the server has
 * already audited the read itself, and the data queries surface session or
 * audit trouble to the user.
 */
export function useReportView(launchId: string, panel: ChartPanel, shown: boolean): void {
  const { mutate } = useMutation(reportViewMutationOptions(launchId));
  const reported = useRef(false);
  useEffect(() => {
    if (!shown || reported.current) return;
    reported.current = true;
    mutate(panel);
  }, [shown, panel, mutate]);
}
