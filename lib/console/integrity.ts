import { auditAlert, AuditIntegrityError, type AuditIntegrityCode } from '../audit/errors';

/** A stored audit event that failed its check while the console read it: where, and what kind of failure. */
export interface IntegrityFailure {
  readonly tenant: string;
  readonly seq?: number;
  readonly code: AuditIntegrityCode;
}

export function integrityFailure(e: unknown): IntegrityFailure | undefined {
  if (!(e instanceof AuditIntegrityError) || e.tenant === undefined) return undefined;
  return { tenant: e.tenant, ...(e.seq !== undefined ? { seq: e.seq } : {}), code: e.code };
}

/** What an officer reads: where the log fails its check, what that means and what to do. */
export function integrityMessage(f: IntegrityFailure): string {
  const where = `tenant ${f.tenant}${f.seq !== undefined ? `, sequence number ${f.seq}` : ''}`;
  return (
    `Audit log integrity error (${where}): the stored event fails its check (${f.code}). Its sealed content ` +
    `cannot be opened with the log's keys or does not match its signed record, so it was altered or forged. ` +
    `Run the integrity check (Integrity page, or npm run audit:verify) and treat this as a security incident.`
  );
}

/** The alert line the audit store writes for a failed check (tenant, sequence number, code; never content). */
export function alertIntegrity(e: unknown): void {
  console.error(JSON.stringify(auditAlert(e)));
}

/**
 * Runs a console read; an event failing its check is alerted and becomes an IntegrityFailure to
 * show instead of a server error. Anything else is rethrown.
 */
export async function readChecked<T>(
  read: () => Promise<T>,
): Promise<{ readonly value: T } | { readonly failure: IntegrityFailure }> {
  try {
    return { value: await read() };
  } catch (e) {
    const failure = integrityFailure(e);
    if (!failure) throw e;
    alertIntegrity(e);
    return { failure };
  }
}
