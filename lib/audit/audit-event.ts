import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { AuditAction, AuditInput, PatientIdentity } from './types';

/**
 * AuditInput → FHIR R4 AuditEvent following IHE Basic Audit Log Patterns
 * (PatientRead, PatientQuery, login/logout, security alerts). References and
 * codes only: no addresses or clinical values, and never a token; the patient
 * entity carries the patient's name, birth date and MRN when the disclosure
 * read them (the whole event is sealed). The session id enters only as a keyed
 * pseudonym.
 */

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
export const PURPOSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const BALP_ENTITY = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';
const BALP_AGENT = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes';
const URI = 'urn:ietf:rfc:3986';
const PURPOSES: Record<string, string> = {
  TREAT: 'Treatment',
  PATRQT: 'patient requested',
  HOPERAT: 'healthcare operations',
  HSYSADMIN: 'health system administration',
};
const DISCLOSURES: readonly AuditAction[] = ['patient-read', 'patient-query', 'view'];
/** Our own action code, so the console can filter on exactly what the app recorded. */
export const ACTION_SYSTEM = 'urn:smart-chart:audit-action';
export const TENANT_SYSTEM = 'urn:smart-chart:ehr-registration';
export const SESSION_SYSTEM = 'urn:smart-chart:session-hmac';
export const LAUNCH_SYSTEM = 'urn:smart-chart:launch';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const PATIENT_ROLE = '1';
const BIRTH_DATE = 'birthDate';

/** The patient entity's `what`: the reference, and the name and MRN the EHR gave at disclosure time. */
function patientWhat(reference: string, who: PatientIdentity | undefined): AuditEventEntity['what'] {
  return {
    reference,
    ...(who?.name ? { display: who.name } : {}),
    ...(who?.mrn
      ? {
          identifier: {
            type: { coding: [{ system: V2_0203, code: 'MR' }] },
            ...(who.mrn.system ? { system: who.mrn.system } : {}),
            value: who.mrn.value,
          },
        }
      : {}),
  };
}

/** The patient's name, birth date and MRN as the event recorded them, if it did. */
export function recordedIdentity(event: AuditEvent): PatientIdentity | undefined {
  const entity = event.entity?.find((e) => e.role?.code === PATIENT_ROLE);
  const name = entity?.what?.display;
  const birthDate = entity?.detail?.find((d) => d.type === BIRTH_DATE)?.valueString;
  const id = entity?.what?.identifier;
  const mrn = id?.value ? { ...(id.system ? { system: id.system } : {}), value: id.value } : undefined;
  if (!name && !birthDate && !mrn) return undefined;
  return { ...(name ? { name } : {}), ...(birthDate ? { birthDate } : {}), ...(mrn ? { mrn } : {}) };
}

interface Classification {
  readonly type: Coding;
  readonly subtype?: Coding;
  readonly action: AuditEvent['action'];
}

const rest = (code: 'read' | 'search-type'): Classification => ({
  type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
  subtype: { system: RESTFUL, code, display: code },
  // BALP: a read is R, a query is E (execute).
  action: code === 'read' ? 'R' : 'E',
});
const dcm = (
  code: string,
  display: string,
  action: AuditEvent['action'],
  sub?: [string, string],
): Classification => ({
  type: { system: DCM, code, display },
  subtype: sub ? { system: DCM, code: sub[0], display: sub[1] } : undefined,
  action,
});

function classify(action: AuditAction): Classification {
  switch (action) {
    case 'patient-read':
      return rest('read');
    case 'patient-query':
      return rest('search-type');
    case 'view':
      return dcm('110110', 'Patient Record', 'R');
    case 'login':
    case 'console-login':
      return dcm('110114', 'User Authentication', 'E', ['110122', 'Login']);
    case 'logout':
    case 'session-timeout':
    case 'console-logout':
      return dcm('110114', 'User Authentication', 'E', ['110123', 'Logout']);
    case 'access-denied':
    case 'rate-limited':
      return dcm('110113', 'Security Alert', 'E');
    case 'console-search':
      return dcm('110112', 'Query', 'E');
    case 'console-view':
    case 'console-verify':
      return dcm('110101', 'Audit Log Used', 'R');
    case 'console-export':
      return dcm('110106', 'Export', 'R');
    case 'console-user-change':
      return dcm('110137', 'User Security Attributes Changed', 'U');
    case 'audit-restored':
      return dcm('110113', 'Security Alert', 'E', ['110134', 'Audit Recording Started']);
  }
}

export interface AuditEventContext {
  /** Identifies this app as the audit source and observer, e.g. its base URL. */
  readonly appId: string;
  /** Keyed pseudonym of the session id (see crypto.pseudonym). */
  readonly sessionHmac?: string;
}

/** An explicit purpose, or for a disclosure the one that follows from who asked: a clinician treats, a patient asks. */
function purposeOf(input: AuditInput): string | undefined {
  if (input.purposeOfUse) return input.purposeOfUse;
  // A console account's disclosures (open server) keep no default: the console names them itself.
  if (!DISCLOSURES.includes(input.action) || !input.user || input.user.startsWith('console-user/'))
    return undefined;
  return /(^|\/)(Patient|RelatedPerson)\/[^/]+$/.test(input.user) ? 'PATRQT' : 'TREAT';
}

/** The FHIR base of the EHR: given, or the patient reference without its `Patient/<id>` tail. */
const fhirBaseOf = (input: AuditInput): string | undefined =>
  input.fhirBase ?? /^(https?:\/\/.+)\/Patient\/[^/]+$/.exec(input.patient ?? '')?.[1];

export function buildAuditEvent(input: AuditInput, recorded: Date, ctx: AuditEventContext): AuditEvent {
  const c = classify(input.action);
  const subtype: Coding[] = [
    ...(c.subtype ? [c.subtype] : []),
    { system: ACTION_SYSTEM, code: input.action },
  ];

  const user: AuditEventAgent = {
    type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
    who: input.user
      ? {
          reference: input.user,
          ...(input.userName ? { display: input.userName } : {}),
          // BALP OAUTHaccessTokenUse: the token's issuer and subject identify the user.
          ...(input.oauth?.subject
            ? {
                identifier: {
                  ...(input.oauth.issuer ? { system: input.oauth.issuer } : {}),
                  value: input.oauth.subject,
                },
              }
            : {}),
        }
      : { display: 'anonymous' },
    requestor: true,
    ...(input.sourceIp ? { network: { address: input.sourceIp, type: '2' as const } } : {}),
  };
  // BALP: for a read the server (the EHR) is the Source Role and the client (this app) the Destination Role, as the
  // data flows; for a query and every other event the DICOM convention, client as Source and server as Destination.
  const SOURCE = { system: DCM, code: '110153', display: 'Source Role ID' };
  const DESTINATION = { system: DCM, code: '110152', display: 'Destination Role ID' };
  const read = input.action === 'patient-read';
  const app: AuditEventAgent = {
    type: { coding: [read ? DESTINATION : SOURCE] },
    who: { identifier: { value: ctx.appId }, display: 'smart-chart' },
    requestor: false,
    network: { address: ctx.appId, type: '5' },
  };
  const base = fhirBaseOf(input);
  const ehr: AuditEventAgent = {
    type: { coding: [read ? SOURCE : DESTINATION] },
    who: { identifier: { system: TENANT_SYSTEM, value: input.tenant } },
    requestor: false,
    ...(base ? { network: { address: base, type: '5' as const } } : {}),
  };
  // BALP: the OAuth client the token was issued to.
  const client: AuditEventAgent[] = input.oauth?.clientId
    ? [
        {
          type: {
            coding: [{ system: BALP_AGENT, code: 'UserOauthAgent', display: 'User OAuth Agent participant' }],
          },
          who: { identifier: { value: input.oauth.clientId } },
          requestor: false,
        },
      ]
    : [];
  const purpose = purposeOf(input);

  const entity: AuditEventEntity[] = [];
  if (input.patient) {
    const birthDate = input.patientIdentity?.birthDate;
    entity.push({
      what: patientWhat(input.patient, input.patientIdentity),
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: PATIENT_ROLE, display: 'Patient' },
      ...(birthDate ? { detail: [{ type: BIRTH_DATE, valueString: birthDate }] } : {}),
    });
  }
  for (const ref of input.resourceRefs ?? []) {
    entity.push({
      what: { reference: ref },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
    });
  }
  if (input.query !== undefined || input.detail !== undefined || (input.resourceTypes?.length ?? 0) > 0) {
    entity.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
      ...(input.query !== undefined ? { query: Buffer.from(input.query, 'utf8').toString('base64') } : {}),
      ...(input.detail !== undefined ? { description: input.detail } : {}),
      detail: (input.resourceTypes ?? []).map((t) => ({ type: 'resourceType', valueString: t })),
    });
  }
  if (ctx.sessionHmac !== undefined || input.launchId !== undefined) {
    entity.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '13', display: 'Security Resource' },
      ...(ctx.sessionHmac !== undefined
        ? { what: { identifier: { system: SESSION_SYSTEM, value: ctx.sessionHmac } } }
        : {}),
      ...(input.launchId !== undefined ? { detail: [{ type: 'launch', valueString: input.launchId }] } : {}),
    });
  }

  if (input.requestId !== undefined) {
    entity.push({
      what: { identifier: { value: input.requestId } },
      type: { system: BALP_ENTITY, code: 'XrequestId', display: 'X-Request-Id' },
    });
  }

  return {
    resourceType: 'AuditEvent',
    type: c.type,
    subtype,
    action: c.action,
    recorded: recorded.toISOString(),
    outcome: input.outcome,
    ...(input.outcomeDesc ? { outcomeDesc: input.outcomeDesc } : {}),
    ...(purpose
      ? {
          purposeOfEvent: [
            {
              coding: [
                {
                  system: PURPOSE_SYSTEM,
                  code: purpose,
                  ...(PURPOSES[purpose] ? { display: PURPOSES[purpose] } : {}),
                },
              ],
            },
          ],
        }
      : {}),
    agent: [user, app, ehr, ...client],
    source: {
      site: input.tenant,
      observer: { identifier: { system: URI, value: ctx.appId }, display: 'smart-chart' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
