'use client';

import { useTranslations } from 'next-intl';
import type { PatientSummary } from '@/lib/chart/types';
import { usePatientFormat } from './format';

/** "Died on Sep 26, 1990." under the name of a deceased patient's record, in the reader's language. */
export function DiedNote({ patient }: { readonly patient: PatientSummary }) {
  const t = useTranslations('patient');
  const { date } = usePatientFormat();
  if (!patient.deceased) return null;
  const when = patient.deceasedDateTime === undefined ? undefined : date(patient.deceasedDateTime);
  return (
    <p className="font-medium text-slate-800">
      {t('died', { known: when ? 'yes' : 'no', date: when?.text ?? '', exact: when?.exact ?? 'no' })}
    </p>
  );
}
