import { describe, expect, it } from 'vitest';
import { hasRole, isConsoleRole } from './roles';

describe('console roles', () => {
  it('ranks viewer < auditor < admin', () => {
    expect(hasRole('viewer', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'auditor')).toBe(false);
    expect(hasRole('auditor', 'viewer')).toBe(true);
    expect(hasRole('auditor', 'admin')).toBe(false);
    expect(hasRole('admin', 'auditor')).toBe(true);
  });

  it('grants nothing to an account without a role', () => {
    expect(hasRole(null, 'viewer')).toBe(false);
    expect(hasRole(undefined, 'viewer')).toBe(false);
  });

  it('recognises only the three roles', () => {
    expect(isConsoleRole('auditor')).toBe(true);
    expect(isConsoleRole('root')).toBe(false);
  });
});
