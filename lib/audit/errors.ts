import { AppError } from '@/lib/errors';

/**
 * The audit store could not durably record an event. Routes answer 503 and
 * send no patient data (fail closed). The cause stays for server logs only.
 */
export class AuditUnavailableError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(
      'audit-unavailable',
      'The audit log is unavailable, so this data cannot be shown right now.',
      options,
    );
    this.name = 'AuditUnavailableError';
  }
}

/** Short machine-readable reasons, safe for logs (no PHI): they name a kind of failure, never data. */
export type AuditIntegrityCode =
  | 'event-unreadable'
  | 'event-mismatch'
  | 'head-mismatch'
  | 'fork'
  | 'checkpoint-foreign'
  | 'external-checkpoint-invalid'
  | 'external-store-missing'
  | 'witness-refused'
  | 'acknowledged-missing'
  | 'integrity';

/** The stored log does not match what it proves: the signer refuses to sign it and the tenant stops. */
export class AuditIntegrityError extends Error {
  readonly code: AuditIntegrityCode;
  readonly tenant?: string;
  readonly seq?: number;
  constructor(message: string, where: { code?: AuditIntegrityCode; tenant?: string; seq?: number } = {}) {
    super(message);
    this.name = 'AuditIntegrityError';
    this.code = where.code ?? 'integrity';
    if (where.tenant !== undefined) this.tenant = where.tenant;
    if (where.seq !== undefined) this.seq = where.seq;
  }
}

/** The signer could not sign or store a checkpoint (database, permissions, file system); it retries. */
export class AuditSignerError extends Error {
  readonly code = 'signer-failed';
  /** A code from the cause (SQLSTATE such as 42501, or errno such as ENOTDIR), never its message. */
  readonly causeCode?: string;
  readonly tenant: string;
  constructor(tenant: string, cause: Error) {
    super(`could not sign a checkpoint for ${tenant}`, { cause });
    this.tenant = tenant;
    this.name = 'AuditSignerError';
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') this.causeCode = code;
  }
}

/**
 * Not a failure of its own but an alert: a tenant's log became unavailable because no signed
 * (and, with witnesses, cosigned) checkpoint covered its appends within the bound, or it came back.
 */
export class AuditCoverageAlert extends Error {
  readonly code: 'coverage-lost' | 'coverage-restored';
  constructor(
    readonly tenant: string,
    readonly since: Date,
    readonly until: Date | undefined,
    /** The signer's last failure code (SQLSTATE, errno, witness-quorum, …), if it failed. */
    readonly lastError: string | undefined,
  ) {
    super(
      until
        ? `${tenant} was unavailable from ${since.toISOString()} to ${until.toISOString()}: no signed checkpoint within the bound`
        : `${tenant} is unavailable since ${since.toISOString()}: no signed checkpoint within the bound`,
    );
    this.name = 'AuditCoverageAlert';
    this.code = until ? 'coverage-restored' : 'coverage-lost';
  }
}

const WITNESS_CAUSES = new Set(['witness-quorum', 'witness-degraded']);

/**
 * One log line's worth of an audit alert: tenant and codes, never a message that could carry data.
 * Witness failures add `witnesses`: witness names, tree sizes and HTTP statuses, which is all they hold.
 */
export function auditAlert(e: unknown): Record<string, string | number> {
  if (e instanceof AuditIntegrityError)
    return {
      event: 'audit-integrity-alert',
      code: e.code,
      ...(e.tenant !== undefined ? { tenant: e.tenant } : {}),
      ...(e.seq !== undefined ? { seq: e.seq } : {}),
      ...(e.code === 'witness-refused' ? { witnesses: e.message } : {}),
    };
  if (e instanceof AuditCoverageAlert)
    return {
      event: 'audit-coverage-alert',
      code: e.code,
      tenant: e.tenant,
      since: e.since.toISOString(),
      ...(e.until ? { until: e.until.toISOString() } : {}),
      ...(e.lastError ? { error: e.lastError } : {}),
    };
  if (e instanceof AuditSignerError)
    return {
      event: 'audit-signer-failed',
      code: e.code,
      tenant: e.tenant,
      ...(e.causeCode ? { cause: e.causeCode } : {}),
      ...(e.causeCode && WITNESS_CAUSES.has(e.causeCode) && e.cause instanceof Error
        ? { witnesses: e.cause.message }
        : {}),
    };
  return { event: 'audit-background-error', code: e instanceof Error ? e.name : 'unknown' };
}

/**
 * Why an append failed, for the log line of a withheld disclosure: the innermost code in the cause chain (a SQLSTATE
 * such as 40P01, an errno such as ECONNRESET, or the store's own: unsigned-tail, head-contention), else the
 * innermost error's class name. Never a message, which could carry data.
 */
export function appendFailureCode(e: unknown): string {
  let found: string | undefined;
  let name = 'unknown';
  let at: unknown = e;
  for (let depth = 0; depth < 5 && at instanceof Error; depth++) {
    const code = (at as { code?: unknown }).code;
    if ((typeof code === 'string' || typeof code === 'number') && code !== 'audit-unavailable')
      found = String(code);
    name = at.name;
    at = at.cause;
  }
  return found ?? name;
}
