'use client';

import { useTranslations } from 'next-intl';
import type {
  AnyVitalSeries,
  BloodPressureSeries,
  Comparator,
  LabResult,
  LabsModel,
  VitalsModel,
} from '@/lib/chart/types';
import { plainTestKey } from '@/lib/chart/plain-language';
import { impossibleReading } from '@/lib/chart/possible';
import { bloodPressureText } from '@/lib/chart/vitals';
import { bpSideReaches } from '@/lib/chart/vital-bands';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { usePatientFormat } from './format';
import { emptyPartKey, leftOut } from './left-out';
import { useOxygenWords, type OxygenWords } from './oxygen-words';
import { PatientWidget } from './patient-widget';
import { placeable } from './range-bar';
import { useRangeText } from './range-text';
import { ResultCard, type ResultReading } from './result-card';
import { UnreadableVitalsNote } from './unreadable-note';

/** Readings shown per test: the newest and the one before, for the trend. */
const READINGS = 2;

type Format = ReturnType<typeof usePatientFormat>;

function labReading(r: LabResult, loinc: string | undefined, f: Format): ResultReading {
  const shown =
    r.value !== undefined
      ? f.quantity(r.value, r.unit, { loinc, original: r.original, atLeast: r.decimals })
      : (r.valueText ?? r.absentReason ?? '—');
  const preliminary = r.status === 'preliminary' ? { preliminary: true } : {};
  // A value that cannot be is shown as sent, but neither placed on the range nor compared with the one before.
  if (r.impossible !== undefined) return { time: r.time, shown, notPossible: true, ...preliminary };
  return { time: r.time, ...(r.value === undefined ? {} : { value: r.value }), shown, ...preliminary };
}

const newestFirst = <P,>(points: readonly P[]) => [...points].reverse().slice(0, READINGS);

/** A reading nobody alive can have (lib/chart/possible.ts), as the clinician's chart says of it. */
const cannotBe = (
  kind: AnyVitalSeries['kind'],
  values: readonly (number | undefined)[],
  comparators: readonly (Comparator | undefined)[] = [],
): boolean => impossibleReading(kind, values, String, comparators) !== undefined;

function vitalReadings(s: AnyVitalSeries, f: Format, oxygen: OxygenWords): ResultReading[] {
  // A reading that cannot be is shown as sent, but neither placed on the band nor compared with the one before.
  if (s.kind === 'blood-pressure')
    return newestFirst(s.points).map((p) => {
      // "> 250/90 mmHg": shown as a bound, and not compared with the one before as the value 250.
      const shown = bloodPressureText(p, (v) => f.number(v, 'mm[Hg]'));
      const preliminary = p.status === 'preliminary' ? { preliminary: true } : {};
      if (cannotBe(s.kind, [p.systolic, p.diastolic], [p.systolicComparator, p.diastolicComparator]))
        return { time: p.time, shown, notPossible: true, ...preliminary };
      const bounded = p.systolicComparator !== undefined || p.diastolicComparator !== undefined;
      return {
        time: p.time,
        ...(p.systolic === undefined || bounded ? {} : { value: p.systolic }),
        shown,
        ...preliminary,
      };
    });
  return newestFirst(s.points).map((p) => {
    // "< 70 %": shown as a bound, and neither placed on the band nor compared with the one before as the value 70.
    const shown = `${p.comparator ? `${p.comparator} ` : ''}${f.quantity(p.value, s.unit, { loinc: s.loinc, original: p.original })}`;
    const note = s.kind === 'spo2' ? oxygen(p.oxygen) : undefined;
    return {
      time: p.time,
      shown,
      ...(cannotBe(s.kind, [p.value], [p.comparator])
        ? { notPossible: true }
        : p.comparator
          ? {}
          : { value: p.value }),
      ...(note === undefined ? {} : { note }),
      ...(p.status === 'preliminary' ? { preliminary: true } : {}),
    };
  });
}

/** The patient's vital signs in plain words, each with its usual band where one applies. */
export function PatientVitals({ launchId }: { readonly launchId: string }) {
  const t = useTranslations('patient');
  const all = useTranslations();
  const place = useTranslations('range');
  const f = usePatientFormat();
  const oxygen = useOxygenWords();
  // A blood pressure's usual range (below 120/80 from 13 years, below the AAP limits for age and height from 1 to
  // 12), and whether the newest reading is above it.
  const bpLimit = (s: BloodPressureSeries): { rangeText?: string; status?: string } => {
    const limits = s.bands;
    const newest = s.points.at(-1);
    if (limits?.systolic.high === undefined || limits.diastolic.high === undefined || newest === undefined)
      return {};
    // A side known only as a bound is above only where every value it may be is ("> 250", never "< 40").
    const high =
      !cannotBe(
        'blood-pressure',
        [newest.systolic, newest.diastolic],
        [newest.systolicComparator, newest.diastolicComparator],
      ) &&
      (bpSideReaches(newest.systolic, newest.systolicComparator, limits.systolic.high) ||
        bpSideReaches(newest.diastolic, newest.diastolicComparator, limits.diastolic.high));
    return {
      rangeText: t('rangeBelow', { limit: f.bloodPressure(limits.systolic.high, limits.diastolic.high) }),
      // Only "above": the guideline sets no lower limit, so a low reading is not called usual.
      ...(high ? { status: place('above') } : {}),
    };
  };
  return (
    <PatientWidget<VitalsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.vitals}
      title={t('vitalsHeading')}
      loading={t('loadingVitals')}
    >
      {(payload) => {
        const { series, unreadableOnly = [] } = payload.data;
        // Readings that could not be shown are not "no vital signs": those are said instead.
        if (series.length === 0 && unreadableOnly.length === 0)
          return <p>{all(emptyPartKey('vitals', leftOut(payload)))}</p>;
        return (
          <div className="flex flex-col gap-3">
            {series.length === 0 ? null : (
              <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
                {series.map((s) => (
                  <ResultCard
                    key={s.kind}
                    loinc={s.loinc}
                    ehrName={s.label}
                    readings={vitalReadings(s, f, oxygen)}
                    {...(s.kind !== 'blood-pressure' && s.band ? { range: s.band } : {})}
                    {...(s.kind === 'blood-pressure' ? bpLimit(s) : {})}
                    unreadable={s.unreadable}
                  />
                ))}
              </ul>
            )}
            <UnreadableVitalsNote vitals={unreadableOnly} />
          </div>
        );
      }}
    </PatientWidget>
  );
}

/** The patient's lab results in plain words, each with a range bar. */
export function PatientLabs({ launchId }: { readonly launchId: string }) {
  const t = useTranslations('patient');
  const all = useTranslations();
  const f = usePatientFormat();
  const rangeText = useRangeText();
  return (
    <PatientWidget<LabsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.labs}
      title={t('resultsHeading')}
      loading={t('loadingResults')}
    >
      {(payload) => {
        const { data } = payload;
        if (data.groups.length === 0) return <p>{all(emptyPartKey('results', leftOut(payload)))}</p>;
        const cards = data.groups.map((g) => ({
          g,
          readings: g.history.slice(0, READINGS).map((r) => labReading(r, g.loinc, f)),
        }));
        // What would be said on every card is said once above them (a child's allergy panel: 17 tests, no ranges).
        const noRange = (c: (typeof cards)[number]) => {
          const value = c.readings[0]?.value;
          return value !== undefined && !placeable(value, c.g.latest.range);
        };
        const noneRanged =
          cards.filter(noRange).length > 1 &&
          cards.every((c) => noRange(c) || c.readings[0]?.value === undefined);
        const noneKnown = cards.length > 1 && cards.every((c) => plainTestKey(c.g.loinc) === undefined);
        return (
          <div className="flex flex-col gap-3">
            {noneRanged ? <p className="text-sm text-slate-700">{t('noRangeAll')}</p> : null}
            {noneKnown ? <p className="text-sm text-slate-800">{t('unknownAll')}</p> : null}
            <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
              {cards.map(({ g, readings }) => {
                const text = rangeText(g.latest.range, g.latest.unit, g.loinc);
                return (
                  <ResultCard
                    key={g.key}
                    loinc={g.loinc}
                    ehrName={g.label}
                    readings={readings}
                    {...(g.latest.range && !noneRanged ? { range: g.latest.range } : {})}
                    {...(text ? { rangeText: text } : {})}
                    sayNoRange={!noneRanged}
                    askUnknown={!noneKnown}
                  />
                );
              })}
            </ul>
          </div>
        );
      }}
    </PatientWidget>
  );
}
