'use client';

import type { LabGroup, LabResult, LabsModel, AnyVitalSeries, VitalsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { PatientWidget } from './patient-widget';
import { formatBloodPressure, formatQuantity, formatValue, unitLabel } from '../chart/format';
import { ResultCard, type ResultReading } from './result-card';
import { PATIENT_TEXT } from './strings';

/** Readings shown per test: the newest and the one before, for the trend. */
const READINGS = 2;

function labReading(r: LabResult, loinc: string | undefined): ResultReading {
  const shown =
    r.value !== undefined
      ? formatQuantity(r.value, r.unit, { ...(loinc ? { loinc } : {}) })
      : (r.valueText ?? r.absentReason ?? '—');
  return { time: r.time, ...(r.value === undefined ? {} : { value: r.value }), shown };
}

function rangeText(g: LabGroup): string | undefined {
  const r = g.latest.range;
  if (r === undefined) return undefined;
  const unit = unitLabel(r.unit ?? g.latest.unit);
  const n = (v: number) => formatValue(v, r.unit ?? g.latest.unit, g.loinc ? { loinc: g.loinc } : {});
  if (r.low !== undefined && r.high !== undefined) return `${n(r.low)}–${n(r.high)} ${unit}`.trim();
  if (r.high !== undefined) return `up to ${n(r.high)} ${unit}`.trim();
  if (r.low !== undefined) return `${n(r.low)} or more ${unit}`.trim();
  return undefined;
}

const newestFirst = <P,>(points: readonly P[]) => [...points].reverse().slice(0, READINGS);

function vitalReadings(s: AnyVitalSeries): ResultReading[] {
  if (s.kind === 'blood-pressure')
    return newestFirst(s.points).map((p) => ({
      time: p.time,
      ...(p.systolic === undefined ? {} : { value: p.systolic }),
      shown: formatBloodPressure(p.systolic, p.diastolic),
    }));
  return newestFirst(s.points).map((p) => ({
    time: p.time,
    value: p.value,
    shown: formatQuantity(p.value, s.unit, { loinc: s.loinc }),
  }));
}

/** The patient's vital signs in plain words, each with its usual band where one applies. */
export function PatientVitals({ launchId }: { readonly launchId: string }) {
  return (
    <PatientWidget<VitalsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.vitals}
      title={PATIENT_TEXT.vitalsHeading}
      loading={PATIENT_TEXT.loadingVitals}
      what="Vital signs"
    >
      {({ data }) =>
        data.series.length === 0 ? (
          <p>{PATIENT_TEXT.noVitals}</p>
        ) : (
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
            {data.series.map((s) => (
              <ResultCard
                key={s.kind}
                loinc={s.loinc}
                ehrName={s.label}
                readings={vitalReadings(s)}
                {...(s.kind !== 'blood-pressure' && s.band ? { range: s.band } : {})}
              />
            ))}
          </ul>
        )
      }
    </PatientWidget>
  );
}

/** The patient's lab results in plain words, each with a range bar. */
export function PatientLabs({ launchId }: { readonly launchId: string }) {
  return (
    <PatientWidget<LabsModel>
      launchId={launchId}
      spec={WIDGET_SPECS.labs}
      title={PATIENT_TEXT.resultsHeading}
      loading={PATIENT_TEXT.loadingResults}
      what="Test results"
    >
      {({ data }) =>
        data.groups.length === 0 ? (
          <p>{PATIENT_TEXT.noResults}</p>
        ) : (
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
            {data.groups.map((g) => {
              const text = rangeText(g);
              return (
                <ResultCard
                  key={g.key}
                  loinc={g.loinc}
                  ehrName={g.label}
                  readings={g.history.slice(0, READINGS).map((r) => labReading(r, g.loinc))}
                  {...(g.latest.range ? { range: g.latest.range } : {})}
                  {...(text ? { rangeText: text } : {})}
                  sayNoRange
                />
              );
            })}
          </ul>
        )
      }
    </PatientWidget>
  );
}
