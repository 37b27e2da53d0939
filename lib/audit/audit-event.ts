import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { AuditAction, AuditInput } from './types';

/**
 * AuditInput → FHIR R4 AuditEvent following IHE Basic Audit Log Patterns
 * (PatientRead, PatientQuery, login/logout, security alerts). References and
 * codes only: no names, birth dates, addresses or clinical values, and never a
 * token. The session id enters only as a keyed pseudonym.
 */

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
export const PURPOSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
/** Our own action code, so the console can filter on exactly what the app recorded. */
export const ACTION_SYSTEM = 'urn:smart-chart:audit-action';
export const TENANT_SYSTEM = 'urn:smart-chart:ehr-registration';
export const SESSION_SYSTEM = 'urn:smart-chart:session-hmac';
export const LAUNCH_SYSTEM = 'urn:smart-chart:launch';

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
  }
}

export interface AuditEventContext {
  /** Identifies this app as the audit source and observer, e.g. its base URL. */
  readonly appId: string;
  /** Keyed pseudonym of the session id (see crypto.pseudonym). */
  readonly sessionHmac?: string;
}

export function buildAuditEvent(input: AuditInput, recorded: Date, ctx: AuditEventContext): AuditEvent {
  const c = classify(input.action);
  const subtype: Coding[] = [
    ...(c.subtype ? [c.subtype] : []),
    { system: ACTION_SYSTEM, code: input.action },
  ];

  const user: AuditEventAgent = {
    type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
    who: input.user
      ? { reference: input.user, ...(input.userName ? { display: input.userName } : {}) }
      : { display: 'anonymous' },
    requestor: true,
    ...(input.sourceIp ? { network: { address: input.sourceIp, type: '2' as const } } : {}),
  };
  // DICOM/BALP convention: the FHIR client (this app) is the Source Role, the EHR the Destination Role.
  const app: AuditEventAgent = {
    type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
    who: { identifier: { value: ctx.appId }, display: 'smart-chart' },
    requestor: false,
    network: { address: ctx.appId, type: '5' },
  };
  const ehr: AuditEventAgent = {
    type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] },
    who: { identifier: { system: TENANT_SYSTEM, value: input.tenant } },
    requestor: false,
  };

  const entity: AuditEventEntity[] = [];
  if (input.patient) {
    entity.push({
      what: { reference: input.patient },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
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

  return {
    resourceType: 'AuditEvent',
    type: c.type,
    subtype,
    action: c.action,
    recorded: recorded.toISOString(),
    outcome: input.outcome,
    ...(input.outcomeDesc ? { outcomeDesc: input.outcomeDesc } : {}),
    ...(input.purposeOfUse !== undefined
      ? { purposeOfEvent: [{ coding: [{ system: PURPOSE_SYSTEM, code: input.purposeOfUse }] }] }
      : {}),
    agent: [user, app, ehr],
    source: {
      site: input.tenant,
      observer: { identifier: { value: ctx.appId }, display: 'smart-chart' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
