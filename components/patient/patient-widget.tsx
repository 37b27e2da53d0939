'use client';

import type { ReactNode } from 'react';
import type { ChartPayload } from '@/lib/chart/types';
import { DEFAULT_RANGE, type WidgetSpec } from '@/lib/chart/widgets';
import { useReportView } from '../chart/api/report-view';
import { useWidgetData } from '../chart/api/widget-query';
import { WidgetFrame } from '../chart/widget-frame';
import { WidgetQueryStates } from '../chart/widget-query-states';
import { patientErrorMessage } from './patient-error';

interface Props<M> {
  readonly launchId: string;
  readonly spec: WidgetSpec;
  readonly title: string;
  /** Name of the loading placeholder. */
  readonly loading: string;
  /** Plural noun for the error message. */
  readonly what: string;
  readonly children: (payload: ChartPayload<M>) => ReactNode;
}

/**
 * One part of the patient view: reads the same audited route as the clinician
 * chart's widget, reports the view, and speaks in the patient's words when it fails.
 */
export function PatientWidget<M>({ launchId, spec, title, loading, what, children }: Props<M>) {
  const query = useWidgetData<M>(launchId, spec, DEFAULT_RANGE);
  useReportView(launchId, spec.id, query.isSuccess);
  return (
    <WidgetFrame title={title}>
      <WidgetQueryStates query={query} describeError={patientErrorMessage} loading={loading} what={what}>
        {children}
      </WidgetQueryStates>
    </WidgetFrame>
  );
}
