import type { CodeableConcept, Condition } from '@medplum/fhirtypes';
import { anyCode, conceptLabel } from './coding';
import type { ProblemRow, ProblemsModel } from './types';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/**
 * The categories of FHIR R4 (condition-category) and US Core (health-concern, sdoh): kept as codes, which the chart
 * names. Any other is a vendor's own (Oracle Health files every problem under SNOMED CT's "Medical" too; Epic has
 * "visit-diagnosis"): kept as its label, never as a bare code a clinician cannot read.
 */
const STANDARD_CATEGORIES = new Set(['problem-list-item', 'encounter-diagnosis', 'health-concern', 'sdoh']);

function categoryOf(concept: CodeableConcept): string | undefined {
  const standard = concept.coding?.find(
    (c) => c.code !== undefined && STANDARD_CATEGORIES.has(c.code.trim()),
  );
  return standard?.code?.trim() ?? conceptLabel(concept);
}

/** Onset/abatement as text: dateTime, period, age or the EHR's string. */
function when(
  dateTime: string | undefined,
  period: { start?: string; end?: string } | undefined,
  age: { value?: number; unit?: string } | undefined,
  str: string | undefined,
): string | undefined {
  if (dateTime) return dateTime;
  if (period?.start) return period.start;
  if (age?.value !== undefined) return `age ${age.value}${age.unit ? ` ${age.unit}` : ''}`;
  return str?.trim() || undefined;
}

/** Sort key: ISO-like strings compare as time; others go last. */
function timeOf(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export function toProblemRow(c: Condition): ProblemRow {
  const clinicalStatus = anyCode(c.clinicalStatus)?.trim();
  const verificationStatus = anyCode(c.verificationStatus)?.trim();
  const categories = (c.category ?? []).map(categoryOf).filter((x): x is string => !!x);
  const onset = when(c.onsetDateTime, c.onsetPeriod, c.onsetAge, c.onsetString);
  const abatement = when(c.abatementDateTime, c.abatementPeriod, c.abatementAge, c.abatementString);
  const code = c.code?.coding?.find((x) => x.code)?.code;
  return {
    id: c.id ?? '',
    label: conceptLabel(c.code) ?? 'Unnamed condition',
    ...(code ? { code } : {}),
    ...(clinicalStatus ? { clinicalStatus } : {}),
    ...(verificationStatus ? { verificationStatus } : {}),
    categories: [...new Set(categories)],
    ...(onset ? { onset } : {}),
    ...(abatement ? { abatement } : {}),
    ...(c.recordedDate ? { recordedDate: c.recordedDate } : {}),
    active: clinicalStatus !== undefined && ACTIVE.has(clinicalStatus),
  };
}

/** Conditions → problem list: entered-in-error left out, active first, newest onset first. */
export function mapConditions(conditions: readonly Condition[]): ProblemsModel {
  const rows = conditions
    .filter((c) => anyCode(c.verificationStatus)?.trim() !== 'entered-in-error')
    .map(toProblemRow)
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        timeOf(b.onset ?? b.recordedDate) - timeOf(a.onset ?? a.recordedDate) ||
        a.id.localeCompare(b.id),
    );
  return { problems: rows };
}
