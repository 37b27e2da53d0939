import { fhirTime } from './fhir-time';
import type { CodeableConcept, Condition } from '@medplum/fhirtypes';
import { anyCode, conceptLabel } from './coding';
import type { ProblemRow, ProblemsModel } from './types';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/**
 * The categories of FHIR R4 (condition-category) and US Core (health-concern, sdoh), kept as codes the chart names.
 * A vendor's own (Oracle Health files every problem under SNOMED CT's "Medical" too; Epic's "visit-diagnosis"
 * repeats encounter-diagnosis) adds nothing beside one of them, and is shown by its label only where no standard
 * category is given: never as a bare code a clinician cannot read.
 */
const STANDARD_CATEGORIES = new Set(['problem-list-item', 'encounter-diagnosis', 'health-concern', 'sdoh']);

function categoriesOf(concepts: readonly CodeableConcept[]): string[] {
  const standard = concepts.flatMap((concept) =>
    (concept.coding ?? []).flatMap((c) => {
      const code = c.code?.trim();
      return code !== undefined && STANDARD_CATEGORIES.has(code) ? [code] : [];
    }),
  );
  if (standard.length > 0) return standard;
  return concepts.map((concept) => conceptLabel(concept)).filter((x): x is string => !!x);
}

/**
 * A date kept as midnight UTC ("2023-04-06T00:00:00+00:00", as NextGen sends every onset) is the date it names:
 * read as an instant it would show the day before anywhere west of Greenwich. A time of day that is exactly
 * midnight UTC to the second is a date far more often than a moment something began.
 */
const MIDNIGHT_UTC = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00:00)$/;
const asDate = (dateTime: string): string => MIDNIGHT_UTC.exec(dateTime)?.[1] ?? dateTime;

/** Onset/abatement as text: dateTime, period, age or the EHR's string. */
function when(
  dateTime: string | undefined,
  period: { start?: string; end?: string } | undefined,
  age: { value?: number; unit?: string } | undefined,
  str: string | undefined,
): string | undefined {
  if (dateTime) return asDate(dateTime);
  if (period?.start) return asDate(period.start);
  if (age?.value !== undefined) return `age ${age.value}${age.unit ? ` ${age.unit}` : ''}`;
  return str?.trim() || undefined;
}

/** Sort key: FHIR dates compare as time; others (an age, the EHR's words) go last. */
function timeOf(s: string | undefined): number {
  const t = s ? fhirTime(s) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export function toProblemRow(c: Condition): ProblemRow {
  const clinicalStatus = anyCode(c.clinicalStatus)?.trim();
  const verificationStatus = anyCode(c.verificationStatus)?.trim();
  const categories = categoriesOf(c.category ?? []);
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
