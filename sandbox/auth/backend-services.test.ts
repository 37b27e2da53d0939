import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm } from '../test-support/oauth-client';
import { fhirBaseOf, fhirGet, startHarness, type Harness } from '../test-support/harness';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function assertion(
  h: Harness,
  opts: { key?: CryptoKey; clientId?: string; audience?: string } = {},
): Promise<string> {
  const clientId = opts.clientId ?? 'smart-chart-backend';
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS384', kid: h.appKid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(opts.audience ?? h.sandbox.endpoints.token)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(opts.key ?? h.appPrivateKey);
}

async function backendToken(
  h: Harness,
  scope: string,
  resource: string,
  signed?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return postForm(h.sandbox.endpoints.token, {
    grant_type: 'client_credentials',
    scope,
    resource,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: signed ?? (await assertion(h)),
  });
}

describe('SMART Backend Services (client_credentials with private_key_jwt)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('issues a system/ token that reads any Patient and Practitioner at its FHIR base', async () => {
    const base = fhirBaseOf(h, 'epic');
    const { status, json } = await backendToken(h, 'system/Patient.read system/Practitioner.read', base);
    expect(json.error_description ?? json.error).toBeUndefined();
    expect(status).toBe(200);
    expect(json.token_type).toBe('Bearer');
    expect(json.refresh_token).toBeUndefined();
    expect(String(json.scope).split(' ').sort()).toEqual(['system/Patient.read', 'system/Practitioner.read']);
    const token = String(json.access_token);
    expect(await fhirGet(`${base}/Patient/${h.patientA.id}`, token)).toBe(200);
    expect(await fhirGet(`${base}/Patient/${h.patientB.id}`, token)).toBe(200);
    expect(await fhirGet(`${base}/Practitioner/${h.practitioner.id}`, token)).toBe(200);
    expect(await fhirGet(`${base}/Patient?_id=${h.patientB.id}`, token)).toBe(200);

    const grant = await h.validateToken(token);
    expect(grant).toMatchObject({ clientId: 'smart-chart-backend', aud: base });
    expect(grant?.patient).toBeUndefined();
    expect(grant?.user).toBeUndefined();
    expect([...(grant?.scopes ?? [])].sort()).toEqual(['system/Patient.read', 'system/Practitioner.read']);
    // Bound to the FHIR base it was issued for.
    expect(await fhirGet(`${fhirBaseOf(h, 'generic')}/Patient/${h.patientA.id}`, token)).toBe(401);
  });

  it('grants only the system/ scopes the client is registered for: no Observation', async () => {
    const base = fhirBaseOf(h, 'generic');
    const { status, json } = await backendToken(h, 'system/Patient.rs system/Observation.read', base);
    expect(status).toBe(200);
    expect(json.scope).toBe('system/Patient.rs');
    const token = String(json.access_token);
    expect(await fhirGet(`${base}/Patient/${h.patientA.id}`, token)).toBe(200);
    expect(await fhirGet(`${base}/Observation?patient=${h.patientA.id}`, token)).toBe(403);
    expect(await fhirGet(`${base}/Practitioner/${h.practitioner.id}`, token)).toBe(403);

    const none = await backendToken(h, 'system/Observation.read', base);
    expect(none.status).toBe(400);
    expect(none.json.error).toBe('invalid_scope');
  });

  it('refuses a wrong client assertion', async () => {
    const base = fhirBaseOf(h, 'generic');
    const { privateKey: otherKey } = await generateKeyPair('RS384');
    const forged = await backendToken(h, 'system/Patient.read', base, await assertion(h, { key: otherKey }));
    expect(forged.status).toBe(401);
    expect(forged.json.error).toBe('invalid_client');
    expect(forged.json.access_token).toBeUndefined();

    const wrongAudience = await backendToken(
      h,
      'system/Patient.read',
      base,
      await assertion(h, { audience: 'https://evil.example/token' }),
    );
    expect(wrongAudience.status).toBe(401);

    // A user-facing client may not use the grant, even with a valid assertion.
    const otherClient = await backendToken(
      h,
      'system/Patient.read',
      base,
      await assertion(h, { clientId: 'smart-chart-jwt' }),
    );
    expect(otherClient.status).toBe(400);
    expect(otherClient.json.access_token).toBeUndefined();
  });

  it('refuses a resource that is not one of the FHIR bases', async () => {
    const { status, json } = await backendToken(h, 'system/Patient.read', 'https://evil.example/fhir');
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_target');
  });
});
