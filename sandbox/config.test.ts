import { describe, expect, it } from 'vitest';
import { DEV_CLIENT_SECRET, loadSandboxConfig } from './config';

describe('loadSandboxConfig', () => {
  it('defaults to loopback on port 4000 with the chart app on port 3000', () => {
    const config = loadSandboxConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:4000',
      appUrl: 'http://localhost:3000',
      clientSecret: DEV_CLIENT_SECRET,
      accessTokenTtl: 3600,
      largePatient: true,
    });
    expect(config.bundlesDir).toBeUndefined();
    expect(config.seed).toBeUndefined();
  });

  it('parses overrides and strips trailing slashes from URLs', () => {
    const config = loadSandboxConfig({
      SANDBOX_PORT: '0',
      SANDBOX_PUBLIC_URL: 'http://ehr.test:8080/',
      SANDBOX_APP_URL: 'https://chart.test/',
      SANDBOX_ACCESS_TOKEN_TTL: '120',
      SANDBOX_LARGE_PATIENT: 'false',
      SANDBOX_SEED: '7',
      SANDBOX_BUNDLES_DIR: '/tmp/bundles',
    });
    expect(config).toMatchObject({
      port: 0,
      publicUrl: 'http://ehr.test:8080',
      appUrl: 'https://chart.test',
      accessTokenTtl: 120,
      largePatient: false,
      seed: 7,
      bundlesDir: '/tmp/bundles',
    });
  });

  it('rejects a non-http URL and names the variable', () => {
    expect(() => loadSandboxConfig({ SANDBOX_APP_URL: 'javascript:alert(1)' })).toThrow(/SANDBOX_APP_URL/);
    expect(() => loadSandboxConfig({ SANDBOX_PORT: '70000' })).toThrow(/SANDBOX_PORT/);
  });
});
