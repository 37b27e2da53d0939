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
  INSTANCES: '3',
  AUDIT_WITNESSES:
    'https://w1.witness.example/ w1.witness.example+0123abcd+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=, ' +
    'https://w2.witness.example/ w2.witness.example+4567cdef+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=',
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

  it('refuses an embedded audit store and an embedded launch store', () => {
    expect(refusal({ ...SECRETS, STATE_DATABASE_URL: DATABASES.STATE_DATABASE_URL })).toMatch(
      /AUDIT_DATABASE_URL not set: .*PGlite.* Fix: point every instance at one PostgreSQL audit database/,
    );
    expect(refusal({ ...SECRETS, AUDIT_DATABASE_URL: DATABASES.AUDIT_DATABASE_URL })).toMatch(
      /STATE_DATABASE_URL not set: .*embedded database.* Fix: point every instance at one PostgreSQL database/,
    );
  });

  it('refuses checkpoints kept in the data directory of each instance', () => {
    const { AUDIT_CHECKPOINT_DIR: _shared, ...databases } = DATABASES;
    expect(refusal({ ...SECRETS, ...databases })).toMatch(
      /^ {2}- AUDIT_CHECKPOINT_DIR not set: .* Fix: give every instance the same directory on shared, append-only storage\.$/m,
    );
  });

  it('refuses checkpoints without witnesses, naming how to run them', () => {
    const { AUDIT_WITNESSES: _witnesses, ...rest } = DATABASES;
    const message = refusal({ ...SECRETS, ...rest });
    expect(message).toMatch(
      /^ {2}- AUDIT_WITNESSES not set: .* Fix: run one or more witnesses \(scripts\/witness\.ts\) .* set AUDIT_WITNESSES to their "<URL> <vkey>" entries/m,
    );
    expect(message.split('\n')).toHaveLength(2);
  });

  it('refuses a witness quorum larger than the witnesses listed, and a quorum of none', () => {
    expect(refusal({ ...SECRETS, ...DATABASES, AUDIT_WITNESS_QUORUM: '3' })).toContain(
      'AUDIT_WITNESS_QUORUM is 3 but AUDIT_WITNESSES lists 2. Fix: set a quorum from 1 to 2',
    );
    expect(() =>
      buildEnv({
        DATA_DIR: tmpdir(),
        DEPLOYMENT: 'cluster',
        ...SECRETS,
        ...DATABASES,
        AUDIT_WITNESS_QUORUM: '0',
      }),
    ).toThrow(/AUDIT_WITNESS_QUORUM/);
    const dir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
    expect(
      buildEnv({ DATA_DIR: dir, DEPLOYMENT: 'cluster', ...SECRETS, ...DATABASES, AUDIT_WITNESS_QUORUM: '1' })
        .DEPLOYMENT,
    ).toBe('cluster');
  });

  it("refuses an unknown number of instances, since each would take the whole of every EHR's limit", () => {
    const { INSTANCES: _instances, ...rest } = DATABASES;
    const message = refusal({ ...SECRETS, ...rest });
    expect(message).toMatch(/^ {2}- INSTANCES not set: .* Fix: set INSTANCES to the number of instances/m);
    expect(message.split('\n')).toHaveLength(2);
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
