'use client';

import { spokenName } from '@/lib/chart/plain-language';
import type { PatientSummary } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { useReportView } from '../chart/api/report-view';
import { useWidgetData } from '../chart/api/widget-query';
import { PatientConditions } from './patient-conditions';
import { PatientLabs, PatientVitals } from './patient-results';
import { PATIENT_TEXT } from './strings';

/** Any payload that left something out, in one calm line instead of the EHR's own warnings. */
function useSomethingWithheld(launchId: string): boolean {
  const queries = [
    useWidgetData<unknown>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.vitals, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.labs, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.problems, DEFAULT_RANGE),
  ];
  return queries.some((q) => (q.data?.warnings.length ?? 0) > 0);
}

function PatientName({ launchId }: { readonly launchId: string }) {
  const query = useWidgetData<PatientSummary>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE);
  useReportView(launchId, WIDGET_SPECS.banner.id, query.isSuccess);
  if (!query.isSuccess) return <span className="sr-only">{PATIENT_TEXT.loadingName}</span>;
  return <span className="block text-lg font-normal text-slate-700">{spokenName(query.data.data.name)}</span>;
}

/**
 * The patient's own view of their record: the same audited routes as the
 * clinician's chart, in plain words. No record numbers, no FHIR references,
 * no EHR warnings; renders the page's `main` landmark.
 */
export function PatientView({ launchId }: { readonly launchId: string }) {
  const withheld = useSomethingWithheld(launchId);
  return (
    <main id="chart-main" className="mx-auto flex max-w-5xl flex-col gap-4 p-3 sm:p-4">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">
          {PATIENT_TEXT.title}
          <PatientName launchId={launchId} />
        </h1>
        <p className="text-slate-700">{PATIENT_TEXT.intro}</p>
        <p className="text-slate-700">{PATIENT_TEXT.careTeam}</p>
        {withheld ? (
          <p className="text-slate-700" data-testid="not-shown-note">
            {PATIENT_TEXT.notShown}
          </p>
        ) : null}
      </header>
      <PatientLabs launchId={launchId} />
      <PatientVitals launchId={launchId} />
      <PatientConditions launchId={launchId} />
    </main>
  );
}
