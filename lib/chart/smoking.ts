import type { Observation } from '@medplum/fhirtypes';
import { conceptLabel, LOINC, codesIn } from './coding';
import type { SmokingModel, SmokingRun } from './types';
import { isFinal } from './vitals';

/** LOINC 72166-2 "Tobacco smoking status", the code of US Core's Smoking Status Observation. */
export const SMOKING_STATUS_LOINC = '72166-2';

interface Reading {
  readonly status: string;
  readonly time: string;
  readonly ms: number;
}

/**
 * When the answer held: its effective time; for a period the end, up to which it held (Epic sends a period with an
 * end only, its "as of" date); else when it was issued.
 */
function answerTime(o: Observation): string | undefined {
  return (
    o.effectiveDateTime ??
    o.effectiveInstant ??
    o.effectivePeriod?.end ??
    o.effectivePeriod?.start ??
    o.issued
  );
}

function readingOf(o: Observation): Reading | undefined {
  if (!isFinal(o) || !codesIn(o.code, LOINC).includes(SMOKING_STATUS_LOINC)) return undefined;
  const time = answerTime(o);
  const ms = Date.parse(time ?? '');
  // US Core codes the answer (SNOMED CT, e.g. 8517006 "Ex-smoker"); a few EHRs send it as text.
  const status = conceptLabel(o.valueCodeableConcept) ?? o.valueString?.trim();
  if (time === undefined || Number.isNaN(ms) || !status) return undefined;
  return { status, time, ms };
}

/**
 * Smoking status as the EHR recorded it over time: the latest answer, and the
 * runs of one answer (oldest first), so "Former smoker since 2019, never
 * smoker before" reads at a glance. Only final, amended or corrected answers
 * count; one recorded at every visit makes a run, not a list of repeats.
 */
export function mapSmokingStatus(
  observations: readonly Observation[],
  patient: { readonly deceased: boolean },
): SmokingModel {
  const readings = observations
    .map(readingOf)
    .filter((r): r is Reading => r !== undefined)
    .sort((a, b) => a.ms - b.ms || a.status.localeCompare(b.status));
  const runs: SmokingRun[] = [];
  for (const r of readings) {
    const last = runs.at(-1);
    if (last && last.status.toLowerCase() === r.status.toLowerCase()) {
      runs[runs.length - 1] = { ...last, last: r.time, count: last.count + 1 };
    } else {
      runs.push({ status: r.status, first: r.time, last: r.time, count: 1 });
    }
  }
  return { runs, deceased: patient.deceased };
}
