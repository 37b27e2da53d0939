import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONALITIES } from './contract';
import { fhirBaseOf, startHarness, type Harness } from './test-support/harness';

describe('sandbox server routing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('binds to loopback on an ephemeral port and reports health', async () => {
    expect(h.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${h.sandbox.url}/_sandbox/health`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the directory for tests', async () => {
    const directory = (await (await fetch(`${h.sandbox.url}/_sandbox/directory`)).json()) as {
      patients: { id: string }[];
    };
    expect(directory.patients.map((p) => p.id)).toContain(h.patientA.id);
  });

  it.each(PERSONALITIES)('serves %s smart-configuration next to its FHIR API', async (personality) => {
    const response = await fetch(`${fhirBaseOf(h, personality)}/.well-known/smart-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const config = (await response.json()) as Record<string, unknown>;
    expect(config.token_endpoint).toBe(h.sandbox.endpoints.token);
    const metadata = await fetch(`${fhirBaseOf(h, personality)}/metadata`);
    expect(metadata.status).toBe(200);
  });

  it('publishes the issuer metadata and JWKS under /oauth', async () => {
    const discovery = (await (
      await fetch(`${h.sandbox.endpoints.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(h.sandbox.endpoints.issuer);
    expect(discovery.jwks_uri).toBe(h.sandbox.endpoints.jwks);
    expect(discovery.response_types_supported).toEqual(['code']);
    const jwks = (await (await fetch(h.sandbox.endpoints.jwks)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('answers 404 for unknown FHIR bases and paths, and 401 without a token', async () => {
    expect((await fetch(`${h.sandbox.url}/meditech/fhir/Patient`)).status).toBe(404);
    expect((await fetch(`${h.sandbox.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${fhirBaseOf(h, 'generic')}/Patient/${h.patientA.id}`)).status).toBe(401);
  });

  it('renders the launch page with escaped directory values and a strict CSP', async () => {
    const response = await fetch(`${h.sandbox.url}/`);
    const html = await response.text();
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('action="/launch/ehr"');
    expect(html).toContain(`value="${h.patientA.id}"`);
    for (const personality of PERSONALITIES) expect(html).toContain(`value="${personality}"`);
  });

  it('creates launches over JSON for tests', async () => {
    const response = await fetch(`${h.sandbox.url}/_sandbox/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        practitioner: h.practitioner.id,
        patient: h.patientB.id,
        personality: 'nextgen',
        faults: [{ kind: 'status-500', count: 1 }],
      }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { launch: string; iss: string; url: string };
    expect(body.iss).toBe(fhirBaseOf(h, 'nextgen'));
    expect(body.url).toBe(`${h.appUrl}/launch?iss=${encodeURIComponent(body.iss)}&launch=${body.launch}`);
  });
});
