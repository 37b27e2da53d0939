/** Conditions, encounters, social history and special-case results of the synthetic patients. */
import type { Condition, Encounter, Observation } from '@medplum/fhirtypes';
import { LOINC, SMOKING, SNOMED } from './catalog';
import { category } from './observations';
import type { ObsContext } from './observations';
import type { ConditionSpec, PatientProfile } from './profile-types';
import { dateOnly, daysBefore } from './time';

const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';

const CATEGORY_DISPLAY = { 'problem-list-item': 'Problem List Item', 'encounter-diagnosis': 'Encounter Diagnosis', 'health-concern': 'Health Concern' } as const;

export function encounter(id: string, profile: PatientProfile, start: string): Encounter {
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString().replace('.000Z', 'Z');
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: SNOMED, code: '185349003', display: 'Encounter for check up' }], text: 'Office Visit' }],
    subject: { reference: `Patient/${profile.id}` },
    participant: [{ individual: { reference: `Practitioner/${profile.practitioner}` } }],
    period: { start, end },
    serviceProvider: { reference: 'Organization/sbx-org' },
  };
}

export function condition(id: string, profile: PatientProfile, spec: ConditionSpec, anchorMs: number, encounterId?: string): Condition {
  const isHealthConcern = spec.category === 'health-concern';
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: spec.clinical }] },
    verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: spec.verification }] },
    category: [{ coding: [{ system: isHealthConcern ? US_CORE_CATEGORY : CONDITION_CATEGORY, code: spec.category, display: CATEGORY_DISPLAY[spec.category] }] }],
    code: { coding: [{ system: SNOMED, code: spec.snomed, display: spec.display }], text: spec.display },
    subject: { reference: `Patient/${profile.id}` },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    onsetDateTime: dateOnly(daysBefore(anchorMs, spec.onsetDaysAgo)),
    ...(spec.abatementDaysAgo !== undefined ? { abatementDateTime: dateOnly(daysBefore(anchorMs, spec.abatementDaysAgo)) } : {}),
    recordedDate: dateOnly(daysBefore(anchorMs, spec.onsetDaysAgo)),
    recorder: { reference: `Practitioner/${profile.practitioner}` },
  };
}

/** A final Observation whose answer is a SNOMED CT concept: how US Core and Synthea record smoking status and cause of death. */
function snomedAnswer(
  ctx: ObsContext,
  filed: 'social-history' | 'exam',
  question: { readonly loinc: string; readonly display: string; readonly text: string },
  answer: { readonly code: string; readonly display: string },
  effective: string,
): Observation {
  return {
    resourceType: 'Observation',
    id: ctx.nextId(),
    status: 'final',
    category: category(filed),
    code: { coding: [{ system: LOINC, code: question.loinc, display: question.display }], text: question.text },
    subject: { reference: `Patient/${ctx.patientId}` },
    effectiveDateTime: effective,
    valueCodeableConcept: { coding: [{ system: SNOMED, code: answer.code, display: answer.display }], text: answer.display },
  };
}

export function smokingStatus(ctx: ObsContext, status: NonNullable<PatientProfile['smoking']>, effective: string): Observation {
  return snomedAnswer(ctx, 'social-history', { ...SMOKING, text: SMOKING.display }, SMOKING[status], effective);
}

/** The death certificate's cause of death (LOINC 69453-9), as Synthea records it: an exam Observation days after death. */
export function causeOfDeath(ctx: ObsContext, cause: NonNullable<PatientProfile['causeOfDeath']>, effective: string): Observation {
  const question = { loinc: '69453-9', display: 'Cause of Death [US Standard Certificate of Death]', text: 'Cause of death' };
  return snomedAnswer(ctx, 'exam', question, { code: cause.snomed, display: cause.display }, effective);
}

/** A lab withdrawn after release, as Oracle Health shows them (status and data-absent "error"). */
export function enteredInError(ctx: ObsContext, effective: string): Observation {
  return {
    resourceType: 'Observation',
    id: ctx.nextId(),
    status: 'entered-in-error',
    category: category('laboratory'),
    code: { coding: [{ system: LOINC, code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' }], text: 'Hemoglobin' },
    subject: { reference: `Patient/${ctx.patientId}` },
    effectiveDateTime: effective,
    dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error', display: 'Error' }], text: 'Error' },
  };
}

/** The sparse patient's only results: one without a value, one reported as free text. */
export function sparseResults(ctx: ObsContext, anchorMs: number): Observation[] {
  return [
    {
      resourceType: 'Observation',
      id: ctx.nextId(),
      status: 'final',
      category: category('laboratory'),
      code: { coding: [{ system: LOINC, code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }], text: 'Glucose' },
      subject: { reference: `Patient/${ctx.patientId}` },
      effectiveDateTime: daysBefore(anchorMs, 30),
      dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed', display: 'Not Performed' }], text: 'Specimen hemolyzed' },
    },
    {
      resourceType: 'Observation',
      id: ctx.nextId(),
      status: 'final',
      category: category('laboratory'),
      code: { coding: [{ system: LOINC, code: '5778-6', display: 'Color of Urine' }], text: 'Urine color' },
      subject: { reference: `Patient/${ctx.patientId}` },
      effectiveDateTime: daysBefore(anchorMs, 30),
      valueString: 'Dark yellow',
      referenceRange: [{ text: 'Yellow' }],
    },
  ];
}
