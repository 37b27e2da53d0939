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

/** The stored log does not match what it proves (used by proof verification, never by record()). */
export class AuditIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditIntegrityError';
  }
}
