import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERSONALITIES } from '../contract';
import { oauthEndpoints } from './provider';
import { smartConfiguration } from './smart-configuration';

const endpoints = oauthEndpoints('http://localhost:4000');

describe('smartConfiguration', () => {
  it.each(PERSONALITIES)('%s advertises the SMART 2.x essentials', (personality) => {
    const config = smartConfiguration(endpoints, personality);
    expect(config.issuer).toBe('http://localhost:4000/oauth');
    expect(config.authorization_endpoint).toBe('http://localhost:4000/oauth/auth');
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
    expect(config.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'sso-openid-connect',
        'permission-v1',
      ]),
    );
    expect(config.scopes_supported).toEqual(
      expect.arrayContaining(['launch', 'openid', 'fhirUser', 'offline_access']),
    );
  });

  it.each(PERSONALITIES)('%s advertises SMART Backend Services', (personality) => {
    const config = smartConfiguration(endpoints, personality);
    expect(config.capabilities).toContain('client-confidential-asymmetric');
    expect(config.grant_types_supported).toContain('client_credentials');
    expect(config.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(config.token_endpoint_auth_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES384', 'RS384']),
    );
  });

  it('lets only Cerner drop SMART v2 permissions', () => {
    expect(smartConfiguration(endpoints, 'cerner').capabilities).not.toContain('permission-v2');
    expect(smartConfiguration(endpoints, 'epic').capabilities).toContain('permission-v2');
  });
});

const vendorsDir = path.resolve(import.meta.dirname, '../../../shared/fixtures/vendors');

describe.skipIf(!existsSync(vendorsDir))(
  'smartConfiguration against recorded vendor documents (needs ../shared/fixtures)',
  () => {
    it('carries every endpoint field the vendors publish', () => {
      // Read inside the test: Vitest runs a skipped suite's body too, to list its tests.
      const recorded = readdirSync(vendorsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((dir) =>
          readdirSync(path.join(vendorsDir, dir.name))
            .filter((file) => file.startsWith('smart-configuration') && file.endsWith('.json'))
            .map((file) => path.join(vendorsDir, dir.name, file)),
        );
      expect(recorded.length).toBeGreaterThan(0);
      const ours = Object.keys(smartConfiguration(endpoints, 'generic'));
      const endpointFields = new Set(
        recorded
          .flatMap((file) => Object.keys(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>))
          .filter(
            (key) =>
              key.endsWith('_endpoint') &&
              key !== 'management_endpoint' &&
              key !== 'registration_endpoint' &&
              key !== 'userinfo_endpoint',
          ),
      );
      for (const field of endpointFields) expect(ours).toContain(field);
    });
  },
);
