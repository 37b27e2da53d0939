'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { createContext, type RefObject, useContext, useEffect, useRef, useState } from 'react';
import type { ChartWarning } from '@/lib/chart/types';
import { isApiError } from './api/fetch-json';

export const SESSION_ENDED_MESSAGE = 'Your session has ended — relaunch the app from your EHR';
export const AUDIT_UNAVAILABLE_MESSAGE =
  'Patient data is unavailable because the audit log cannot record access right now';

/** Loading placeholder with the shape of the content, announced by name. */
export function WidgetSkeleton({ label, rows = 3 }: { readonly label: string; readonly rows?: number }) {
  return (
    <div role="progressbar" aria-label={label} aria-busy="true" className="flex flex-col gap-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton h-6 w-full" />
      ))}
    </div>
  );
}

/** Message for a failed chart request; never the raw server text for 5xx (it may be technical). */
export function errorMessage(error: unknown, what: string): string {
  if (!isApiError(error)) return `${what} could not be loaded.`;
  switch (error.status) {
    case 401:
      return SESSION_ENDED_MESSAGE;
    case 403:
      return `This app is not allowed to show ${what.toLowerCase()} for this patient.`;
    case 503:
      return error.code === 'audit-unavailable'
        ? AUDIT_UNAVAILABLE_MESSAGE
        : `${what} are unavailable right now.`;
    // lib/errors.ts: `ehr-error` (502) is an EHR that answered with an error or an answer it could not read;
    // `ehr-unavailable` (504) one that did not answer.
    case 502:
      return error.code === 'ehr-error'
        ? `The EHR answered with an error, so ${what.toLowerCase()} could not be loaded.`
        : `${what} could not be loaded.`;
    case 504:
      return `The EHR did not answer in time, so ${what.toLowerCase()} could not be loaded.`;
    case 0:
      return error.message;
    default:
      return `${what} could not be loaded.`;
  }
}

/** A failed read's error and its Retry, for `WidgetError`. */
export interface Retry {
  /** The read failed, or its retry is under way: show `WidgetError`. */
  readonly failed: boolean;
  readonly error: unknown;
  readonly retrying: boolean;
  readonly onRetry: () => void;
}

/** Where focus goes after a retry that succeeded: the heading of the panel around the widget (WidgetFrame's). */
export const PanelHeadingContext = createContext<RefObject<HTMLElement | null> | null>(null);

/**
 * The Retry of a failed query. A query without data goes back to loading while it tries again, and its skeleton
 * would take the place of the Retry button that has focus (focus would drop to the page's start): the error stays
 * on screen, its button saying it is retrying, until the retry ends. A retry that succeeds takes the button away
 * with the error: focus goes to `focusAfter` (programmatically focusable, `tabIndex={-1}`), by default the panel's
 * heading, so that a keyboard or screen-reader user goes on from the data that came.
 */
export function useRetry(
  query: UseQueryResult<unknown, unknown>,
  focusAfter?: RefObject<HTMLElement | null>,
): Retry {
  const panelHeading = useContext(PanelHeadingContext);
  const target = focusAfter ?? panelHeading;
  const [retried, setRetried] = useState<{ readonly error: unknown }>();
  const recovered = useRef(false);
  const onRetry = () => {
    if (retried !== undefined) return;
    setRetried({ error: query.error });
    void query
      .refetch()
      .then((result) => {
        recovered.current = result.isSuccess;
      })
      .finally(() => setRetried(undefined));
  };
  const succeeded = query.isSuccess;
  useEffect(() => {
    if (!recovered.current || retried !== undefined || !succeeded) return;
    recovered.current = false;
    // Only focus the Retry button took with it: a reader who went elsewhere meanwhile stays there.
    const active = document.activeElement;
    if (active === null || active === document.body) target?.current?.focus();
  }, [retried, succeeded, target]);
  if (query.isError) return { failed: true, error: query.error, retrying: retried !== undefined, onRetry };
  return { failed: retried !== undefined, error: retried?.error, retrying: retried !== undefined, onRetry };
}

interface ErrorProps {
  readonly error: unknown;
  /** Plural noun for the panel's data, e.g. "Vitals", "Lab results". */
  readonly what: string;
  readonly onRetry: () => void;
  readonly retrying?: boolean;
  /** Words for the error in another voice (the patient view's); the chart's own by default. */
  readonly describe?: (error: unknown, what: string) => string;
}

/**
 * Error with a way forward: Retry, or relaunch when the session is gone (a retry cannot succeed). While it retries
 * the button says so and ignores presses, but stays focusable: a focused button that became disabled would drop
 * focus to the page's start.
 */
export function WidgetError({ error, what, onRetry, retrying = false, describe = errorMessage }: ErrorProps) {
  const sessionEnded = isApiError(error) && error.status === 401;
  return (
    <div role="alert" className="flex flex-col items-start gap-2 text-sm">
      <p>{describe(error, what)}</p>
      {sessionEnded ? null : (
        <button
          type="button"
          className="btn"
          onClick={retrying ? undefined : onRetry}
          aria-disabled={retrying || undefined}
          data-print-hide
        >
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      )}
    </div>
  );
}

/**
 * An empty panel. It says nothing is recorded (`children`) only when the EHR's answer was whole. Beside a warning (a
 * search refused or failed, results withheld) it says only that nothing came (`received`), under the panel's pointer
 * to the EHR's notice: a clinician must not read missing data as none.
 */
export function WidgetEmpty({
  children,
  warnings = [],
  received,
}: {
  readonly children: string;
  readonly warnings?: readonly ChartWarning[];
  readonly received?: string;
}) {
  return <p className="text-sm text-muted">{warnings.length > 0 && received ? received : children}</p>;
}
