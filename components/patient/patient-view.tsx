'use client';

import { useTranslations } from 'next-intl';
import { spokenName } from '@/lib/chart/plain-language';
import type { PatientSummary } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { useReportView } from '../chart/api/report-view';
import { useWidgetData } from '../chart/api/widget-query';
import { DiedNote } from './died-note';
import { leftOut } from './left-out';
import { PatientConditions } from './patient-conditions';
import { PatientMain } from './patient-main';
import { PatientLabs, PatientVitals } from './patient-results';

/** Any payload that left something out, in one calm line instead of the EHR's own warnings. */
function useSomethingWithheld(launchId: string): boolean {
  const queries = [
    useWidgetData<unknown>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.vitals, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.labs, DEFAULT_RANGE),
    useWidgetData<unknown>(launchId, WIDGET_SPECS.problems, DEFAULT_RANGE),
  ];
  return queries.some((q) => leftOut(q.data));
}

function PatientName({ launchId }: { readonly launchId: string }) {
  const t = useTranslations('patient');
  const query = useWidgetData<PatientSummary>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE);
  useReportView(launchId, WIDGET_SPECS.banner.id, query.isSuccess);
  if (!query.isSuccess) return <span className="sr-only">{t('loadingName')}</span>;
  return <span className="block text-lg font-normal text-slate-700">{spokenName(query.data.data.name)}</span>;
}

/** That the patient died, and when, once the record's banner is read. */
function PatientDied({ launchId }: { readonly launchId: string }) {
  const query = useWidgetData<PatientSummary>(launchId, WIDGET_SPECS.banner, DEFAULT_RANGE);
  return query.isSuccess ? <DiedNote patient={query.data.data} /> : null;
}

/**
 * The patient's own view of their record: the same audited routes as the
 * clinician's chart, in plain words and the patient's language. No record
 * numbers, no FHIR references, no EHR warnings; renders the page's `main` landmark.
 */
export function PatientView({ launchId }: { readonly launchId: string }) {
  const t = useTranslations('patient');
  const tm = useTranslations('merged');
  const withheld = useSomethingWithheld(launchId);
  return (
    <PatientMain
      title={t('title')}
      name={<PatientName launchId={launchId} />}
      intro={
        <>
          <PatientDied launchId={launchId} />
          <p className="text-slate-700">{t('intro')}</p>
          <p className="text-slate-700">{t('careTeam')}</p>
          <a className="text-blue-800 underline" href="/record">
            {tm('open')}
          </a>
          {withheld ? (
            <p className="text-slate-700" data-testid="not-shown-note">
              {t('notShown')}
            </p>
          ) : null}
        </>
      }
    >
      <PatientLabs launchId={launchId} />
      <PatientVitals launchId={launchId} />
      <PatientConditions launchId={launchId} />
    </PatientMain>
  );
}
