import { issueDetailsText, issueDiagnostics, issuesOf } from './outcome';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { AppError, type AppErrorCode } from '../errors';

/**
 * What went wrong talking to an EHR's FHIR API.
 * http: the server answered with a non-2xx status;
 * timeout: no complete answer within the per-request time limit;
 * network: the connection failed (DNS, refused, reset);
 * malformed: the answer was not the JSON/FHIR shape we asked for;
 * aborted: the caller cancelled (e.g. the browser went away);
 * refused: we would not follow where the server pointed (e.g. a cross-origin next link).
 */
export type FhirErrorKind = 'http' | 'timeout' | 'network' | 'malformed' | 'aborted' | 'refused';

export interface FhirErrorDetails {
  readonly kind: FhirErrorKind;
  readonly status?: number;
  /** First OperationOutcome issue code, when the server sent one. */
  readonly issueCode?: string;
  readonly diagnostics?: string;
  readonly detailsText?: string;
  /** The `error` parameter of a `WWW-Authenticate: Bearer` header, e.g. insufficient_scope. */
  readonly authError?: string;
  readonly outcome?: OperationOutcome;
}

/**
 * The one error lib/fhir throws. It is an AppError, so routes map it to an
 * HTTP status and a user-facing message without knowing FHIR.
 */
export class FhirRequestError extends AppError {
  readonly kind: FhirErrorKind;
  readonly httpStatus?: number;
  readonly issueCode?: string;
  readonly diagnostics?: string;
  readonly detailsText?: string;
  readonly authError?: string;
  readonly outcome?: OperationOutcome;
  /**
   * The request that failed, relative to the FHIR base ("Observation?patient=…"), for the audit record of the
   * failed attempt. Not enumerable, so nothing that copies or logs the error's fields carries it.
   */
  declare readonly query?: string;

  constructor(details: FhirErrorDetails, options?: { cause?: unknown }) {
    const code = appErrorCodeFor(details);
    super(code, userMessageFor(details), options);
    this.name = 'FhirRequestError';
    this.kind = details.kind;
    this.httpStatus = details.status;
    this.issueCode = details.issueCode;
    this.diagnostics = details.diagnostics;
    this.detailsText = details.detailsText;
    this.authError = details.authError;
    this.outcome = details.outcome;
  }
}

/** The error, naming the request it came from (`query`); a name it already has stays. */
export function failedRequest(error: FhirRequestError, url: string, fhirBaseUrl: string): FhirRequestError {
  if (error.query !== undefined) return error;
  const base = fhirBaseUrl.replace(/\/+$/, '');
  let query = url.startsWith(`${base}/`) ? url.slice(base.length + 1) : undefined;
  if (query === undefined) {
    try {
      const u = new URL(url);
      query = `${u.pathname.replace(/^\/+/, '')}${u.search}`;
    } catch {
      query = url;
    }
  }
  Object.defineProperty(error, 'query', { value: query, enumerable: false });
  return error;
}

export function isFhirRequestError(e: unknown): e is FhirRequestError {
  return e instanceof FhirRequestError;
}

function appErrorCodeFor(d: FhirErrorDetails): AppErrorCode {
  switch (d.kind) {
    case 'timeout':
    case 'network':
    case 'aborted':
      return 'ehr-unavailable';
    case 'malformed':
    case 'refused':
      return 'ehr-error';
    case 'http':
      return codeForStatus(d.status ?? 0);
  }
}

function codeForStatus(status: number): AppErrorCode {
  if (status === 401) return 'session-expired';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 504) return 'ehr-unavailable';
  return 'ehr-error';
}

function userMessageFor(d: FhirErrorDetails): string {
  switch (d.kind) {
    case 'timeout':
      return 'The EHR did not answer in time.';
    case 'network':
      return 'The EHR could not be reached.';
    case 'aborted':
      return 'The request to the EHR was cancelled.';
    case 'malformed':
      // An OperationOutcome where data was expected: its words, where it gave them, say why.
      return d.detailsText ?? d.diagnostics ?? 'The EHR sent a response the app could not read.';
    case 'refused':
      return 'The EHR pointed to a location the app will not follow.';
    case 'http':
      break;
  }
  const status = d.status ?? 0;
  if (status === 401) return 'Your EHR session has expired. Please relaunch the app from the EHR.';
  if (status === 403) {
    return d.authError === 'insufficient_scope'
      ? 'The app was not granted access to this data.'
      : (d.detailsText ?? 'The EHR refused access to this data.');
  }
  if (status === 404) return 'The EHR did not find the requested record.';
  if (status === 429) return 'The EHR is busy. Please try again shortly.';
  if (status >= 500) return 'The EHR reported an error.';
  // 4xx with an OperationOutcome: the EHR's own words are the most useful.
  return d.detailsText ?? d.diagnostics ?? 'The EHR could not process the request.';
}

/** Reads `error="…"` from a `WWW-Authenticate: Bearer …` header. */
export function parseBearerError(header: string | null): string | undefined {
  if (!header) return undefined;
  const m = /\berror\s*=\s*"?([^",\s]+)"?/i.exec(header);
  return m?.[1];
}

function asOperationOutcome(body: unknown): OperationOutcome | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const r = body as { resourceType?: unknown; issue?: unknown };
  return r.resourceType === 'OperationOutcome' && Array.isArray(r.issue)
    ? (body as OperationOutcome)
    : undefined;
}

/** Picks the most severe issue (fatal > error > warning > information). */
export function primaryIssue(outcome: OperationOutcome): OperationOutcome['issue'][number] | undefined {
  const rank = { fatal: 0, error: 1, warning: 2, information: 3 } as const;
  return issuesOf(outcome).sort((a, b) => (rank[a.severity] ?? 4) - (rank[b.severity] ?? 4))[0];
}

/** What an error carries of an EHR's OperationOutcome: the outcome, and its most severe issue's code and words. */
function outcomeDetails(
  outcome: OperationOutcome,
): Pick<FhirErrorDetails, 'outcome' | 'issueCode' | 'diagnostics' | 'detailsText'> {
  const issue = primaryIssue(outcome);
  return {
    outcome,
    ...(issue
      ? { issueCode: issue.code, diagnostics: issueDiagnostics(issue), detailsText: issueDetailsText(issue) }
      : {}),
  };
}

/**
 * The error for a successful answer (2xx) that holds an OperationOutcome instead of the resource or Bundle asked
 * for ("Query too broad; add a date"): unreadable as data, with the EHR's own words kept for the clinician.
 */
export function outcomeInsteadOfData(body: unknown, status: number): FhirRequestError | undefined {
  const outcome = asOperationOutcome(body);
  if (outcome === undefined) return undefined;
  return new FhirRequestError(
    { kind: 'malformed', status, ...outcomeDetails(outcome) },
    { cause: new Error('OperationOutcome instead of data') },
  );
}

/**
 * Turns a non-2xx response into a FhirRequestError. Accepts every shape seen
 * from EHRs: OperationOutcome (with or without issue.code), an empty body with
 * only a WWW-Authenticate header, plain text, HTML.
 */
export function errorFromResponse(status: number, headers: Headers, bodyText: string): FhirRequestError {
  const authError = parseBearerError(headers.get('www-authenticate'));
  let parsed: unknown;
  if (bodyText.trim().startsWith('{')) {
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      parsed = undefined;
    }
  }
  const outcome = asOperationOutcome(parsed);
  return new FhirRequestError({
    kind: 'http',
    status,
    authError,
    ...(outcome ? outcomeDetails(outcome) : {}),
  });
}
