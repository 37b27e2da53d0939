import { describe, expect, it } from 'vitest';
import { decideScopes, parseResourceScope, type ScopeContext } from './scopes';

const clinicianLaunch: ScopeContext = {
  userType: 'Practitioner',
  hasPatient: true,
  hasEncounter: false,
  ehrLaunch: true,
};
const portalUser: ScopeContext = {
  userType: 'Patient',
  hasPatient: true,
  hasEncounter: false,
  ehrLaunch: false,
};

describe('parseResourceScope', () => {
  it('reads SMART v1 and v2 resource scopes', () => {
    expect(parseResourceScope('patient/Observation.read')).toEqual({
      level: 'patient',
      resourceType: 'Observation',
      permissions: 'read',
    });
    expect(parseResourceScope('user/*.rs')).toEqual({ level: 'user', resourceType: '*', permissions: 'rs' });
    expect(parseResourceScope('patient/Observation.rs?category=laboratory')?.permissions).toBe('rs');
  });

  it('rejects malformed scopes', () => {
    for (const bad of [
      'patient/Observation',
      'patient/observation.read',
      'patient/Observation.sr',
      'group/*.read',
      'patient/Observation.',
    ]) {
      expect(parseResourceScope(bad)).toBeUndefined();
    }
  });
});

describe('decideScopes', () => {
  it('grants what a clinician EHR launch asks for and refuses unknown or system scopes', () => {
    const decision = decideScopes(
      [
        'launch',
        'openid',
        'fhirUser',
        'patient/*.read',
        'user/Practitioner.read',
        'system/*.read',
        'launch/encounter',
        'weird',
        'openid',
      ],
      clinicianLaunch,
    );
    expect(decision.granted).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'patient/*.read',
      'user/Practitioner.read',
    ]);
    expect(decision.rejected).toEqual(['system/*.read', 'launch/encounter', 'weird']);
  });

  it('gives a portal user patient scopes only, and no launch without an EHR launch', () => {
    const decision = decideScopes(
      ['launch', 'launch/patient', 'patient/Observation.rs', 'user/*.read', 'offline_access'],
      portalUser,
    );
    expect(decision.granted).toEqual(['launch/patient', 'patient/Observation.rs', 'offline_access']);
    expect(decision.rejected).toEqual(['launch', 'user/*.read']);
  });

  it('refuses patient scopes when no patient is in context', () => {
    const decision = decideScopes(['patient/*.read', 'user/*.read'], {
      ...clinicianLaunch,
      hasPatient: false,
      ehrLaunch: false,
    });
    expect(decision.granted).toEqual(['user/*.read']);
    expect(decision.rejected).toEqual(['patient/*.read']);
  });
});
