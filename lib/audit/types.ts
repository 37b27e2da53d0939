/**
 * What the rest of the app hands the audit log. The audit module turns an
 * AuditInput into a FHIR R4 AuditEvent (IHE BALP), stores it durably, and
 * resolves only once it is committed. References and codes only, never a
 * clinical value; the one exception is the disclosed patient's name, birth
 * date and MRN (`patientIdentity`), sealed inside the event and searchable
 * only through keyed blind indexes, so an officer can find a patient as they
 * know them.
 */

/** Every action the log knows, in one place: the type, the stored-record check and the console derive from it. */
export const AUDIT_ACTIONS = [
  /** FHIR read of one resource (BALP PatientRead). */
  'patient-read',
  /** FHIR search for one patient's data (BALP PatientQuery). */
  'patient-query',
  /** The UI reports a panel the user opened (checked against the session). */
  'view',
  'login',
  'logout',
  'session-timeout',
  /** Any refused access: unknown iss, bad state, replay, wrong patient, … */
  'access-denied',
  'rate-limited',
  'console-login',
  /** A console user signed out; the account's earlier sessions are refused from then on. */
  'console-logout',
  'console-search',
  'console-view',
  'console-export',
  'console-verify',
  'console-user-change',
  /**
   * The log is recorded and signed again after it was unavailable (no signed checkpoint within
   * the bound); its detail says from when to when.
   */
  'audit-restored',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** FHIR AuditEvent.outcome: 0 success, 4 minor, 8 serious, 12 major failure. */
export type AuditOutcome = '0' | '4' | '8' | '12';

export interface AuditInput {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  /** Reason for a failure, a short code-like sentence, never PHI. */
  readonly outcomeDesc?: string;
  /** EHR registration id (tenant); 'console' for console actions; 'app' for app-level events. */
  readonly tenant: string;
  /** fhirUser as an absolute reference, or 'console-user/<id>'; absent for anonymous failures. */
  readonly user?: string;
  /** The user's display name (a practitioner's name from the id_token), shown by the console; never a patient's. */
  readonly userName?: string;
  /** Absolute FHIR reference of the patient at the EHR, e.g. https://ehr/fhir/Patient/123. */
  readonly patient?: string;
  /** Who the patient is, as the EHR gave it at disclosure time; sealed, and indexed only by keyed blind tokens. */
  readonly patientIdentity?: PatientIdentity;
  /** Resource types disclosed or requested, e.g. ['Observation']. */
  readonly resourceTypes?: readonly string[];
  /** Relative references disclosed by a read, e.g. ['Patient/123']. */
  readonly resourceRefs?: readonly string[];
  /** The FHIR query (path and search string), stored encrypted. */
  readonly query?: string;
  /** What was viewed ("labs", "vitals") or done, free of PHI. */
  readonly detail?: string;
  /** The network address of the user's browser as the server saw it. */
  readonly sourceIp?: string;
  readonly sessionId?: string;
  readonly launchId?: string;
  /** Event time; defaults to now. Stored as UTC with milliseconds. */
  readonly recorded?: Date;
  /**
   * v3-ActReason purpose of use (TREAT, PATRQT, HSYSADMIN for the console's security review, …);
   * disclosures default from who asked (audit-event.ts).
   */
  readonly purposeOfUse?: string;
  /** The request id the logs carry, so a log line and its AuditEvent can be matched. */
  readonly requestId?: string;
  /** FHIR base URL of the EHR; defaults to the base of the patient reference. */
  readonly fhirBase?: string;
  /** OAuth context of the access (BALP OAUTHaccessTokenUse): identifiers only, never a token. */
  readonly oauth?: {
    readonly clientId?: string;
    /** The id_token's issuer and subject: who the EHR says the user is. */
    readonly issuer?: string;
    readonly subject?: string;
    /** The access token's JWT ID as a `urn:ietf:params:oauth:jti:` URN, or a fingerprint of an opaque token. */
    readonly tokenId?: string;
  };
}

/** A patient as an officer knows them: what the chart showed at disclosure time. */
export interface PatientIdentity {
  /** As the chart shows it, "Family, Given Middle". */
  readonly name?: string;
  /** FHIR date (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly birthDate?: string;
  /** The MRN the vendor's rule picked (lib/fhir/vendors/traits.ts), with its identifier system when given. */
  readonly mrn?: { readonly system?: string; readonly value: string };
}

/** Where an appended event sits in its tenant's log. */
export interface AuditReceipt {
  readonly tenant: string;
  /** Zero-based, gap-free position in the tenant's log. */
  readonly seq: number;
  /** Hex SHA-256 leaf hash (RFC 6962: H(0x00 || canonical bytes)). */
  readonly leafHash: string;
}

/** The app-facing audit log. */
export interface AuditLog {
  /** Resolves once the event is durably committed; rejects with AuditUnavailableError otherwise. */
  record(input: AuditInput): Promise<AuditReceipt>;
}
