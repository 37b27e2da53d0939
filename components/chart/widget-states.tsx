'use client';

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
    case 502:
    case 504:
      return `The EHR did not answer in time, so ${what.toLowerCase()} could not be loaded.`;
    case 0:
      return error.message;
    default:
      return `${what} could not be loaded.`;
  }
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

/** Error with a way forward: Retry, or relaunch when the session is gone (a retry cannot succeed). */
export function WidgetError({ error, what, onRetry, retrying = false, describe = errorMessage }: ErrorProps) {
  const sessionEnded = isApiError(error) && error.status === 401;
  return (
    <div role="alert" className="flex flex-col items-start gap-2 text-sm">
      <p>{describe(error, what)}</p>
      {sessionEnded ? null : (
        <button type="button" className="btn" onClick={onRetry} disabled={retrying} data-print-hide>
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
