import type { Condition } from '@medplum/fhirtypes';
import { anyCode, conceptLabel } from './coding';
import type { ProblemRow, ProblemsModel } from './types';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

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
  const categories = (c.category ?? []).flatMap((cat) =>
    (cat.coding ?? []).map((x) => x.code).filter((x): x is string => !!x),
  );
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
