import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { backendAccessToken, canReadWithoutUser, clearBackendTokenCache } from './backend-services';
import type { SmartConfiguration } from './discovery';
import { sandboxRegistrations, type EhrRegistration } from './registrations';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const regs = sandboxRegistrations('http://127.0.0.1:4000');
const epic = regs.find((r) => r.id === 'sandbox-epic') as EhrRegistration;
const TOKEN_URL = 'http://127.0.0.1:4000/oauth/token';
const config = { token_endpoint: TOKEN_URL } as SmartConfiguration;

function fakeEhr(answer: (n: number) => Response) {
  const bodies: URLSearchParams[] = [];
  const fetchImpl: typeof fetch = async (_url, init) => {
    bodies.push(init?.body instanceof URLSearchParams ? init.body : new URLSearchParams());
    return answer(bodies.length);
  };
  return { bodies, fetchImpl };
}
const ok = (n: number, expiresIn = 300) =>
  Response.json({ access_token: `token-${n}`, token_type: 'bearer', expires_in: expiresIn });

beforeEach(() => clearBackendTokenCache());

describe('SMART Backend Services token client', () => {
  it('asks with client_credentials, a private_key_jwt assertion and the registered scopes', async () => {
    const { bodies, fetchImpl } = fakeEhr((n) => ok(n));
    const token = await backendAccessToken(epic, {
      clientKeyPem: pem,
      allowHttp: true,
      fetch: fetchImpl,
      discover: async () => config,
    });
    expect(token).toBe('token-1');
    const body = bodies[0]!;
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.get('scope')).toBe('system/Patient.read system/Practitioner.read');
    expect(body.get('resource')).toBe(epic.issuer);
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const claims = decodeJwt(body.get('client_assertion') ?? '');
    expect(claims).toMatchObject({ iss: 'smart-chart-backend', sub: 'smart-chart-backend', aud: TOKEN_URL });
  });

  it('caches per registration until a minute before expiry, sharing one request', async () => {
    let now = 1_000_000;
    const { bodies, fetchImpl } = fakeEhr((n) => ok(n));
    const deps = {
      clientKeyPem: pem,
      allowHttp: true,
      fetch: fetchImpl,
      discover: async () => config,
      now: () => now,
    };
    const [a, b] = await Promise.all([backendAccessToken(epic, deps), backendAccessToken(epic, deps)]);
    expect([a, b]).toEqual(['token-1', 'token-1']);
    now += 239_000;
    expect(await backendAccessToken(epic, deps)).toBe('token-1');
    now += 1_000;
    expect(await backendAccessToken(epic, deps)).toBe('token-2');
    const generic = regs.find((r) => r.id === 'sandbox-generic') as EhrRegistration;
    expect(await backendAccessToken(generic, deps)).toBe('token-3');
    expect(bodies).toHaveLength(3);
  });

  it('does not cache a refusal, and says which EHR refused with the OAuth code only', async () => {
    const { fetchImpl } = fakeEhr((n) =>
      n === 1
        ? Response.json({ error: 'invalid_client', error_description: 'echo <x>' }, { status: 401 })
        : ok(n),
    );
    const deps = { clientKeyPem: pem, allowHttp: true, fetch: fetchImpl, discover: async () => config };
    const refused = await backendAccessToken(epic, deps).catch((e: unknown) => e);
    expect(refused).toMatchObject({ userMessage: expect.stringMatching(/Sandbox EHR.*invalid_client/) });
    expect(String((refused as Error).message)).not.toContain('echo');
    await expect(backendAccessToken(epic, deps)).resolves.toBe('token-2');
  });

  it('needs no token for open servers and refuses registrations without backend services', async () => {
    const open = regs.find((r) => r.id === 'sandbox-open') as EhrRegistration;
    expect(canReadWithoutUser(open)).toBe(true);
    expect(await backendAccessToken(open, { clientKeyPem: pem })).toBeUndefined();
    const bare = { ...epic, backendServices: undefined };
    expect(canReadWithoutUser(bare)).toBe(false);
    await expect(backendAccessToken(bare, { clientKeyPem: pem })).rejects.toThrow(/Backend Services/);
  });
});
