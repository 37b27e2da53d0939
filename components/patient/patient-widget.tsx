'use client';

import { type ReactNode, useRef } from 'react';
import { useTranslations } from 'next-intl';
import type { ChartPayload } from '@/lib/chart/types';
import { DEFAULT_RANGE, type WidgetSpec } from '@/lib/chart/widgets';
import { useReportView } from '../chart/api/report-view';
import { useWidgetData } from '../chart/api/widget-query';
import { useRetry, WidgetSkeleton } from '../chart/widget-states';
import { isSignedOut } from './patient-error';
import { PatientSection } from './patient-section';

interface Props<M> {
  readonly launchId: string;
  readonly spec: WidgetSpec;
  readonly title: string;
  /** Name of the loading placeholder. */
  readonly loading: string;
  readonly children: (payload: ChartPayload<M>) => ReactNode;
}

/**
 * One part of the patient view: reads the same audited route as the clinician
 * chart's widget, reports the view, and speaks in the patient's words (and
 * language) while loading and when it fails: no EHR, audit or status talk,
 * only what to do next.
 */
export function PatientWidget<M>({ launchId, spec, title, loading, children }: Props<M>) {
  const t = useTranslations('patient');
  const query = useWidgetData<M>(launchId, spec, DEFAULT_RANGE);
  useReportView(launchId, spec.id, query.isSuccess);
  // While it tries again the failure stays, its button saying so: focus stays on it (a disabled button, or the
  // skeleton in its place, would drop focus to the page's start). When it succeeds, the section's heading takes focus.
  const heading = useRef<HTMLHeadingElement>(null);
  const retry = useRetry(query, heading);
  let body: ReactNode;
  if (query.isPending && !retry.failed) body = <WidgetSkeleton label={loading} />;
  else if (query.isPending || query.isError)
    body = (
      <div role="alert" className="flex flex-col items-start gap-2 text-sm">
        <p>{isSignedOut(retry.error) ? t('signedOutError') : t('loadError')}</p>
        {isSignedOut(retry.error) ? null : (
          <button
            type="button"
            className="btn"
            onClick={retry.retrying ? undefined : retry.onRetry}
            aria-disabled={retry.retrying || undefined}
          >
            {retry.retrying ? t('tryingAgain') : t('tryAgain')}
          </button>
        )}
      </div>
    );
  else body = children(query.data);
  return (
    <PatientSection title={title} headingRef={heading}>
      {body}
    </PatientSection>
  );
}
