import { describe, expect, it } from 'vitest';
import { decideAccess, parseScope } from './scopes';

describe('parseScope', () => {
  it('reads SMART v1 scopes', () => {
    expect(parseScope('patient/Observation.read')).toMatchObject({
      context: 'patient',
      resourceType: 'Observation',
      read: true,
      search: true,
    });
    expect(parseScope('user/*.read')).toMatchObject({
      context: 'user',
      resourceType: '*',
      read: true,
      search: true,
    });
    expect(parseScope('patient/*.*')).toMatchObject({ read: true, search: true });
    expect(parseScope('patient/Observation.write')).toMatchObject({ read: false, search: false });
  });

  it('reads SMART v2 scopes with query restrictions', () => {
    const rule = parseScope('patient/Observation.rs?category=laboratory');
    expect(rule).toMatchObject({ read: true, search: true });
    expect(rule?.restriction?.get('category')).toBe('laboratory');
    expect(parseScope('patient/Condition.s')).toMatchObject({ read: false, search: true });
    expect(parseScope('user/Patient.cruds')).toMatchObject({ read: true, search: true });
  });

  it('rejects malformed scopes and v2 letters out of order', () => {
    expect(parseScope('openid')).toBeUndefined();
    expect(parseScope('launch/patient')).toBeUndefined();
    expect(parseScope('patient/Observation.sr')).toBeUndefined();
  });
});

describe('decideAccess', () => {
  it('has no rules when no scope covers the type', () => {
    expect(decideAccess(['patient/Observation.read'], 'Condition', 'search').rules).toHaveLength(0);
  });

  it('confines patient scopes to the compartment, unless a user scope is wider', () => {
    expect(decideAccess(['patient/*.read'], 'Observation', 'read').patientOnly).toBe(true);
    expect(decideAccess(['patient/*.read', 'user/Observation.read'], 'Observation', 'read').patientOnly).toBe(
      false,
    );
  });

  it('separates read from search in v2', () => {
    expect(decideAccess(['patient/Observation.s'], 'Observation', 'read').rules).toHaveLength(0);
    expect(decideAccess(['patient/Observation.s'], 'Observation', 'search').rules).toHaveLength(1);
  });
});
