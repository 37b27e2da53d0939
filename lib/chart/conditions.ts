import { fhirTime } from './fhir-time';
import type { Age, CodeableConcept, Condition, Range } from '@medplum/fhirtypes';
import { conceptLabel, valueSetCode } from './coding';
import type { ProblemRow, ProblemsModel } from './types';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/** FHIR R4's condition-clinical and condition-ver-status code systems and their codes. */
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CLINICAL_CODES: ReadonlySet<string> = new Set([...ACTIVE, 'inactive', 'remission', 'resolved']);
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const VERIFICATION_CODES: ReadonlySet<string> = new Set([
  'unconfirmed',
  'provisional',
  'differential',
  'confirmed',
  'refuted',
  'entered-in-error',
]);
/** Verification statuses that say the condition is not the patient's, whatever its clinical status. */
const NOT_SO = new Set(['refuted', 'entered-in-error']);

const verificationOf = (c: Condition) => valueSetCode(c.verificationStatus, VERIFICATION, VERIFICATION_CODES);

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

/** UCUM's units of an age, as words (an Age's `unit` is the EHR's own text and wins when it gives one). */
const AGE_UNITS: Readonly<Record<string, readonly [string, string]>> = {
  a: ['year', 'years'],
  mo: ['month', 'months'],
  wk: ['week', 'weeks'],
  d: ['day', 'days'],
  h: ['hour', 'hours'],
  min: ['minute', 'minutes'],
};

function ageText(age: Age): string | undefined {
  if (age.value === undefined) return undefined;
  // The EHR's own unit text wins, unless it is itself a UCUM code ("a", "mo").
  const text = age.unit?.trim();
  const words = AGE_UNITS[text ?? ''] ?? (text ? undefined : AGE_UNITS[age.code ?? '']);
  const unit = words ? words[age.value === 1 ? 0 : 1] : text || age.code;
  return unit ? `${age.value} ${unit}` : String(age.value);
}

/** An age range: "age 30 years to 40 years", "age 30 years or older", "age under 40 years". */
function rangeText(range: Range): string | undefined {
  const low = range.low && ageText(range.low);
  const high = range.high && ageText(range.high);
  if (low && high) return `age ${low} to ${high}`;
  if (low) return `age ${low} or older`;
  return high ? `age under ${high}` : undefined;
}

/** Onset/abatement as text: dateTime, period, age, age range or the EHR's string. */
function when(
  dateTime: string | undefined,
  period: { start?: string; end?: string } | undefined,
  age: Age | undefined,
  range: Range | undefined,
  str: string | undefined,
): string | undefined {
  if (dateTime) return asDate(dateTime);
  if (period?.start) return asDate(period.start);
  const aged = age && ageText(age);
  if (aged) return `age ${aged}`;
  return (range && rangeText(range)) || str?.trim() || undefined;
}

/** Sort key: FHIR dates compare as time; others (an age, the EHR's words) go last. */
function timeOf(s: string | undefined): number {
  const t = s ? fhirTime(s) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export function toProblemRow(c: Condition): ProblemRow {
  const clinicalStatus = valueSetCode(c.clinicalStatus, CLINICAL, CLINICAL_CODES);
  // A status in a vendor's own codes only: shown by its label rather than taken for "not recorded".
  const clinicalStatusText =
    clinicalStatus === undefined && c.clinicalStatus ? conceptLabel(c.clinicalStatus) : undefined;
  const verificationStatus = verificationOf(c);
  const categories = categoriesOf(c.category ?? []);
  const onset = when(c.onsetDateTime, c.onsetPeriod, c.onsetAge, c.onsetRange, c.onsetString);
  const abatement = when(
    c.abatementDateTime,
    c.abatementPeriod,
    c.abatementAge,
    c.abatementRange,
    c.abatementString,
  );
  const code = c.code?.coding?.find((x) => x.code)?.code;
  return {
    id: c.id ?? '',
    label: conceptLabel(c.code) ?? 'Unnamed condition',
    ...(code ? { code } : {}),
    ...(clinicalStatus ? { clinicalStatus } : {}),
    ...(clinicalStatusText ? { clinicalStatusText } : {}),
    ...(verificationStatus ? { verificationStatus } : {}),
    categories: [...new Set(categories)],
    ...(onset ? { onset } : {}),
    ...(abatement ? { abatement } : {}),
    ...(c.recordedDate ? { recordedDate: c.recordedDate } : {}),
    // Refuted or entered in error is not the patient's condition, whatever its clinical status says.
    active:
      clinicalStatus !== undefined &&
      ACTIVE.has(clinicalStatus) &&
      (verificationStatus === undefined || !NOT_SO.has(verificationStatus)),
  };
}

/**
 * The same problem filed more than once (under the problem list and as a health concern, or as an encounter
 * diagnosis at each visit): one row, by its code's system and code, its label and the same statuses, with
 * every category, the earliest onset and the span of the dates it was recorded. Different statuses stay apart: a
 * resolved episode beside a recurrence is two facts; so do past episodes (resolved, inactive or in remission) of
 * the same problem, each with its own onset and end. Undefined: the row stands alone.
 */
function sameProblemKey(c: Condition, row: ProblemRow): string | undefined {
  if (row.clinicalStatus !== undefined && !ACTIVE.has(row.clinicalStatus)) return undefined;
  const coding = c.code?.coding?.find((x) => x.code);
  // The label too: a clinician's own words under a broad code ("Diabetes" for two different entries) are kept apart.
  return [
    coding?.system ?? '',
    coding?.code ?? '',
    row.label.trim().toLowerCase(),
    row.clinicalStatus ?? row.clinicalStatusText ?? '',
    row.verificationStatus ?? '',
  ].join('\0');
}

const earliest = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : timeOf(b) < timeOf(a) ? b : a;
const latest = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : timeOf(b) > timeOf(a) ? b : a;

function joinRows(a: ProblemRow, b: ProblemRow): ProblemRow {
  const onset = earliest(a.onset, b.onset);
  const abatement = latest(a.abatement, b.abatement);
  const recordedDate = earliest(a.recordedDate, b.recordedDate);
  const lastRecorded = latest(a.lastRecordedDate ?? a.recordedDate, b.lastRecordedDate ?? b.recordedDate);
  const { onset: _o, abatement: _a, recordedDate: _r, lastRecordedDate: _l, ...rest } = a;
  return {
    ...rest,
    categories: [...new Set([...a.categories, ...b.categories])],
    ...(onset ? { onset } : {}),
    ...(abatement ? { abatement } : {}),
    ...(recordedDate ? { recordedDate } : {}),
    ...(lastRecorded && lastRecorded !== recordedDate ? { lastRecordedDate: lastRecorded } : {}),
    records: (a.records ?? 1) + (b.records ?? 1),
  };
}

/**
 * Conditions → problem list: entered-in-error left out, each problem once, active first, then those whose status
 * the EHR did not record, then the rest; newest onset first within each.
 */
export function mapConditions(conditions: readonly Condition[]): ProblemsModel {
  const byKey = new Map<string, ProblemRow>();
  for (const c of conditions) {
    if (verificationOf(c) === 'entered-in-error') continue;
    const row = toProblemRow(c);
    const key = sameProblemKey(c, row) ?? `row\0${byKey.size}`;
    const known = byKey.get(key);
    byKey.set(key, known === undefined ? row : joinRows(known, row));
  }
  const group = (p: ProblemRow) => (p.active ? 0 : statusRecorded(p) ? 2 : 1);
  const rows = [...byKey.values()].sort(
    (a, b) =>
      group(a) - group(b) ||
      timeOf(b.onset ?? b.recordedDate) - timeOf(a.onset ?? a.recordedDate) ||
      a.id.localeCompare(b.id),
  );
  return { problems: rows };
}

/** Whether the EHR gave the problem a clinical status at all (R4 lets an encounter diagnosis go without one). */
export function statusRecorded(p: ProblemRow): boolean {
  return p.clinicalStatus !== undefined || p.clinicalStatusText !== undefined;
}
