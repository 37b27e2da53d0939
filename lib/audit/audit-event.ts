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
const DATA_ROLE = '4';
const QUERY_ROLE = '24';
const RESOURCE_TYPE = 'resourceType';
const SOURCE = { system: DCM, code: '110153', display: 'Source Role ID' };
const DESTINATION = { system: DCM, code: '110152', display: 'Destination Role ID' };
const BROWSER = { system: PARTICIPATION, code: 'DEV', display: 'device' };
/** This app's own entity type: what a request asked for (the panel, the console's search) and its resource types. */
export const CONTEXT_SYSTEM = 'urn:smart-chart:audit-entity';
const CONTEXT_TYPE = { system: CONTEXT_SYSTEM, code: 'request', display: 'What was asked for' };
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

/**
 * The entity saying what was asked for: this app's own, or in events recorded before it existed the query's entity,
 * which carried the panel and the resource types then.
 */
function askedFor(event: AuditEvent): AuditEventEntity | undefined {
  return (
    event.entity?.find((e) => e.type?.system === CONTEXT_SYSTEM) ??
    event.entity?.find((e) => e.role?.code === QUERY_ROLE)
  );
}

/** The resource types the event recorded as disclosed or asked for, in order. */
export function recordedResourceTypes(event: AuditEvent): string[] {
  return (askedFor(event)?.detail ?? [])
    .filter((d) => d.type === RESOURCE_TYPE)
    .map((d) => d.valueString ?? '');
}

/** What the event recorded as asked for (a panel, a console search), or ''. */
export function recordedDetail(event: AuditEvent): string {
  return askedFor(event)?.description ?? '';
}

/** The FHIR request as recorded: a query's raw text, or the references a read read; '' when there was none. */
export function recordedQuery(event: AuditEvent): string {
  const query = event.entity?.find((e) => e.role?.code === QUERY_ROLE)?.query;
  if (query) return Buffer.from(query, 'base64').toString('utf8');
  return (event.entity ?? [])
    .filter((e) => e.role?.code === DATA_ROLE && e.what?.reference)
    .map((e) => e.what?.reference)
    .join(' ');
}

/** The network address the request came from: the browser's agent, or in older events the user's own. */
export function recordedSourceAddress(event: AuditEvent): string {
  return event.agent.find((a) => a.network?.type === '2')?.network?.address ?? '';
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

/** A request that says no more than the one reference it read ("Patient/123", its id percent-encoded or not). */
function namesOnly(query: string, refs: readonly string[]): boolean {
  if (refs.length !== 1) return false;
  let decoded = query;
  try {
    decoded = decodeURIComponent(query);
  } catch {
    // Not percent-encoding: compared as it is.
  }
  return query === refs[0] || decoded === refs[0];
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
    // BALP: the user's name also here, where it is searchable; the token's id in `policy`.
    ...(input.user && input.userName ? { name: input.userName } : {}),
    requestor: true,
    ...(input.oauth?.tokenId ? { policy: [input.oauth.tokenId] } : {}),
  };
  // BALP: a user is no network device. The address the request came from is the user's browser's, its own agent;
  // for an export the browser is where the exported records go.
  const browser: AuditEventAgent[] = input.sourceIp
    ? [
        {
          type: { coding: [input.action === 'console-export' ? DESTINATION : BROWSER] },
          who: { display: 'web browser' },
          requestor: false,
          network: { address: input.sourceIp, type: '2' },
        },
      ]
    : [];
  // BALP: for a read the server (the EHR) is the Source Role and the client (this app) the Destination Role, as the
  // data flows; for a query and every other event the DICOM convention, client as Source and server as Destination.
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
  // BALP OAUTHaccessTokenUse: the application the token was issued to, by its client_id.
  const client: AuditEventAgent[] = input.oauth?.clientId
    ? [
        {
          type: { coding: [{ system: DCM, code: '110150', display: 'Application' }] },
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
  const refs = input.resourceRefs ?? [];
  for (const ref of refs) {
    entity.push({
      what: { reference: ref },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: DATA_ROLE, display: 'Domain Resource' },
    });
  }
  // BALP: a query's entity holds the raw request and nothing else; a read that named only what it read (above)
  // has no query entity.
  if (input.query !== undefined && !(read && namesOnly(input.query, refs))) {
    entity.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: QUERY_ROLE, display: 'Query' },
      query: Buffer.from(input.query, 'utf8').toString('base64'),
    });
  }
  // This app's own entity: what it was asked for (the chart's panel, a console search) and the resource types.
  if (input.detail !== undefined || (input.resourceTypes?.length ?? 0) > 0) {
    entity.push({
      type: CONTEXT_TYPE,
      ...(input.detail !== undefined ? { description: input.detail } : {}),
      detail: (input.resourceTypes ?? []).map((t) => ({ type: RESOURCE_TYPE, valueString: t })),
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
    agent: [user, ...browser, app, ehr, ...client],
    source: {
      site: input.tenant,
      observer: { identifier: { system: URI, value: ctx.appId }, display: 'smart-chart' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
