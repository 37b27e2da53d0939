import type { AuditEvent } from '@medplum/fhirtypes';
import {
  ACTION_SYSTEM,
  PURPOSE_SYSTEM,
  recordedDetail,
  recordedIdentity,
  recordedQuery,
  recordedResourceTypes,
  recordedSourceAddress,
  TENANT_SYSTEM,
} from '../audit/audit-event';
import type { AuditAction, PatientIdentity } from '../audit/types';

/** Actions that disclose a patient's data to a user. */
export const DISCLOSURE_ACTIONS: readonly AuditAction[] = ['patient-read', 'patient-query', 'view'];

/**
 * What the console shows of a stored AuditEvent, read back from the FHIR
 * resource itself (so the console shows exactly what was recorded).
 */
export interface EventSummary {
  readonly recorded: string;
  readonly action: string;
  readonly outcome: string;
  readonly outcomeDesc: string;
  readonly tenant: string;
  readonly user: string;
  readonly patient: string;
  /** The patient's name, birth date and MRN as this event recorded them (disclosures that read the Patient). */
  readonly patientIdentity?: PatientIdentity;
  readonly resourceTypes: readonly string[];
  readonly detail: string;
  readonly query: string;
  readonly sourceIp: string;
  readonly purpose: string;
  /** The purpose-of-use code recorded with the event (v3-ActReason), or ''. */
  readonly purposeCode: string;
  /** The launch the event belongs to, or '' (console actions, refusals before a launch). */
  readonly launchId: string;
  /** The user's name when the event carries one beside the reference, else ''. */
  readonly userName: string;
}

/** Purposes of use that are the organisation's own security work, never a disclosure to a recipient. */
export const SECURITY_PURPOSES: readonly string[] = ['HSYSADMIN', 'SECADM'];

const PATIENT_ROLE = '1';
const SECURITY_ROLE = '13';

export function summarize(event: AuditEvent): EventSummary {
  const requestor = event.agent.find((a) => a.requestor);
  const patient = event.entity?.find((e) => e.role?.code === PATIENT_ROLE)?.what?.reference ?? '';
  const patientIdentity = recordedIdentity(event);
  const tenant =
    event.agent.flatMap((a) =>
      a.who?.identifier?.system === TENANT_SYSTEM ? [a.who.identifier.value ?? ''] : [],
    )[0] ??
    event.source.site ??
    '';
  return {
    recorded: event.recorded,
    action: event.subtype?.find((c) => c.system === ACTION_SYSTEM)?.code ?? event.type.code ?? '',
    outcome: event.outcome ?? '',
    outcomeDesc: event.outcomeDesc ?? '',
    tenant,
    user: requestor?.who?.reference ?? requestor?.who?.display ?? '',
    patient,
    ...(patientIdentity ? { patientIdentity } : {}),
    resourceTypes: recordedResourceTypes(event),
    detail: recordedDetail(event),
    query: recordedQuery(event),
    sourceIp: recordedSourceAddress(event),
    purpose: purposeOf(event, requestor?.who?.reference),
    purposeCode: event.purposeOfEvent?.[0]?.coding?.find((c) => c.system === PURPOSE_SYSTEM)?.code ?? '',
    launchId:
      event.entity?.find((e) => e.role?.code === SECURITY_ROLE)?.detail?.find((d) => d.type === 'launch')
        ?.valueString ?? '',
    userName: requestor?.who?.reference ? (requestor.who.display ?? '') : '',
  };
}

const PURPOSE_NAMES: Readonly<Record<string, string>> = {
  HSYSADMIN: 'Security administration (audit review)',
  SECADM: 'Security administration',
  TREAT: 'Treatment',
  HOPERAT: 'Health care operations',
};

/** A disclosure of the patient to a recipient: a successful read, query or view not made for security work. */
export function isDisclosure(s: EventSummary): boolean {
  return (
    s.outcome === '0' &&
    (DISCLOSURE_ACTIONS as readonly string[]).includes(s.action) &&
    !SECURITY_PURPOSES.includes(s.purposeCode)
  );
}

/**
 * Purpose of use for an accounting of disclosures. The app records no
 * explicit purpose (AuditEvent.purposeOfEvent) yet, so it follows from who
 * asked: a clinician in an EHR launch is treatment, a patient is their own
 * access, a console account on an open server is testing.
 */
function purposeOf(event: AuditEvent, user: string | undefined): string {
  const coding = event.purposeOfEvent?.[0]?.coding?.[0];
  const explicit =
    coding?.display ??
    event.purposeOfEvent?.[0]?.text ??
    (coding?.code ? PURPOSE_NAMES[coding.code] : undefined);
  if (explicit) return explicit;
  if (!user) return 'Unknown';
  if (user.startsWith('console-user/')) return 'Testing / quality assurance (open server)';
  if (/(^|\/)Patient\/[^/]+$/.test(user) || /(^|\/)RelatedPerson\/[^/]+$/.test(user)) return 'Patient access';
  return 'Treatment';
}

/** One row of the console's event table. */
export interface EventRow extends EventSummary {
  readonly seq: number;
  readonly leafHash: string;
}

export function eventRow(e: {
  readonly seq: number;
  readonly leafHash: string;
  readonly tenant: string;
  readonly event: AuditEvent;
}): EventRow {
  return { ...summarize(e.event), tenant: e.tenant, seq: e.seq, leafHash: e.leafHash };
}
