import { describe, expect, it } from 'vitest';
import { auditAlert, AuditIntegrityError, AuditSignerError } from './errors';

describe('auditAlert', () => {
  it('carries the tenant, a code and the place, never a message', () => {
    const e = new AuditIntegrityError('refusing to sign ehr: event 7 … Patient/123', {
      code: 'event-mismatch',
      tenant: 'ehr',
      seq: 7,
    });
    expect(auditAlert(e)).toEqual({
      event: 'audit-integrity-alert',
      code: 'event-mismatch',
      tenant: 'ehr',
      seq: 7,
    });
  });

  it('gives a failing signer its cause code (SQLSTATE or errno) only', () => {
    const cause = Object.assign(new Error('permission denied for function add_checkpoint'), {
      code: '42501',
    });
    expect(auditAlert(new AuditSignerError('ehr', cause))).toEqual({
      event: 'audit-signer-failed',
      code: 'signer-failed',
      tenant: 'ehr',
      cause: '42501',
    });
    expect(JSON.stringify(auditAlert(new Error('Patient/123')))).not.toContain('Patient');
  });
});
