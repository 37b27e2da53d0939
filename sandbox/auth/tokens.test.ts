import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm } from '../test-support/oauth-client';
import {
  authorize,
  codeOf,
  ehrLaunchCode,
  exchangePublic,
  fhirBaseOf,
  fhirGet,
  launchAndExchange,
  startHarness,
  type Harness,
} from '../test-support/harness';

const refresh = (h: Harness, refreshToken: string) =>
  postForm(h.sandbox.endpoints.token, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: 'smart-chart',
  });

describe('tokens issued by the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('generic: refresh rotates the refresh token and keeps the launch context', async () => {
    const first = await launchAndExchange(
      h,
      'generic',
      h.patientA.id,
      'launch openid fhirUser patient/*.read offline_access',
    );
    expect(first.json.expires_in).toBe(3600);
    const counts = async () =>
      (await (await fetch(`${h.sandbox.url}/_sandbox/token-requests`)).json()) as Record<string, number>;
    const before = await counts();
    const refreshed = await refresh(h, String(first.json.refresh_token));
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).toEqual(expect.any(String));
    expect(refreshed.json.refresh_token).not.toBe(first.json.refresh_token);
    expect(refreshed.json.patient).toBe(h.patientA.id);
    expect(
      await fhirGet(
        `${fhirBaseOf(h, 'generic')}/Patient/${h.patientA.id}`,
        String(refreshed.json.access_token),
      ),
    ).toBe(200);
    // The rotated-out refresh token is spent.
    expect((await refresh(h, String(first.json.refresh_token))).status).toBe(400);
    // Both refresh attempts reached the token endpoint, the refused one included.
    expect((await counts()).refresh_token).toBe((before.refresh_token ?? 0) + 2);
  });

  it('cerner: 570-second access tokens and no new refresh token on refresh', async () => {
    const first = await launchAndExchange(
      h,
      'cerner',
      h.patientA.id,
      'launch openid fhirUser patient/*.read online_access',
    );
    expect(first.json.expires_in).toBe(570);
    const refreshed = await refresh(h, String(first.json.refresh_token));
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.expires_in).toBe(570);
    expect(refreshed.json.refresh_token).toBeUndefined();
    // Without rotation the original refresh token keeps working.
    expect((await refresh(h, String(first.json.refresh_token))).status).toBe(200);
  });

  it('enforces the patient context and scopes at the FHIR server', async () => {
    const { json } = await launchAndExchange(
      h,
      'epic',
      h.patientA.id,
      'launch patient/Patient.read patient/Observation.rs',
    );
    const token = String(json.access_token);
    const base = fhirBaseOf(h, 'epic');
    expect(await fhirGet(`${base}/Patient/${h.patientA.id}`, token)).toBe(200);
    expect(await fhirGet(`${base}/Patient/${h.patientB.id}`, token)).toBe(403);
    expect(await fhirGet(`${base}/Condition?patient=${h.patientA.id}`, token)).toBe(403);
    // A token is bound to the FHIR base it was issued for.
    expect(await fhirGet(`${fhirBaseOf(h, 'cerner')}/Patient/${h.patientA.id}`, token)).toBe(401);
    expect(await fhirGet(`${base}/Patient/${h.patientA.id}`, 'not-a-token-at-all')).toBe(401);
  });

  it('revocation: a revoked access token gets 401 from the FHIR server', async () => {
    const { json } = await launchAndExchange(h, 'athena', h.patientB.id, 'launch patient/*.read');
    const token = String(json.access_token);
    const url = `${fhirBaseOf(h, 'athena')}/Patient/${h.patientB.id}`;
    expect(await fhirGet(url, token)).toBe(200);
    const revoked = await postForm(h.sandbox.endpoints.revoke, {
      token,
      token_type_hint: 'access_token',
      client_id: 'smart-chart',
    });
    expect(revoked.status).toBe(200);
    expect(await fhirGet(url, token)).toBe(401);
  });

  it('revoking the refresh token revokes the whole grant', async () => {
    const { json } = await launchAndExchange(
      h,
      'nextgen',
      h.patientA.id,
      'launch patient/*.read offline_access',
    );
    await postForm(h.sandbox.endpoints.revoke, {
      token: String(json.refresh_token),
      token_type_hint: 'refresh_token',
      client_id: 'smart-chart',
    });
    expect(
      await fhirGet(`${fhirBaseOf(h, 'nextgen')}/Patient/${h.patientA.id}`, String(json.access_token)),
    ).toBe(401);
    expect((await refresh(h, String(json.refresh_token))).status).toBe(400);
  });

  it('introspection reports the token active with its SMART context', async () => {
    const { json } = await launchAndExchange(h, 'generic', h.patientA.id, 'launch patient/*.read');
    const result = await postForm(h.sandbox.endpoints.introspect, {
      token: String(json.access_token),
      client_id: 'smart-chart',
    });
    expect(result.json).toMatchObject({
      active: true,
      client_id: 'smart-chart',
      patient: h.patientA.id,
      aud: fhirBaseOf(h, 'generic'),
    });
  });

  it('tells the FHIR server what a token stands for, launch faults included', async () => {
    const faults = JSON.stringify([{ kind: 'revoke-after', requests: 2 }]);
    const query = new URLSearchParams({
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
      personality: 'epic',
      faults,
    });
    const { iss, launch } = await ehrLaunchCode(h, Object.fromEntries(query));
    const { outcome, pkce } = await authorize(h, {
      scope: 'launch openid fhirUser patient/*.read',
      aud: iss,
      launch,
    });
    const { json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
    const grant = await h.validateToken(String(json.access_token));
    expect(grant).toMatchObject({
      clientId: 'smart-chart',
      patient: h.patientA.id,
      user: `Practitioner/${h.practitioner.id}`,
      aud: fhirBaseOf(h, 'epic'),
      faults: [{ kind: 'revoke-after', requests: 2 }],
    });
    expect([...grant!.scopes].sort()).toEqual(['fhirUser', 'launch', 'openid', 'patient/*.read']);
    expect(grant!.grantId).toEqual(expect.any(String));
    expect(await h.validateToken('unknown-token-value-0000')).toBeUndefined();

    const bad = await fetch(
      `${h.sandbox.url}/launch/ehr?${new URLSearchParams({ practitioner: h.practitioner.id, patient: h.patientA.id, faults: '{"kind":"boom"}' })}`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
  });
});
