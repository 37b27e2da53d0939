import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, follow, get } from '../test-support/oauth-client';
import {
  authorize,
  codeOf,
  exchangePublic,
  fhirBaseOf,
  startHarness,
  type Harness,
} from '../test-support/harness';

const PATIENT_SCOPE = 'openid fhirUser launch/patient patient/*.read offline_access';

async function postForm(url: string, jar: CookieJar, form: Record<string, string>) {
  return get(url, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

describe('standalone launches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('patient portal: shows a login page, refuses a wrong password, then binds the patient to the token', async () => {
    const { outcome, pkce, jar } = await authorize(h, {
      scope: PATIENT_SCOPE,
      aud: fhirBaseOf(h, 'generic'),
    });
    expect(outcome.kind).toBe('page');
    if (outcome.kind !== 'page') return;
    const loginHtml = await outcome.response.text();
    expect(loginHtml).toContain(h.patientA.name);
    const loginUrl = `${outcome.url}/login`;

    const wrong = await postForm(loginUrl, jar, { username: h.patientB.id, password: 'wrong' });
    expect(wrong.status).toBe(401);

    const signedIn = await postForm(loginUrl, jar, { username: h.patientB.id, password: 'sandbox' });
    expect(signedIn.status).toBe(303);
    const done = await follow(new URL(signedIn.headers.get('location')!, loginUrl).href, jar, h.redirectUri);
    const { status, json } = await exchangePublic(h, codeOf(done), pkce!.verifier);
    expect(status).toBe(200);
    expect(json.patient).toBe(h.patientB.id);
    expect(typeof json.refresh_token).toBe('string');
    expect(String(json.scope).split(' ')).toEqual(
      expect.arrayContaining(['launch/patient', 'patient/*.read', 'offline_access']),
    );
  });

  it('patient session set by /session signs in without pages; the patient cannot take user/* scopes', async () => {
    const jar = new CookieJar();
    expect((await get(`${h.sandbox.url}/session?user=Patient/${h.patientA.id}`, jar)).status).toBe(200);
    const { outcome, pkce } = await authorize(h, {
      scope: `${PATIENT_SCOPE} user/*.read`,
      aud: fhirBaseOf(h, 'epic'),
      jar,
    });
    const { json } = await exchangePublic(h, codeOf(outcome), pkce!.verifier);
    expect(json.patient).toBe(h.patientA.id);
    expect(String(json.scope).split(' ')).not.toContain('user/*.read');
  });

  it('clinician standalone: picks a patient on the picker page', async () => {
    const jar = new CookieJar();
    await get(`${h.sandbox.url}/session?user=Practitioner/${h.practitioner.id}`, jar);
    const { outcome, pkce } = await authorize(h, {
      scope: 'openid fhirUser launch/patient patient/*.read',
      aud: fhirBaseOf(h, 'cerner'),
      jar,
    });
    expect(outcome.kind).toBe('page');
    if (outcome.kind !== 'page') return;
    expect(await outcome.response.text()).toContain(`value="${h.patientB.id}"`);
    const picked = await postForm(`${outcome.url}/patient`, jar, { patient: h.patientB.id });
    const done = await follow(new URL(picked.headers.get('location')!, outcome.url).href, jar, h.redirectUri);
    const { json } = await exchangePublic(h, codeOf(done), pkce!.verifier);
    expect(json.patient).toBe(h.patientB.id);
  });

  /** A clinician's sign-in with patient A chosen (and `extra` session parameters), then a standalone launch's token. */
  async function preselectedLaunch(extra = '') {
    const jar = new CookieJar();
    await get(
      `${h.sandbox.url}/session?user=Practitioner/${h.practitioner.id}&patient=${h.patientA.id}${extra}`,
      jar,
    );
    const { outcome, pkce } = await authorize(h, {
      scope: 'openid fhirUser launch/patient patient/*.read',
      aud: fhirBaseOf(h, 'generic'),
      jar,
    });
    return (await exchangePublic(h, codeOf(outcome), pkce!.verifier)).json;
  }

  it('clinician session with a pre-selected patient authorizes without pages', async () => {
    expect((await preselectedLaunch()).patient).toBe(h.patientA.id);
  });

  it("carries a sign-in's faults into the tokens of its standalone launches, and refuses malformed ones", async () => {
    const faults = JSON.stringify({ kind: 'status-500', count: 1, resourceType: 'Observation' });
    const json = await preselectedLaunch(`&faults=${encodeURIComponent(faults)}`);
    const search = () =>
      fetch(`${fhirBaseOf(h, 'generic')}/Observation?patient=${h.patientA.id}`, {
        headers: { authorization: `Bearer ${String(json.access_token)}` },
      });
    expect((await search()).status).toBe(500);
    expect((await search()).status).toBe(200);
    const refused = await get(
      `${h.sandbox.url}/session?user=Patient/${h.patientA.id}&faults=${encodeURIComponent('{"kind":"nope"}')}`,
      new CookieJar(),
    );
    expect(refused.status).toBe(400);
  });

  it('refuses /session for unknown users', async () => {
    const jar = new CookieJar();
    expect((await get(`${h.sandbox.url}/session?user=Patient/nobody`, jar)).status).toBe(400);
    expect((await get(`${h.sandbox.url}/session?user=Organization/x`, jar)).status).toBe(400);
  });

  it('the user can cancel: the app receives access_denied', async () => {
    const { outcome, jar } = await authorize(h, { scope: PATIENT_SCOPE, aud: fhirBaseOf(h, 'generic') });
    if (outcome.kind !== 'page') throw new Error('expected the login page');
    const cancelled = await postForm(`${outcome.url}/abort`, jar, {});
    const done = await follow(
      new URL(cancelled.headers.get('location')!, outcome.url).href,
      jar,
      h.redirectUri,
    );
    expect(done.kind === 'redirect' && done.params.get('error')).toBe('access_denied');
  });
});
