'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ChartPayload } from '@/lib/chart/types';
import { useRetry, WidgetError, WidgetSkeleton } from './widget-states';

interface Props<M> {
  readonly query: UseQueryResult<ChartPayload<M>, unknown>;
  /** Name of the loading placeholder, e.g. "Loading vitals". */
  readonly loading: string;
  readonly rows?: number;
  /** Plural noun for the error message, e.g. "Vitals". */
  readonly what: string;
  /** Words for an error in another voice (the patient view's); the chart's own by default. */
  readonly describeError?: (error: unknown, what: string) => string;
  /** The data state (the widget tells empty from filled itself). */
  readonly children: (payload: ChartPayload<M>) => ReactNode;
}

/**
 * A widget's query in its states: skeleton, error with retry, then its data —
 * dimmed and marked busy while a new range loads over the previous one.
 */
export function WidgetQueryStates<M>({ query, loading, rows, what, describeError, children }: Props<M>) {
  const retry = useRetry(query);
  if (query.isPending && !retry.failed) return <WidgetSkeleton label={loading} rows={rows} />;
  if (query.isPending || query.isError)
    return (
      <WidgetError
        error={retry.error}
        what={what}
        onRetry={retry.onRetry}
        retrying={retry.retrying}
        {...(describeError ? { describe: describeError } : {})}
      />
    );
  const updating = query.isPlaceholderData;
  return (
    <div aria-busy={updating} className={updating ? 'opacity-60' : undefined}>
      {children(query.data)}
    </div>
  );
}
