'use client';

import { useTranslations } from 'next-intl';
import { plainTestKey, type UsualRange, trendDirection } from '@/lib/chart/plain-language';
import { usePatientFormat } from './format';
import { patientTestName } from './test-name';
import { PreliminaryNote } from './preliminary-note';
import { RangeBar } from './range-bar';
import { UnreadableNote } from './unreadable-note';

export interface ResultReading {
  readonly time: string;
  readonly value?: number;
  /** The value as shown, with its unit ("128 mg/dL", "120/80 mmHg", "Positive"). */
  readonly shown: string;
  /** A value that cannot be (lib/chart/lab-possible.ts): said to be a likely mistake, never placed on the range. */
  readonly notPossible?: boolean;
  /** Said under the newest reading: the oxygen a saturation was taken on. */
  readonly note?: string;
  /** Released before it was checked (Observation.status preliminary): said so. */
  readonly preliminary?: boolean;
}

interface Props {
  readonly loinc?: string;
  /** The EHR's name, shown when the plain-language table does not know the test. */
  readonly ehrName: string;
  /** Newest first. */
  readonly readings: readonly ResultReading[];
  readonly range?: UsualRange;
  /** The usual range as written ("70–99 mg/dL"). */
  readonly rangeText?: string;
  /** Say so when there is no usual range (lab results; a weight has none to miss). */
  readonly sayNoRange?: boolean;
  /** Where the newest reading sits, in words, when no range bar can show it (a blood pressure's pair). */
  readonly status?: string;
  /** Ask the care team what an unknown test measures (false where the list above already asks it of all). */
  readonly askUnknown?: boolean;
  /** Readings left out because their unit could not be read (VitalSeries.unreadable): the newest may be missing. */
  readonly unreadable?: number;
}

/** How the newest reading compares with the one before, in words: "Higher than on Mar 5, 2024 (120 mg/dL)". */
function Trend({ readings }: { readonly readings: readonly ResultReading[] }) {
  const t = useTranslations('trend');
  const { date } = usePatientFormat();
  const [newest, older] = readings;
  if (newest?.value === undefined || older?.value === undefined) return null;
  const when = date(older.time);
  return (
    <p className="text-sm text-slate-700">
      {t(trendDirection(older.value, newest.value), {
        date: when.text,
        exact: when.exact,
        value: older.shown,
      })}
    </p>
  );
}

/** One test or measurement in plain words: name, value, where it sits, what it measures. */
export function ResultCard({
  loinc,
  ehrName,
  readings,
  range,
  rangeText,
  sayNoRange,
  status,
  askUnknown = true,
  unreadable,
}: Props) {
  const t = useTranslations();
  const { date } = usePatientFormat();
  const key = plainTestKey(loinc);
  const newest = readings[0];
  if (newest === undefined) return null;
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="text-base font-semibold">{patientTestName(t, loinc, ehrName)}</h3>
      <p className="text-2xl font-semibold">{newest.shown}</p>
      <PreliminaryNote preliminary={newest.preliminary} />
      <UnreadableNote count={unreadable} />
      <p className="text-sm text-slate-700">{t('patient.latestOn', { date: date(newest.time).text })}</p>
      {newest.note === undefined ? null : (
        <p className="text-sm font-medium text-slate-800" data-oxygen>
          {newest.note}
        </p>
      )}
      {newest.notPossible ? <p className="text-sm font-semibold">{t('patient.notPossible')}</p> : null}
      {newest.value !== undefined && (range !== undefined || sayNoRange) ? (
        <RangeBar value={newest.value} range={range} />
      ) : null}
      {status === undefined ? null : <p className="text-sm font-semibold">{status}</p>}
      {rangeText === undefined ? null : (
        <p className="text-sm text-slate-700">{t('patient.usualRange', { range: rangeText })}</p>
      )}
      <Trend readings={readings} />
      {key ? (
        <p className="text-sm text-slate-800">{t(`tests.${key}.explains`)}</p>
      ) : askUnknown ? (
        <p className="text-sm text-slate-800">{t('tests.unknown')}</p>
      ) : null}
    </li>
  );
}
