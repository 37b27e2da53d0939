'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import type { MergedCondition, MergedReading, MergedTest, MergedValue, Sourced } from '@/lib/chart/merge';
import { withoutSemanticTag } from '@/lib/chart/coding';
import { plainConditionKey } from '@/lib/chart/plain-language';
import { usePatientFormat } from './format';
import { emptyPartKey } from './left-out';
import { PatientSection } from './patient-section';
import { patientTestName } from './test-name';

/** Readings shown per test. */
const READINGS = 3;

function Sources({ sources }: { readonly sources: readonly string[] }) {
  const t = useTranslations('merged');
  return <span className="text-sm text-slate-700">{t('from', { sources: sources.join(', ') })}</span>;
}

function Value({ v, loinc }: { readonly v: MergedValue; readonly loinc?: string }) {
  const f = usePatientFormat();
  return <>{v.value === undefined ? (v.valueText ?? '—') : f.quantity(v.value, v.unit, { loinc })}</>;
}

/** One test or vital: its newest readings, each once with its sources; disagreeing values side by side. */
export function MergedCard<V extends Sourced>({
  title,
  readings,
  value,
}: {
  readonly title: string;
  readonly readings: readonly MergedReading<V>[];
  readonly value: (v: V) => ReactNode;
}) {
  const t = useTranslations('merged');
  const f = usePatientFormat();
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="text-base font-semibold">{title}</h3>
      <ul className="flex flex-col gap-2">
        {readings.slice(0, READINGS).map((r) => (
          <li key={r.time} data-testid="merged-reading">
            <p className="text-sm text-slate-700">{f.date(r.time).text}</p>
            {r.values.length > 1 ? <p className="text-sm font-medium">{t('differ')}</p> : null}
            <ul className={r.values.length > 1 ? 'flex flex-wrap gap-4' : ''}>
              {r.values.map((v, i) => (
                <li key={i} className="flex flex-col">
                  <span className="text-lg font-semibold">{value(v)}</span>
                  <Sources sources={v.sources} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Test results of every system: each reading once, with its sources; disagreeing values side by side. */
export function MergedTests({
  tests,
  withheld = false,
}: {
  readonly tests: readonly MergedTest[];
  /** A system left results out: "none sent", never "none". */
  readonly withheld?: boolean;
}) {
  const t = useTranslations();
  return (
    <PatientSection title={t('patient.resultsHeading')}>
      {tests.length === 0 ? (
        <p>{t(emptyPartKey('results', withheld))}</p>
      ) : (
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {tests.map((test) => {
            return (
              <MergedCard
                key={test.key}
                title={patientTestName(t, test.loinc, test.label)}
                readings={test.readings}
                value={(v) => <Value v={v} {...(test.loinc ? { loinc: test.loinc } : {})} />}
              />
            );
          })}
        </ul>
      )}
    </PatientSection>
  );
}

/** Current conditions of every system, once each, with their sources. */
export function MergedConditions({
  conditions,
  withheld = false,
}: {
  readonly conditions: readonly MergedCondition[];
  /** A system left conditions out: "none sent", never "none on your record". */
  readonly withheld?: boolean;
}) {
  const t = useTranslations();
  const f = usePatientFormat();
  return (
    <PatientSection title={t('patient.conditionsHeading')}>
      {conditions.length === 0 ? (
        <p>{t(emptyPartKey('conditions', withheld))}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200">
          {conditions.map(({ key, row, sources }) => {
            const plain = plainConditionKey(row.code);
            const since = row.onset === undefined ? undefined : f.date(row.onset);
            return (
              <li key={key} className="flex flex-col py-2">
                <span className="font-medium">
                  {plain ? t(`conditions.${plain}`) : withoutSemanticTag(row.label)}
                </span>
                {since ? (
                  <span className="text-sm text-slate-700">
                    {t('patient.activeSince', { date: since.text, exact: since.exact })}
                  </span>
                ) : null}
                <Sources sources={sources} />
              </li>
            );
          })}
        </ul>
      )}
    </PatientSection>
  );
}
