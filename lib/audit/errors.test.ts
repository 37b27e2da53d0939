import { describe, expect, it } from 'vitest';
import {
  appendFailureCode,
  auditAlert,
  AuditIntegrityError,
  AuditSignerError,
  AuditUnavailableError,
} from './errors';
import { WitnessQuorumError } from './witnesses';

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

  it('names the witnesses when they refuse or do not answer', () => {
    const quorum = new WitnessQuorumError('ehr', '0 of 1 cosignatures: w1.example/w: HTTP 503');
    expect(auditAlert(new AuditSignerError('ehr', quorum))).toMatchObject({
      cause: 'witness-quorum',
      witnesses: 'no witness quorum for ehr: 0 of 1 cosignatures: w1.example/w: HTTP 503',
    });
    const refused = new AuditIntegrityError('refusing to sign ehr: witness w1 has cosigned tree size 20', {
      code: 'witness-refused',
      tenant: 'ehr',
    });
    expect(auditAlert(refused).witnesses).toMatch(/witness w1 has cosigned tree size 20/);
  });
});

describe('appendFailureCode', () => {
  it('names the innermost code of a failed append, or its class, never its message', () => {
    const pgError = Object.assign(new Error('duplicate key value (tenant, seq)=(ehr, 7)'), { code: '23505' });
    expect(appendFailureCode(new AuditUnavailableError({ cause: pgError }))).toBe('23505');
    const contention = Object.assign(new Error('the chain head kept moving'), { code: 'head-contention' });
    expect(appendFailureCode(new AuditUnavailableError({ cause: contention }))).toBe('head-contention');
    expect(appendFailureCode(new AuditUnavailableError({ cause: new TypeError('Patient/123') }))).toBe(
      'TypeError',
    );
    expect(appendFailureCode(new AuditUnavailableError())).toBe('AuditUnavailableError');
    expect(appendFailureCode('a string')).toBe('unknown');
  });
});
