import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEnv, EnvError, parseEnv } from './env';

describe('env', () => {
  it('starts with no variables on embedded defaults and generates secrets with mode 0600', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    const env = buildEnv({ DATA_DIR: dir });
    expect(env.APP_URL).toBe('http://localhost:3000');
    expect(env.AUDIT_DATABASE_URL).toBeUndefined();
    expect(env.SESSION_IDLE_MINUTES).toBe(15);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(env.secrets.sessionSecret, 'base64')).toHaveLength(32);
    expect(env.secrets.auditSigningKey).toContain('PRIVATE KEY');
    expect(env.secrets.smartClientKey).toContain('PRIVATE KEY');
    // A second start reads the same secrets instead of making new ones.
    const again = buildEnv({ DATA_DIR: dir });
    expect(again.secrets).toEqual(env.secrets);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      sessionSecret: env.secrets.sessionSecret,
    });
  });

  it('names the malformed variable', () => {
    expect(() => parseEnv({ APP_URL: 'not a url' })).toThrow(EnvError);
    expect(() => parseEnv({ APP_URL: 'not a url' })).toThrow(/APP_URL/);
    expect(() => parseEnv({ AUDIT_DATABASE_URL: 'mysql://x' })).toThrow(
      /AUDIT_DATABASE_URL: must be a postgres/,
    );
    expect(() => parseEnv({ SESSION_SECRET: 'c2hvcnQ=' })).toThrow(/SESSION_SECRET: must be 32 bytes/);
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  it('treats empty strings as unset and uses secure cookies only on https or loopback', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    expect(buildEnv({ DATA_DIR: dir, APP_URL: '' }).secureCookies).toBe(true);
    expect(buildEnv({ DATA_DIR: dir, APP_URL: 'http://chart.internal:3000' }).secureCookies).toBe(false);
    expect(buildEnv({ DATA_DIR: dir, APP_URL: 'https://chart.example.org' }).secureCookies).toBe(true);
  });

  it('accepts a NEXTAUTH_URL only where APP_URL puts the console’s sign-in', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    const APP_URL = 'https://chart.example.org';
    expect(buildEnv({ DATA_DIR: dir, APP_URL, NEXTAUTH_URL: `${APP_URL}/api/auth` }).NEXTAUTH_URL).toBe(
      `${APP_URL}/api/auth`,
    );
    expect(() =>
      buildEnv({ DATA_DIR: dir, APP_URL, NEXTAUTH_URL: 'https://other.example.org/api/auth' }),
    ).toThrow(/NEXTAUTH_URL: must be https:\/\/chart\.example\.org\/api\/auth/);
    expect(buildEnv({ DATA_DIR: dir }).CONSOLE_REQUIRE_SECOND_FACTOR).toBe('false');
    expect(() => parseEnv({ CONSOLE_REQUIRE_SECOND_FACTOR: 'yes' })).toThrow(/CONSOLE_REQUIRE_SECOND_FACTOR/);
  });
});
