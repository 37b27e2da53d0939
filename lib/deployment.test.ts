import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretVariables } from '../test/support/secrets';
import { buildEnv, EnvError } from './env';

const SECRETS = secretVariables();
const DATABASES = {
  AUDIT_DATABASE_URL: 'postgresql://chart_audit:pw@db.internal/audit',
  STATE_DATABASE_URL: 'postgresql://chart_state:pw@db.internal/state',
  AUDIT_CHECKPOINT_DIR: '/mnt/shared/checkpoints',
};

function refusal(vars: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
  try {
    buildEnv({ DATA_DIR: dir, DEPLOYMENT: 'cluster', ...vars });
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    // Refused before anything was generated.
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    return (e as Error).message;
  }
  throw new Error('expected the set-up to be refused');
}

describe('DEPLOYMENT=cluster', () => {
  it('refuses generated secrets and names every missing one with the fix', () => {
    const message = refusal({ ...DATABASES, SESSION_SECRET: SECRETS.SESSION_SECRET });
    expect(message).toMatch(/^DEPLOYMENT=cluster refuses this set-up:/);
    expect(message).toContain(
      'NEXTAUTH_SECRET, AUDIT_SIGNING_KEY, AUDIT_HMAC_KEY, AUDIT_ENCRYPTION_KEY, SMART_CLIENT_KEY not set',
    );
    expect(message).toContain('Fix: give every instance the same values from your secret manager');
    expect(message).not.toContain('DATABASE_URL');
  });

  it('refuses PGlite for the audit store and for the launch store', () => {
    expect(refusal({ ...SECRETS, STATE_DATABASE_URL: DATABASES.STATE_DATABASE_URL })).toMatch(
      /AUDIT_DATABASE_URL not set: .*PGlite.* Fix: point every instance at one PostgreSQL audit database/,
    );
    expect(refusal({ ...SECRETS, AUDIT_DATABASE_URL: DATABASES.AUDIT_DATABASE_URL })).toMatch(
      /STATE_DATABASE_URL not set: .*PGlite.* Fix: point every instance at one PostgreSQL database/,
    );
  });

  it('refuses checkpoints kept in the data directory of each instance', () => {
    const { AUDIT_CHECKPOINT_DIR: _shared, ...databases } = DATABASES;
    expect(refusal({ ...SECRETS, ...databases })).toMatch(
      /^ {2}- AUDIT_CHECKPOINT_DIR not set: .* Fix: give every instance the same directory on shared, append-only storage\.$/m,
    );
  });

  it('refuses the audit login for the launch store', () => {
    const message = refusal({
      ...SECRETS,
      ...DATABASES,
      STATE_DATABASE_URL: 'postgresql://chart_audit:pw@db.internal/state',
    });
    expect(message).toContain("STATE_DATABASE_URL uses the audit store's login. Fix:");
  });

  it('starts with shared secrets and PostgreSQL for both stores, and writes no secrets file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
    const env = buildEnv({ DATA_DIR: dir, DEPLOYMENT: 'cluster', ...SECRETS, ...DATABASES });
    expect(env.DEPLOYMENT).toBe('cluster');
    expect(env.secrets.sessionSecret).toBe(SECRETS.SESSION_SECRET);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  });

  it('leaves the embedded defaults to a single instance', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'single-'));
    expect(buildEnv({ DATA_DIR: dir }).DEPLOYMENT).toBe('single');
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(true);
  });
});
