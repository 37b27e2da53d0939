import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretVariables } from '../test/support/secrets';
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

  it("makes a data directory that others can reach its owner's alone", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'env-')), 'var-lib-chart');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    buildEnv({ DATA_DIR: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
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

  it('refuses at start what would fail every request: a witness quorum beyond the witnesses, half a single sign-on, keys of the wrong kind', () => {
    const dir = () => mkdtempSync(path.join(tmpdir(), 'env-'));
    const witness = 'http://127.0.0.1:4100 localhost/w+0a1b2c3d+AeR2u0CTcqLW8Y4Zp5wZ5QK0sV2hIYvH9n2cQm8y8lFg';
    expect(() => buildEnv({ DATA_DIR: dir(), AUDIT_WITNESS_QUORUM: '2' })).toThrow(
      /AUDIT_WITNESS_QUORUM: 2, but AUDIT_WITNESSES lists 0 witnesses \(npm start runs one/,
    );
    expect(() => buildEnv({ DATA_DIR: dir(), AUDIT_WITNESSES: witness, AUDIT_WITNESS_QUORUM: '2' })).toThrow(
      /AUDIT_WITNESS_QUORUM: 2, but AUDIT_WITNESSES lists 1 witness:/,
    );
    expect(() => buildEnv({ DATA_DIR: dir(), CONSOLE_OIDC_ISSUER: 'https://idp.example.org' })).toThrow(
      /single sign-on needs all three/,
    );
    const pem = (k: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
      k.export({ type: 'pkcs8', format: 'pem' }).toString();
    const p256 = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expect(() => buildEnv({ DATA_DIR: dir(), AUDIT_SIGNING_KEY: p256 })).toThrow(
      /AUDIT_SIGNING_KEY: must be an Ed25519 private key/,
    );
    expect(() => buildEnv({ DATA_DIR: dir(), SMART_CLIENT_KEY: p256 })).toThrow(
      /SMART_CLIENT_KEY: must be a P-384/,
    );
  });

  it('makes DATA_DIR private at every start, also with every secret in the environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    chmodSync(dir, 0o755);
    buildEnv({ DATA_DIR: dir, ...secretVariables() });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  });

  describe('never makes new audit keys beside an audit log that exists', () => {
    const KEYS = {
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      AUDIT_HMAC_KEY: Buffer.alloc(32, 1).toString('base64'),
      AUDIT_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    const withLog = (where: 'audit' | 'checkpoints'): string => {
      const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
      mkdirSync(path.join(dir, where));
      writeFileSync(path.join(dir, where, where === 'audit' ? 'PG_VERSION' : 'app.1'), '17\n');
      return dir;
    };

    it('refuses when secrets.json is missing and the embedded log or its checkpoints are there, and writes none', () => {
      for (const where of ['audit', 'checkpoints'] as const) {
        const dir = withLog(where);
        expect(() => buildEnv({ DATA_DIR: dir })).toThrow(EnvError);
        expect(() => buildEnv({ DATA_DIR: dir })).toThrow(
          new RegExp(`secrets\\.json is missing, but an audit log .* is here \\(${dir}/${where}\\)`),
        );
        expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
      }
    });

    it('refuses for a checkpoint directory elsewhere with the log on PostgreSQL', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
      const checkpoints = path.join(withLog('checkpoints'), 'checkpoints');
      expect(() =>
        buildEnv({
          DATA_DIR: dir,
          AUDIT_DATABASE_URL: 'postgresql://app@db/audit',
          AUDIT_CHECKPOINT_DIR: checkpoints,
        }),
      ).toThrow(/Refusing to make new audit keys/);
    });

    it('refuses to add a missing audit key to an existing file, and leaves the file as it was', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
      const first = buildEnv({ DATA_DIR: dir });
      mkdirSync(path.join(dir, 'audit'));
      writeFileSync(path.join(dir, 'audit', 'PG_VERSION'), '17\n');
      const file = path.join(dir, 'secrets.json');
      const { auditHmacKey: _dropped, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<
        string,
        string
      >;
      writeFileSync(file, JSON.stringify(rest));
      expect(() => buildEnv({ DATA_DIR: dir })).toThrow(
        /secrets\.json has no auditHmacKey, but an audit log/,
      );
      expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(rest));
      // Restored from a backup, the same start goes ahead with the keys the log was made with.
      writeFileSync(file, JSON.stringify({ ...rest, auditHmacKey: first.secrets.auditHmacKey }));
      expect(buildEnv({ DATA_DIR: dir }).secrets).toEqual(first.secrets);
    });

    it('goes ahead when the audit keys come from the environment, making only the others', () => {
      const dir = withLog('audit');
      const e = buildEnv({ DATA_DIR: dir, ...KEYS });
      expect(e.secrets.auditHmacKey).toBe(KEYS.AUDIT_HMAC_KEY);
      expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toHaveProperty(
        'sessionSecret',
      );
    });
  });
});
