'use client';

import { useTranslations } from 'next-intl';
import type { MergedVital, MergedVitalValue } from '@/lib/chart/merge-vitals';
import type { UnreadableVital } from '@/lib/chart/types';
import { plainTestKey } from '@/lib/chart/plain-language';
import { impossibleReading } from '@/lib/chart/possible';
import { bloodPressureText } from '@/lib/chart/vitals';
import { bpSideReaches } from '@/lib/chart/vital-bands';
import { usePatientFormat } from './format';
import { emptyPartKey } from './left-out';
import { MergedCard } from './merged-lists';
import { useOxygenWords } from './oxygen-words';
import { PatientSection } from './patient-section';
import { PreliminaryNote } from './preliminary-note';
import { RangeBar } from './range-bar';
import { UnreadableNote, UnreadableVitalsNote } from './unreadable-note';

function VitalValue({ v, vital }: { readonly v: MergedVitalValue; readonly vital: MergedVital }) {
  const f = usePatientFormat();
  const oxygen = useOxygenWords()(v.oxygen);
  // "> 250/90 mmHg": a side known only as a bound is shown as one.
  if (vital.kind === 'blood-pressure') return <>{bloodPressureText(v, (n) => f.number(n, 'mm[Hg]'))}</>;
  return (
    <>
      {v.value === undefined
        ? '—'
        : `${v.comparator ? `${v.comparator} ` : ''}${f.quantity(v.value, vital.unit, { loinc: vital.loinc, original: v.original })}`}
      {oxygen === undefined ? null : (
        <span className="block text-sm font-medium text-slate-800" data-oxygen>
          {oxygen}
        </span>
      )}
    </>
  );
}

/**
 * The newest reading against the usual band for the patient's age, as the single-system view shows it: a bar for a
 * single value, the limits and "above" for a blood pressure (the guideline sets no lower limit). A reading that
 * cannot be is said to be a likely mistake and placed nowhere.
 */
function NewestPlaced({ v, vital }: { readonly v: MergedVitalValue; readonly vital: MergedVital }) {
  const t = useTranslations();
  const f = usePatientFormat();
  const parts = vital.kind === 'blood-pressure' ? [v.systolic, v.diastolic] : [v.value];
  const bounds =
    vital.kind === 'blood-pressure' ? [v.systolicComparator, v.diastolicComparator] : [v.comparator];
  if (impossibleReading(vital.kind, parts, String, bounds) !== undefined)
    return <p className="text-sm font-semibold">{t('patient.notPossible')}</p>;
  const band = vital.band;
  if (band === undefined) return null;
  // A reading known only as a bound ("< 70 %") is not placed on the band as if it were the value.
  if (!('systolic' in band))
    return v.value === undefined || v.comparator !== undefined || vital.kind === 'blood-pressure' ? null : (
      <RangeBar value={v.value} range={band} />
    );
  const { systolic, diastolic } = band;
  if (systolic.high === undefined || diastolic.high === undefined) return null;
  // A side known only as a bound is above only where every value it may be is ("> 250", never "< 40").
  const above =
    bpSideReaches(v.systolic, v.systolicComparator, systolic.high) ||
    bpSideReaches(v.diastolic, v.diastolicComparator, diastolic.high);
  return (
    <>
      {above ? (
        <p className="text-sm font-medium text-slate-800" data-range-position="above">
          {t('range.above')}
        </p>
      ) : null}
      <p className="text-sm text-slate-700">
        {t('patient.usualRange', {
          range: t('patient.rangeBelow', { limit: f.bloodPressure(systolic.high, diastolic.high) }),
        })}
      </p>
    </>
  );
}

/** Vital signs of every system in plain words: each reading once, with its sources; disagreeing values side by side. */
export function MergedVitals({
  vitals,
  unreadableOnly = [],
  withheld = false,
}: {
  readonly vitals: readonly MergedVital[];
  /** Vitals sent that no system could read (mergeUnreadableOnly): said under the others. */
  readonly unreadableOnly?: readonly UnreadableVital[];
  /** A system left vital signs out: "none sent", never "none". */
  readonly withheld?: boolean;
}) {
  const t = useTranslations();
  return (
    <PatientSection title={t('patient.vitalsHeading')}>
      {vitals.length === 0 && unreadableOnly.length === 0 ? (
        <p>{t(emptyPartKey('vitals', withheld))}</p>
      ) : (
        <div className="flex flex-col gap-3">
          {vitals.length === 0 ? null : (
            <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
              {vitals.map((vital) => {
                const key = plainTestKey(vital.loinc);
                return (
                  <MergedCard
                    key={vital.kind}
                    title={key ? t(`tests.${key}.name`) : vital.label}
                    readings={vital.readings}
                    value={(v, newest) => (
                      <>
                        <span className="text-lg font-semibold">
                          <VitalValue v={v} vital={vital} />
                        </span>
                        <PreliminaryNote preliminary={v.preliminary} />
                        {newest ? <NewestPlaced v={v} vital={vital} /> : null}
                      </>
                    )}
                    note={<UnreadableNote count={vital.unreadable} />}
                  />
                );
              })}
            </ul>
          )}
          <UnreadableVitalsNote vitals={unreadableOnly} />
        </div>
      )}
    </PatientSection>
  );
}
