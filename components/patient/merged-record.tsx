'use client';

import { useQueries } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { mergeConditions, mergeLabs, samePerson } from '@/lib/chart/merge';
import { mergeUnreadableOnly, mergeVitals } from '@/lib/chart/merge-vitals';
import { spokenName } from '@/lib/chart/plain-language';
import type { LabsModel, PatientSummary, ProblemsModel, VitalsModel } from '@/lib/chart/types';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import { chartUrl } from '../chart/api/chart-keys';
import { useReportView } from '../chart/api/report-view';
import { widgetQueryOptions } from '../chart/api/widget-query';
import { WidgetSkeleton } from '../chart/widget-states';
import { reloadPage } from '../session/navigate';
import { DiedNote } from './died-note';
import { leftOut } from './left-out';
import { MergedConditions, MergedTests } from './merged-lists';
import { MergedVitals } from './merged-vitals';
import { shownToPatient } from './patient-conditions';
import { PatientMain } from './patient-main';

export interface ConnectedSystem {
  readonly launchId: string;
  readonly name: string;
}

const PARTS = [WIDGET_SPECS.banner, WIDGET_SPECS.labs, WIDGET_SPECS.vitals, WIDGET_SPECS.problems] as const;

/** Tells each system's launch which of its parts the patient saw (audited per launch). */
function ReportViews({ launchId, shown }: { readonly launchId: string; readonly shown: boolean }) {
  useReportView(launchId, WIDGET_SPECS.banner.id, shown);
  useReportView(launchId, WIDGET_SPECS.labs.id, shown);
  useReportView(launchId, WIDGET_SPECS.vitals.id, shown);
  useReportView(launchId, WIDGET_SPECS.problems.id, shown);
  return null;
}

/** Signs out of one system's launch; the page then shows the others. */
function RemoveButton({ system }: { readonly system: ConnectedSystem }) {
  const t = useTranslations('merged');
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    await fetch(chartUrl(system.launchId, 'logout'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'user', scope: 'launch' }),
    }).catch(() => undefined);
    // Anew, so nothing that system sent stays in the page (see leavePage).
    reloadPage();
  };
  return (
    <button type="button" className="btn" disabled={busy} onClick={() => void remove()}>
      {t('remove', { name: system.name })}
    </button>
  );
}

/**
 * The patient's record from every health system they signed in to: test
 * results, vital signs and conditions merged, each value with its sources, a reading two
 * systems hold shown once, disagreeing values side by side. A system whose
 * patient is not the same person (name and birth date) is left out, and said so.
 */
export function MergedRecord({ systems }: { readonly systems: readonly ConnectedSystem[] }) {
  const t = useTranslations('merged');
  const tp = useTranslations('patient');
  const results = useQueries({
    queries: systems.flatMap((s) =>
      PARTS.map((spec) => widgetQueryOptions<unknown>(s.launchId, spec, DEFAULT_RANGE)),
    ),
  });
  const per = systems.map((system, i) => {
    const [banner, labs, vitals, problems] = results.slice(i * PARTS.length, (i + 1) * PARTS.length);
    return {
      system,
      patient: banner?.data?.data as PatientSummary | undefined,
      labs: labs?.data?.data as LabsModel | undefined,
      vitals: vitals?.data?.data as VitalsModel | undefined,
      problems: problems?.data?.data as ProblemsModel | undefined,
      failed: [banner, labs, vitals, problems].some((q) => q?.isError),
      withheld: {
        banner: leftOut(banner?.data),
        labs: leftOut(labs?.data),
        vitals: leftOut(vitals?.data),
        problems: leftOut(problems?.data),
      },
    };
  });
  const loading = results.some((q) => q.isPending);
  const first = per.find((p) => p.patient !== undefined)?.patient;
  const same = per.filter(
    (p) => p.patient !== undefined && first !== undefined && samePerson(first, p.patient),
  );
  const other = per.filter(
    (p) => p.patient !== undefined && first !== undefined && !samePerson(first, p.patient),
  );
  const anyWithheld = (key: keyof (typeof per)[number]['withheld']) => same.some((p) => p.withheld[key]);
  // As the single view: any part of any system left out, its banner included.
  const somethingWithheld = (['banner', 'labs', 'vitals', 'problems'] as const).some(anyWithheld);
  const part = <M,>(pick: (p: (typeof per)[number]) => M | undefined) =>
    same.flatMap((p) => (pick(p) === undefined ? [] : [{ source: p.system.name, data: pick(p)! }]));
  return (
    <PatientMain
      title={t('title')}
      name={
        first ? (
          <span className="block text-lg font-normal text-slate-700">{spokenName(first.name)}</span>
        ) : null
      }
      intro={
        <>
          {first ? <DiedNote patient={first} /> : null}
          <p className="text-slate-700">{t('count', { count: systems.length })}</p>
          <ul className="flex flex-col gap-2">
            {systems.map((s) => (
              <li key={s.launchId} className="flex flex-wrap items-center gap-3">
                <span className="font-medium">{s.name}</span>
                <RemoveButton system={s} />
              </li>
            ))}
          </ul>
          <a className="text-blue-800 underline" href="/">
            {t('add')}
          </a>
          {per
            .filter((p) => p.failed)
            .map((p) => (
              <p key={p.system.launchId} role="alert">
                {t('loadFailed', { name: p.system.name })}
              </p>
            ))}
          {somethingWithheld ? (
            <p className="text-slate-700" data-testid="not-shown-note">
              {tp('notShown')}
            </p>
          ) : null}
          {other.map((p) => (
            <p key={p.system.launchId} role="alert">
              {t('notSame', { name: p.system.name })}
            </p>
          ))}
        </>
      }
    >
      {systems.length === 0 ? <p>{t('none')}</p> : null}
      {per.map((p) => (
        <ReportViews key={p.system.launchId} launchId={p.system.launchId} shown={same.includes(p)} />
      ))}
      {loading ? (
        <WidgetSkeleton label={t('loading')} />
      ) : systems.length > 0 ? (
        <>
          <MergedTests tests={mergeLabs(part((p) => p.labs))} withheld={anyWithheld('labs')} />
          <MergedVitals
            vitals={mergeVitals(part((p) => p.vitals))}
            unreadableOnly={mergeUnreadableOnly(part((p) => p.vitals))}
            withheld={anyWithheld('vitals')}
          />
          <MergedConditions
            conditions={mergeConditions(
              part((p) => p.problems),
              shownToPatient,
            )}
            withheld={anyWithheld('problems')}
          />
        </>
      ) : null}
    </PatientMain>
  );
}
