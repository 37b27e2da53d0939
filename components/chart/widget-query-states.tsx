'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ChartPayload } from '@/lib/chart/types';
import { useRetry, WidgetError, WidgetSkeleton } from './widget-states';

interface Props<M> {
  readonly query: UseQueryResult<ChartPayload<M>, unknown>;
  /** Name of the loading placeholder, e.g. "Loading vitals". */
  readonly loading: string;
  /**
   * What it says while a new range loads over the previous one's data, e.g. "Loading vital signs for the last 5
   * years…"; the placeholder's name by default.
   */
  readonly updating?: string;
  readonly rows?: number;
  /** Plural noun for the error message, e.g. "Vitals". */
  readonly what: string;
  /** Words for an error in another voice (the patient view's); the chart's own by default. */
  readonly describeError?: (error: unknown, what: string) => string;
  /** The data state (the widget tells empty from filled itself). */
  readonly children: (payload: ChartPayload<M>) => ReactNode;
}

/**
 * A widget's query in its states: skeleton, error with retry, then its data — dimmed and marked busy while a new
 * range loads over the previous one, under words that say so (the old range's data must not pass for the new one's).
 */
export function WidgetQueryStates<M>({
  query,
  loading,
  updating,
  rows,
  what,
  describeError,
  children,
}: Props<M>) {
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
  const busy = query.isPlaceholderData;
  return (
    <>
      {/* Always there (empty until a range loads), so that screen readers announce the words when they come. */}
      <p
        aria-live="polite"
        className={busy ? 'mb-2 flex items-center gap-2 text-sm text-muted' : 'sr-only'}
        data-print-hide
      >
        {busy ? (
          <>
            <span
              aria-hidden="true"
              className="size-3 shrink-0 animate-spin rounded-full border-2 border-current border-t-transparent motion-reduce:animate-none"
              data-updating-spinner
            />
            {updating ?? `${loading}…`}
          </>
        ) : null}
      </p>
      <div aria-busy={busy} className={busy ? 'opacity-60' : undefined}>
        {children(query.data)}
      </div>
    </>
  );
}
