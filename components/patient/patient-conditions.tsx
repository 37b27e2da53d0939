'use client';

import { plainCondition } from '@/lib/chart/plain-language';
import type { ProblemRow, ProblemsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { PatientWidget } from './patient-widget';
import { formatDate } from '../chart/format';
import { activeSince, onRecordSince, PATIENT_TEXT } from './strings';

/** Conditions a patient should see: current ones, not those found wrong or entered in error. */
const SHOWN = (p: ProblemRow) =>
  p.active && p.verificationStatus !== 'refuted' && p.verificationStatus !== 'entered-in-error';

function Since({ problem }: { readonly problem: ProblemRow }) {
  if (problem.onset !== undefined) return <>{activeSince(formatDate(problem.onset))}</>;
  if (problem.recordedDate !== undefined) return <>{onRecordSince(formatDate(problem.recordedDate))}</>;
  return null;
}

/** The patient's current conditions by the names patients use, each with "active since …". */
export function PatientConditions({ launchId }: { readonly launchId: string }) {
  return (
    <PatientWidget<ProblemsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.problems}
      title={PATIENT_TEXT.conditionsHeading}
      loading={PATIENT_TEXT.loadingConditions}
      what="Health conditions"
    >
      {({ data }) => {
        const shown = data.problems.filter(SHOWN);
        if (shown.length === 0) return <p>{PATIENT_TEXT.noConditions}</p>;
        return (
          <ul className="flex flex-col divide-y divide-slate-200">
            {shown.map((p) => (
              <li key={p.id} className="py-2">
                <p className="font-medium">{plainCondition(p.code, p.label)}</p>
                <p className="text-sm text-slate-700">
                  <Since problem={p} />
                </p>
                {p.verificationStatus === 'provisional' || p.verificationStatus === 'differential' ? (
                  <p className="text-sm text-slate-700">{PATIENT_TEXT.beingChecked}</p>
                ) : null}
              </li>
            ))}
          </ul>
        );
      }}
    </PatientWidget>
  );
}
