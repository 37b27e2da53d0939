'use client';

import { useTranslations } from 'next-intl';
import { withoutSemanticTag } from '@/lib/chart/coding';
import { plainConditionKey } from '@/lib/chart/plain-language';
import type { ProblemRow, ProblemsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { usePatientFormat } from './format';
import { emptyPartKey, leftOut } from './left-out';
import { PatientWidget } from './patient-widget';

/** Conditions a patient should see: current ones, not those found wrong or entered in error. */
export const shownToPatient = (p: ProblemRow) =>
  p.active && p.verificationStatus !== 'refuted' && p.verificationStatus !== 'entered-in-error';

/** "Active since Mar 5, 2024", or "On your record since …" when only the recording date is known. */
function Since({ problem }: { readonly problem: ProblemRow }) {
  const t = useTranslations('patient');
  const { date } = usePatientFormat();
  const since = (key: 'activeSince' | 'onRecordSince', value: string) => {
    const when = date(value);
    return t(key, { date: when.text, exact: when.exact });
  };
  if (problem.onset !== undefined) return <>{since('activeSince', problem.onset)}</>;
  if (problem.recordedDate !== undefined) return <>{since('onRecordSince', problem.recordedDate)}</>;
  return null;
}

/** The patient's current conditions by the names patients use, each with "active since …". */
export function PatientConditions({ launchId }: { readonly launchId: string }) {
  const t = useTranslations();
  return (
    <PatientWidget<ProblemsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.problems}
      title={t('patient.conditionsHeading')}
      loading={t('patient.loadingConditions')}
    >
      {(payload) => {
        const { data } = payload;
        const shown = data.problems.filter(shownToPatient);
        // "None on your record" only when the health system's answer was whole.
        if (shown.length === 0) return <p>{t(emptyPartKey('conditions', leftOut(payload)))}</p>;
        return (
          <ul className="flex flex-col divide-y divide-slate-200">
            {shown.map((p) => {
              const key = plainConditionKey(p.code);
              return (
                <li key={p.id} className="py-2">
                  <p className="font-medium">{key ? t(`conditions.${key}`) : withoutSemanticTag(p.label)}</p>
                  <p className="text-sm text-slate-700">
                    <Since problem={p} />
                  </p>
                  {p.verificationStatus === 'unconfirmed' ||
                  p.verificationStatus === 'provisional' ||
                  p.verificationStatus === 'differential' ? (
                    <p className="text-sm text-slate-700">{t('patient.beingChecked')}</p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        );
      }}
    </PatientWidget>
  );
}
