/**
 * One typed error family. Each code maps to an HTTP status and a message a
 * user can read; `detail` is for logs and never holds tokens or PHI.
 */
export type AppErrorCode =
  | 'bad-request'
  /** A request body far larger than anything the route takes. */
  | 'too-large'
  | 'unauthenticated'
  | 'session-expired'
  | 'forbidden'
  | 'not-found'
  | 'unknown-issuer'
  | 'launch-failed'
  | 'state-invalid'
  | 'ehr-unavailable'
  | 'ehr-error'
  | 'audit-unavailable'
  /** A store of the app's own (the launch store) does not answer. */
  | 'unavailable'
  | 'rate-limited'
  | 'internal';

const STATUS: Record<AppErrorCode, number> = {
  'bad-request': 400,
  'too-large': 413,
  unauthenticated: 401,
  'session-expired': 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-issuer': 400,
  'launch-failed': 502,
  'state-invalid': 400,
  'ehr-unavailable': 504,
  'ehr-error': 502,
  'audit-unavailable': 503,
  unavailable: 503,
  'rate-limited': 429,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  /** Sentence shown to the user. */
  readonly userMessage: string;

  constructor(code: AppErrorCode, userMessage: string, options?: { cause?: unknown }) {
    super(`${code}: ${userMessage}`, options);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.userMessage = userMessage;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
