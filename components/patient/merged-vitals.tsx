'use client';

import { useTranslations } from 'next-intl';
import type { MergedVital, MergedVitalValue } from '@/lib/chart/merge-vitals';
import { plainTestKey } from '@/lib/chart/plain-language';
import { usePatientFormat } from './format';
import { emptyPartKey } from './left-out';
import { MergedCard } from './merged-lists';
import { useOxygenWords } from './oxygen-words';
import { PatientSection } from './patient-section';

function VitalValue({ v, vital }: { readonly v: MergedVitalValue; readonly vital: MergedVital }) {
  const f = usePatientFormat();
  const oxygen = useOxygenWords()(v.oxygen);
  if (vital.kind === 'blood-pressure') return <>{f.bloodPressure(v.systolic, v.diastolic)}</>;
  return (
    <>
      {v.value === undefined
        ? '—'
        : f.quantity(v.value, vital.unit, { loinc: vital.loinc, original: v.original })}
      {oxygen === undefined ? null : (
        <span className="block text-sm font-medium text-slate-800" data-oxygen>
          {oxygen}
        </span>
      )}
    </>
  );
}

/** Vital signs of every system in plain words: each reading once, with its sources; disagreeing values side by side. */
export function MergedVitals({
  vitals,
  withheld = false,
}: {
  readonly vitals: readonly MergedVital[];
  /** A system left vital signs out: "none sent", never "none". */
  readonly withheld?: boolean;
}) {
  const t = useTranslations();
  return (
    <PatientSection title={t('patient.vitalsHeading')}>
      {vitals.length === 0 ? (
        <p>{t(emptyPartKey('vitals', withheld))}</p>
      ) : (
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {vitals.map((vital) => {
            const key = plainTestKey(vital.loinc);
            return (
              <MergedCard
                key={vital.kind}
                title={key ? t(`tests.${key}.name`) : vital.label}
                readings={vital.readings}
                value={(v) => (
                  <span className="text-lg font-semibold">
                    <VitalValue v={v} vital={vital} />
                  </span>
                )}
              />
            );
          })}
        </ul>
      )}
    </PatientSection>
  );
}
