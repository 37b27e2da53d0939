'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import {
  distinctRanges,
  placements,
  type MergedCondition,
  type MergedReading,
  type MergedTest,
  type MergedValue,
  type Sourced,
} from '@/lib/chart/merge';
import { withoutSemanticTag } from '@/lib/chart/coding';
import { plainConditionKey } from '@/lib/chart/plain-language';
import { usePatientFormat } from './format';
import { emptyPartKey } from './left-out';
import { PatientSection } from './patient-section';
import { RangeBar } from './range-bar';
import { useRangeText } from './range-text';
import { PreliminaryNote } from './preliminary-note';
import { patientTestName } from './test-name';

/** Readings shown per test. */
const READINGS = 3;

function Sources({ sources }: { readonly sources: readonly string[] }) {
  const t = useTranslations('merged');
  return <span className="text-sm text-slate-700">{t('from', { sources: sources.join(', ') })}</span>;
}

function Value({ v, loinc }: { readonly v: MergedValue; readonly loinc?: string }) {
  const f = usePatientFormat();
  return (
    <>
      {v.value === undefined
        ? (v.valueText ?? '—')
        : f.quantity(v.value, v.unit, { loinc, atLeast: v.decimals })}
    </>
  );
}

/**
 * Where a value sits against the usual range of each system that holds it. When the systems agree, the words once
 * (with the bar for the newest reading, where they sent the same range); when they do not, each position with its
 * systems. The newest reading also says each usual range, with its systems where they differ.
 */
function Placed({
  v,
  loinc,
  newest,
}: {
  readonly v: MergedValue;
  readonly loinc?: string;
  readonly newest: boolean;
}) {
  const t = useTranslations();
  const rangeText = useRangeText();
  if (v.notPossible) return <p className="text-sm font-semibold">{t('patient.notPossible')}</p>;
  const placed = placements(v);
  // Only ranges with numbers: one sent as words alone places nothing.
  const ranges = distinctRanges(v).flatMap((d) => {
    const text = rangeText(d.range, v.unit, loinc);
    return text === undefined ? [] : [{ ...d, text }];
  });
  const only = placed.length === 1 ? placed[0] : undefined;
  const barRange = newest && only !== undefined && ranges.length === 1 ? ranges[0]?.range : undefined;
  return (
    <>
      {barRange !== undefined && v.value !== undefined ? (
        <RangeBar value={v.value} range={barRange} />
      ) : only !== undefined ? (
        <p className="text-sm font-medium text-slate-800" data-range-position={only.position}>
          {t(`range.${only.position}`)}
        </p>
      ) : (
        placed.map((p) => (
          <p key={p.position} className="text-sm font-medium text-slate-800" data-range-position={p.position}>
            {t('merged.placeAt', { place: t(`range.${p.position}`), sources: p.sources.join(', ') })}
          </p>
        ))
      )}
      {newest
        ? ranges.map((d) =>
            ranges.length === 1 ? (
              <p key={d.text} className="text-sm text-slate-700">
                {t('patient.usualRange', { range: d.text })}
              </p>
            ) : (
              <p key={d.text} className="text-sm text-slate-700">
                {t('merged.usualRangeAt', { range: d.text, sources: d.sources.join(', ') })}
              </p>
            ),
          )
        : null}
    </>
  );
}

/** One test or vital: its newest readings, each once with its sources; disagreeing values side by side. */
export function MergedCard<V extends Sourced>({
  title,
  readings,
  value,
  note,
}: {
  readonly title: string;
  readonly readings: readonly MergedReading<V>[];
  /** A value as shown; `newest` for the newest reading's, which may say more. */
  readonly value: (v: V, newest: boolean) => ReactNode;
  /** Said under the newest reading, of the card as a whole (readings that could not be shown). */
  readonly note?: ReactNode;
}) {
  const t = useTranslations('merged');
  const f = usePatientFormat();
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="text-base font-semibold">{title}</h3>
      <ul className="flex flex-col gap-2">
        {readings.slice(0, READINGS).map((r, at) => (
          <li key={r.time} data-testid="merged-reading">
            <p className="text-sm text-slate-700">{f.date(r.time).text}</p>
            {r.values.length > 1 ? <p className="text-sm font-medium">{t('differ')}</p> : null}
            <ul className={r.values.length > 1 ? 'flex flex-wrap gap-4' : ''}>
              {r.values.map((v, i) => (
                <li key={i} className="flex flex-col">
                  {value(v, at === 0)}
                  <Sources sources={v.sources} />
                </li>
              ))}
            </ul>
            {at === 0 ? note : null}
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
                value={(v, newest) => {
                  const loinc = test.loinc ? { loinc: test.loinc } : {};
                  return (
                    <>
                      <span className="text-lg font-semibold">
                        <Value v={v} {...loinc} />
                      </span>
                      <PreliminaryNote preliminary={v.preliminary} />
                      <Placed v={v} newest={newest} {...loinc} />
                    </>
                  );
                }}
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
