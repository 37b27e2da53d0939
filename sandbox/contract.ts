/**
 * The seams inside the sandbox EHR: the authorization server (sandbox/auth,
 * sandbox/launch) and the FHIR server (sandbox/fhir, sandbox/data) meet here.
 * The app never imports anything under sandbox/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A vendor personality: one FHIR base per personality, `${publicUrl}/${personality}/fhir`. */
export type Personality = 'generic' | 'epic' | 'cerner' | 'athena' | 'nextgen';
export const PERSONALITIES: readonly Personality[] = ['generic', 'epic', 'cerner', 'athena', 'nextgen'];

/** Faults injected on demand, bound to a launch (carried by its tokens) or set globally by tests. */
export type FaultSpec =
  | { readonly kind: 'latency'; readonly ms: number; readonly resourceType?: string }
  | {
      readonly kind: 'status-429';
      readonly retryAfterSeconds: number;
      readonly count: number;
      readonly resourceType?: string;
    }
  | { readonly kind: 'status-500'; readonly count: number; readonly resourceType?: string }
  /** Accept the request and never answer (the client must time out). */
  | { readonly kind: 'timeout'; readonly count: number; readonly resourceType?: string }
  /** The nth FHIR request onwards answers 401 as if the token were revoked. */
  | { readonly kind: 'revoke-after'; readonly requests: number }
  /**
   * Search answers mixed up with another patient's record: every `every`-th entry of a page is followed by a copy
   * of it (id suffixed `-other`) whose subject is `Patient/sbx-other-patient`.
   */
  | { readonly kind: 'foreign-subject'; readonly every: number; readonly resourceType?: string }
  /**
   * Search pages with entries that hold no resource: every `every`-th entry's resource is written bare in `entry`,
   * without its `resource` wrapper, as Oracle Health's documentation examples show it.
   */
  | { readonly kind: 'bare-entry'; readonly every: number; readonly resourceType?: string };

/** What the authorization server vouches for about one access token. */
export interface TokenGrant {
  readonly clientId: string;
  /** Granted scopes, split on spaces. */
  readonly scopes: readonly string[];
  /** Patient id in context, for patient/* scopes. */
  readonly patient?: string;
  readonly encounter?: string;
  /** fhirUser as a relative reference, e.g. Practitioner/sbx-dr-lee or Patient/sbx-adult-htn. */
  readonly user?: string;
  /** The FHIR base URL the token was issued for (SMART `aud`). */
  readonly aud: string;
  readonly faults?: readonly FaultSpec[];
  /** Unique id of the grant, to count requests for `revoke-after`. */
  readonly grantId: string;
}

/** Looks up a bearer token; undefined when unknown, expired or revoked. */
export type TokenValidator = (accessToken: string) => Promise<TokenGrant | undefined>;

export interface DirectoryPatient {
  readonly id: string;
  /** Synthetic display name, for the sandbox's own pickers only. */
  readonly name: string;
  readonly birthDate: string;
  readonly gender: string;
  /** What makes this patient interesting to test, e.g. "adult, hypertension, abnormal labs". */
  readonly description: string;
}

export interface DirectoryPractitioner {
  readonly id: string;
  readonly name: string;
}

/** Who exists in the sandbox, for the launch page and for tests. */
export interface SandboxDirectory {
  readonly patients: readonly DirectoryPatient[];
  readonly practitioners: readonly DirectoryPractitioner[];
}

/** Endpoints of the authorization server, advertised by the FHIR server's CapabilityStatement. */
export interface OAuthEndpoints {
  readonly issuer: string;
  readonly authorize: string;
  readonly token: string;
  readonly revoke: string;
  readonly introspect: string;
  readonly jwks: string;
}

/** Serves one personality's FHIR API; `subPath` is the part after `${base}`, e.g. "/Observation?x=y". */
export type FhirHandler = (req: IncomingMessage, res: ServerResponse, subPath: string) => Promise<void>;
