import { SignJWT, createRemoteJWKSet, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, basicAuth, get, postForm } from '../test-support/oauth-client';
import {
  TEST_SECRET,
  authorize,
  codeOf,
  ehrLaunchCode,
  exchangePublic,
  fhirBaseOf,
  startHarness,
  type Harness,
} from '../test-support/harness';

const SCOPE = 'launch openid fhirUser patient/*.read';

describe('EHR launch against the sandbox authorization server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('redirects the EHR user straight to the app launch URL with the personality as iss', async () => {
    const response = await fetch(
      `${h.sandbox.url}/launch/ehr?practitioner=${h.practitioner.id}&patient=${h.patientA.id}&personality=epic`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${h.appUrl}/launch`);
    expect(location.searchParams.get('iss')).toBe(fhirBaseOf(h, 'epic'));
    expect(location.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('frames the app in the embedded-EHR page when asked to', async () => {
    const response = await fetch(
      `${h.sandbox.url}/launch/ehr?practitioner=${h.practitioner.id}&patient=${h.patientA.id}&frame=1`,
      { redirect: 'manual' },
    );
    const framePage = await fetch(response.headers.get('location')!);
    const html = await framePage.text();
    expect(framePage.headers.get('content-security-policy')).toContain(`frame-src 'self' ${h.appUrl}`);
    expect(html).toContain(`<iframe title="Chart app" src="${h.appUrl}/launch?iss=`);
    expect(html).toContain(h.patientA.name);
  });

  it('public client with PKCE: token response carries the launch context and a verifiable id_token', async () => {
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
      personality: 'epic',
      banner: '1',
    });
    const { outcome, pkce } = await authorize(h, { scope: SCOPE, aud: iss, launch });
    expect(outcome.kind === 'redirect' && outcome.state).toBe('state-123');
    const { status, json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      token_type: 'Bearer',
      patient: h.patientA.id,
      need_patient_banner: true,
      smart_style_url: `${h.sandbox.url}/_sandbox/smart-style.json`,
    });
    expect(String(json.scope).split(' ').sort()).toEqual(['fhirUser', 'launch', 'openid', 'patient/*.read']);
    expect(json.refresh_token).toBeUndefined();

    const jwks = createRemoteJWKSet(new URL(h.sandbox.endpoints.jwks));
    const { payload, protectedHeader } = await jwtVerify(String(json.id_token), jwks, {
      issuer: h.sandbox.endpoints.issuer,
      audience: 'smart-chart',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.fhirUser).toBe(`${fhirBaseOf(h, 'epic')}/Practitioner/${h.practitioner.id}`);

    const style = await fetch(String(json.smart_style_url));
    expect(await style.json()).toHaveProperty('color_highlight');
  });

  it("carries the clinician's name in the id_token only with the profile scope, as Epic and Oracle Health do", async () => {
    const nameFor = async (scope: string, launchParams: Record<string, string> = {}) => {
      const { iss, launch } = await ehrLaunchCode(h, {
        practitioner: h.practitioner.id,
        patient: h.patientA.id,
        ...launchParams,
      });
      const { outcome, pkce } = await authorize(h, { scope, aud: iss, launch });
      const { json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
      const { payload } = await jwtVerify(
        String(json.id_token),
        createRemoteJWKSet(new URL(h.sandbox.endpoints.jwks)),
      );
      expect(payload.fhirUser).toBe(`${iss}/Practitioner/${h.practitioner.id}`);
      return payload.name;
    };
    expect(h.practitioner.name).toMatch(/\w+ \w+/);
    expect(await nameFor(`${SCOPE} profile`)).toBe(h.practitioner.name);
    expect(await nameFor(SCOPE)).toBeUndefined();
    // An EHR that does not release the profile names nobody, whatever the app asks for.
    expect(await nameFor(`${SCOPE} profile`, { profile: '0' })).toBeUndefined();
  });

  it('spends the launch code: a second authorization with it fails', async () => {
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
    });
    codeOf((await authorize(h, { scope: SCOPE, aud: iss, launch })).outcome);
    const again = (await authorize(h, { scope: SCOPE, aud: iss, launch })).outcome;
    expect(again.kind === 'redirect' && again.params.get('error')).toBe('invalid_request');
  });

  it('two launches in one browser keep their own patients, even interleaved', async () => {
    const jar = new CookieJar();
    const first = await ehrLaunchCode(h, { practitioner: h.practitioner.id, patient: h.patientA.id });
    const second = await ehrLaunchCode(h, { practitioner: h.practitioner.id, patient: h.patientB.id });
    const a = await authorize(h, { scope: SCOPE, aud: first.iss, launch: first.launch, jar });
    const b = await authorize(h, { scope: SCOPE, aud: second.iss, launch: second.launch, jar });
    const tokenB = await exchangePublic(h, codeOf(b.outcome), b.pkce!.verifier);
    const tokenA = await exchangePublic(h, codeOf(a.outcome), a.pkce!.verifier);
    expect(tokenA.json.patient).toBe(h.patientA.id);
    expect(tokenB.json.patient).toBe(h.patientB.id);
  });

  it('an EHR launch wins over an earlier portal sign-in in the same browser', async () => {
    const jar = new CookieJar();
    await get(`${h.sandbox.url}/session?user=Patient/${h.patientB.id}`, jar);
    const portal = await authorize(h, {
      scope: 'openid fhirUser launch/patient patient/*.read',
      aud: fhirBaseOf(h, 'generic'),
      jar,
    });
    expect((await exchangePublic(h, codeOf(portal.outcome), portal.pkce!.verifier)).json.patient).toBe(
      h.patientB.id,
    );
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
    });
    const { outcome, pkce } = await authorize(h, { scope: SCOPE, aud: iss, launch, jar });
    const { json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
    expect(json.patient).toBe(h.patientA.id);
    const { payload } = await jwtVerify(
      String(json.id_token),
      createRemoteJWKSet(new URL(h.sandbox.endpoints.jwks)),
    );
    expect(payload.fhirUser).toBe(`${iss}/Practitioner/${h.practitioner.id}`);
  });

  it('client_secret_basic: authenticates with the secret, refuses a wrong one', async () => {
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientB.id,
      personality: 'cerner',
    });
    const { outcome, pkce } = await authorize(h, {
      clientId: 'smart-chart-confidential',
      scope: SCOPE,
      aud: iss,
      launch,
    });
    const body = {
      grant_type: 'authorization_code',
      code: codeOf(outcome),
      redirect_uri: h.redirectUri,
      code_verifier: pkce!.verifier,
    };
    const wrong = await postForm(
      h.sandbox.endpoints.token,
      body,
      basicAuth('smart-chart-confidential', 'not-the-secret'),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    // A failed client authentication does not consume the code.
    const right = await postForm(
      h.sandbox.endpoints.token,
      body,
      basicAuth('smart-chart-confidential', TEST_SECRET),
    );
    expect(right.status).toBe(200);
    expect(right.json.patient).toBe(h.patientB.id);
    expect(right.json.need_patient_banner).toBe(false);
  });

  it('private_key_jwt: accepts an assertion signed with the key published at the app JWKS URL', async () => {
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
      personality: 'athena',
    });
    const { outcome, pkce } = await authorize(h, {
      clientId: 'smart-chart-jwt',
      scope: SCOPE,
      aud: iss,
      launch,
    });
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS384', kid: h.appKid, typ: 'JWT' })
      .setIssuer('smart-chart-jwt')
      .setSubject('smart-chart-jwt')
      .setAudience(h.sandbox.endpoints.token)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(h.appPrivateKey);
    const { status, json } = await postForm(h.sandbox.endpoints.token, {
      grant_type: 'authorization_code',
      code: codeOf(outcome),
      redirect_uri: h.redirectUri,
      code_verifier: pkce!.verifier,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(json.error_description ?? json.error).toBeUndefined();
    expect(status).toBe(200);
    expect(json.patient).toBe(h.patientA.id);
  });

  it('rejects an aud that is not one of the FHIR bases with invalid_request', async () => {
    const { launch } = await ehrLaunchCode(h, { practitioner: h.practitioner.id, patient: h.patientA.id });
    for (const aud of ['https://evil.example/fhir', `${h.sandbox.url}/unknown/fhir`]) {
      const { outcome } = await authorize(h, { scope: SCOPE, aud, launch });
      expect(outcome.kind === 'redirect' && outcome.params.get('error')).toBe('invalid_request');
    }
  });

  it('accepts the FHIR base with a trailing slash as aud', async () => {
    const { iss, launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
      personality: 'nextgen',
    });
    const { outcome, pkce } = await authorize(h, { scope: SCOPE, aud: `${iss}/`, launch });
    const { status, json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
    expect(status).toBe(200);
    expect(String(json.scope)).toContain('patient/*.read');
  });

  it('rejects a launch used against another personality than it was made for', async () => {
    const { launch } = await ehrLaunchCode(h, {
      practitioner: h.practitioner.id,
      patient: h.patientA.id,
      personality: 'epic',
    });
    const { outcome } = await authorize(h, { scope: SCOPE, aud: fhirBaseOf(h, 'cerner'), launch });
    expect(outcome.kind === 'redirect' && outcome.params.get('error')).toBe('invalid_request');
  });

  it('requires PKCE and refuses a missing or wrong verifier', async () => {
    const first = await ehrLaunchCode(h, { practitioner: h.practitioner.id, patient: h.patientA.id });
    const noChallenge = (
      await authorize(h, { scope: SCOPE, aud: first.iss, launch: first.launch, pkce: null })
    ).outcome;
    expect(noChallenge.kind === 'redirect' && noChallenge.params.get('error')).toBe('invalid_request');

    const second = await ehrLaunchCode(h, { practitioner: h.practitioner.id, patient: h.patientA.id });
    const { outcome } = await authorize(h, { scope: SCOPE, aud: second.iss, launch: second.launch });
    const code = codeOf(outcome);
    const missing = await postForm(h.sandbox.endpoints.token, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: h.redirectUri,
      client_id: 'smart-chart',
    });
    expect(missing.status).toBe(400);
    const wrong = await exchangePublic(h, code, 'x'.repeat(43));
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
  });

  it('refuses launch requests for unknown people without creating a launch', async () => {
    const response = await fetch(
      `${h.sandbox.url}/launch/ehr?practitioner=${h.practitioner.id}&patient=%3Cscript%3E`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('<script>');
  });
});
