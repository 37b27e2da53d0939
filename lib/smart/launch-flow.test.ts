import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { fakeEhrDeps, type FakeEhr, type TokenBehaviour } from '../../test/fake-ehr';
import { recordChartPageWithoutLaunch, withLaunch } from '../api/launch-guard';
import { Writable } from 'node:stream';
import { createLogger } from '../log';
import { choosePatientRoute } from '../api/patient-choice';
import { aliveRoute, logoutRoute } from '../api/session-handlers';
import { endOverdueLaunches } from '../api/overdue';
import { failedRequest, FhirRequestError } from '../fhir/errors';
import { beginLaunch, completeLaunch, MAX_PENDING_SIGN_INS, type FlowDeps } from './launch-flow';
import { MAX_LAUNCH_COOKIES, readSession } from './session';
import { readCookies } from './cookies';
import { clearDiscoveryCache } from './discovery';
import { RateLimiter } from '../http/request-limits';
import { PEER_ADDRESS_HEADER } from '../http/request';
import { SIGN_IN_ERROR_PATH, signInErrorPage } from './sign-in-error';
import type { LaunchStore } from '../state/launch-store';
import { fakeEhrFixture } from '../../test/support/fake-ehr-fixture';

const APP = 'http://localhost:3999';
let ehr: FakeEhr;
let audit: MemoryAuditLog;
let deps: FlowDeps;
let launches: LaunchStore;

const fixture = fakeEhrFixture();
beforeAll(() => {
  ({ ehr, launches } = fixture);
});
beforeEach(() => {
  audit = new MemoryAuditLog();
  deps = {
    ...fakeEhrDeps(ehr, { appUrl: APP, audit, launches, registration: { standalone: ['provider'] } }),
    tokenTimeoutMs: 500,
  };
});

/** Cookie header a browser would send back, from Set-Cookie headers. */
function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

async function startLaunch(headers: Record<string, string> = {}) {
  const res = await beginLaunch(
    new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-123`, { headers }),
    deps,
  );
  expect(res.status).toBe(302);
  const authorize = new URL(res.headers.get('location')!);
  return { res, authorize, state: authorize.searchParams.get('state')!, cookie: cookieHeader(res) };
}

/**
 * The callback's answer. A failure redirects to the sign-in error page, which
 * is followed as a browser would: the page's status and words are returned.
 */
async function callback(query: string, cookie: string) {
  const res = await completeLaunch(new Request(`${APP}/callback?${query}`, { headers: { cookie } }), deps);
  if (res.headers.get('location') !== SIGN_IN_ERROR_PATH) return res;
  expect(res.status).toBe(303);
  // A failed callback never opens a session.
  expect(res.headers.getSetCookie().join('')).not.toMatch(/sc_s_/);
  return signInErrorPage(
    new Request(`${APP}${SIGN_IN_ERROR_PATH}`, { headers: { cookie: cookieHeader(res) } }),
    deps.env,
  );
}

/** A launch through to its chart: its id, the browser's cookies, and when it opened. */
async function openSession() {
  const { state, cookie } = await startLaunch();
  const res = await callback(`state=${state}&code=C-1`, cookie);
  const launchId = res.headers.get('location')!.split('/').pop()!;
  return { launchId, cookie: cookieHeader(res), opened: Date.now() };
}

/** A data route's read for the launch with the browser's cookies (`disclose` stands for the route's work). */
const readChart = (launchId: string, cookie: string, d: FlowDeps = deps) =>
  withLaunch(new Request(`${APP}/api/x`, { headers: { cookie } }), launchId, d, disclose);

/** The page's own sign-out (JSON, our origin). */
const logout = (launchId: string, cookie: string) =>
  logoutRoute(
    new Request(`${APP}/api/chart/${launchId}/logout`, {
      method: 'POST',
      headers: { cookie, origin: APP, 'content-type': 'application/json' },
      body: '{}',
    }),
    launchId,
    deps,
  );

describe('EHR launch', () => {
  it('redirects to the authorize endpoint with aud, launch, state and PKCE S256', async () => {
    const { authorize, res } = await startLaunch();
    expect(authorize.origin + authorize.pathname).toBe(`${ehr.url}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'test-client',
      redirect_uri: `${APP}/callback`,
      aud: ehr.fhirBase,
      launch: 'L-123',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const set = res.headers.getSetCookie()[0]!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).not.toMatch(/Partitioned/);
  });

  it('uses SameSite=None; Secure; Partitioned cookies when the EHR frames the app', async () => {
    const { res } = await startLaunch({ 'sec-fetch-dest': 'iframe' });
    expect(res.headers.getSetCookie()[0]).toMatch(/Secure; SameSite=None; Partitioned/);
  });

  it('refuses an unknown iss without contacting it, and records the refusal', async () => {
    const before = ehr.requests.length;
    const res = await beginLaunch(
      new Request(`${APP}/launch?iss=${encodeURIComponent(`${ehr.url}/other/fhir`)}&launch=x`),
      deps,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not registered');
    expect(ehr.requests.length).toBe(before);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'unknown-issuer',
      // Which server claimed the launch, for the security review.
      query: `launch?iss=${encodeURIComponent(`${ehr.url}/other/fhir`)}`,
    });
  });

  it('records a launch link too malformed to read, an unknown EHR, and a callback malformed beside its state', async () => {
    const longIss = `https://evil.example/${'a'.repeat(2100)}`;
    const malformed = [
      `iss=${encodeURIComponent(longIss)}&launch=x`,
      `iss=${encodeURIComponent(ehr.fhirBase)}&launch=${'x'.repeat(4100)}`,
      'ehr=sandbox&mode=admin',
    ];
    for (const query of malformed) {
      const before = audit.records.length;
      expect((await beginLaunch(new Request(`${APP}/launch?${query}`), deps)).status).toBe(400);
      expect(audit.records.slice(before)).toEqual([
        expect.objectContaining({ action: 'access-denied', outcome: '8', outcomeDesc: 'launch-malformed' }),
      ]);
    }
    expect((await beginLaunch(new Request(`${APP}/launch?ehr=nope`), deps)).status).toBe(404);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'unknown-ehr' });
    const { state, cookie } = await startLaunch();
    expect((await callback(`state=${state}&code=${'c'.repeat(4100)}`, cookie)).status).toBe(400);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'callback-malformed' });
  });

  it('refuses a launch without iss, and an iss that is only a prefix of a registered one', async () => {
    const res = await beginLaunch(new Request(`${APP}/launch?launch=abc`), deps);
    expect(res.status).toBe(400);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'launch-without-iss' });
    const prefix = await beginLaunch(
      new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.url)}&launch=abc`),
      deps,
    );
    expect(prefix.status).toBe(400);
  });

  it('completes: token exchange with the PKCE verifier, a sealed session, the chart, and a login audit event', async () => {
    const { state, cookie } = await startLaunch();
    const res = await callback(`state=${state}&code=C-1`, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/chart\/[A-Za-z0-9_-]{22}$/);
    const tokenReq = ehr.tokenRequests.at(-1)!;
    expect(tokenReq.get('code')).toBe('C-1');
    expect(tokenReq.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenReq.get('client_id')).toBe('test-client');
    const setCookies = res.headers.getSetCookie().join('\n');
    // The browser gets a random handle; the tokens stay on the server.
    expect(setCookies).toMatch(/sc_s_[A-Za-z0-9_-]{22}=[A-Za-z0-9_-]{43};/);
    expect(setCookies).not.toContain('fake-access-token-0001');
    expect(audit.last()).toMatchObject({
      action: 'login',
      outcome: '0',
      tenant: 'fake',
      user: `${ehr.fhirBase}/Practitioner/dr-1`,
      patient: `${ehr.fhirBase}/Patient/p-1`,
    });
  });

  it('refuses a replayed state', async () => {
    const { state, cookie } = await startLaunch();
    expect((await callback(`state=${state}&code=C-1`, cookie)).status).toBe(303);
    const again = await callback(`state=${state}&code=C-1`, cookie);
    expect(again.status).toBe(400);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'state-replayed',
      // Filed under the EHR its browser's pending launch names.
      tenant: 'fake',
    });
  });

  it('refuses a callback opened in another browser without using up the state of the one that began it', async () => {
    const { state, cookie } = await startLaunch();
    // Someone who saw the callback URL opens it: no pending cookie of this launch in that browser.
    const elsewhere = await callback(`state=${state}&code=C-1`, '');
    expect(elsewhere.status).toBe(400);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'state-mismatch' });
    // The clinician's own browser still completes the sign-in.
    expect((await callback(`state=${state}&code=C-1`, cookie)).status).toBe(303);
    expect(audit.last()).toMatchObject({ action: 'login', outcome: '0' });
  });

  it('refuses a response naming another server as its issuer (RFC 9207) before its code is sent anywhere', async () => {
    const tokenRequests = ehr.tokenRequests.length;
    for (const iss of ['https://rogue.example/oauth', `${ehr.url}&iss=${encodeURIComponent(ehr.url)}`]) {
      const { state, cookie } = await startLaunch();
      const mixedUp = await callback(`state=${state}&code=C-1&iss=${encodeURIComponent(iss)}`, cookie);
      expect(mixedUp.status).toBe(400);
      expect(await mixedUp.text()).toContain('did not come from the EHR this launch was started with');
      expect(audit.last()).toMatchObject({
        action: 'login',
        outcome: '8',
        outcomeDesc: 'iss-mismatch',
        tenant: 'fake',
      });
    }
    // Two answers naming the same server twice are one mixed up too; neither code reached a token endpoint.
    expect(ehr.tokenRequests).toHaveLength(tokenRequests);
    const own = await startLaunch();
    expect(
      (await callback(`state=${own.state}&code=C-1&iss=${encodeURIComponent(ehr.url)}`, own.cookie)).status,
    ).toBe(303);
  });

  it('requires the issuer in the response of an EHR whose configuration says it sends one', async () => {
    ehr.sendsIss = true;
    const without = await startLaunch();
    expect((await callback(`state=${without.state}&code=C-1`, without.cookie)).status).toBe(400);
    expect(audit.last()).toMatchObject({ action: 'login', outcomeDesc: 'iss-missing' });
    const own = await startLaunch();
    expect(
      (await callback(`state=${own.state}&code=C-1&iss=${encodeURIComponent(ehr.url)}`, own.cookie)).status,
    ).toBe(303);
    // An EHR that says nothing of it may leave it out (most do).
    ehr.sendsIss = false;
    clearDiscoveryCache();
    const quiet = await startLaunch();
    expect((await callback(`state=${quiet.state}&code=C-1`, quiet.cookie)).status).toBe(303);
  });

  it('refuses a missing or mismatched state', async () => {
    const { cookie } = await startLaunch();
    expect((await callback('code=C-1', cookie)).status).toBe(400);
    expect(audit.last()).toMatchObject({ outcomeDesc: 'state-missing' });
    const forged = await callback(`state=${'A'.repeat(22)}&code=C-1`, cookie);
    expect(forged.status).toBe(400);
    expect(audit.last()).toMatchObject({ outcomeDesc: 'state-mismatch' });
  });

  it('shows access_denied from the EHR as a clear page', async () => {
    const { state, cookie } = await startLaunch();
    const res = await callback(`state=${state}&error=access_denied`, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('did not grant this app access');
    expect(audit.last()).toMatchObject({
      action: 'login',
      outcome: '4',
      outcomeDesc: 'authorization-error:access_denied',
    });
  });

  const failures: [string, TokenBehaviour, number, RegExp][] = [
    ['a 400 from the token endpoint', 'error-400', 502, /invalid_grant/],
    ['a 500 from the token endpoint', 'error-500', 502, /refused to complete sign-in/],
    ['a token endpoint that times out', 'hang', 504, /did not answer/],
    ['a token response that is not JSON', 'not-json', 502, /not JSON/],
    ['a token response over its size limit', 'huge', 502, /without a usable access token/],
    ['an id_token with a bad signature', 'bad-signature', 502, /could not be verified/],
    ['an id_token for another audience', 'wrong-audience', 502, /could not be verified/],
    ['a token response without a patient', 'no-patient', 502, /which patient/],
  ];
  for (const [name, behaviour, status, message] of failures) {
    it(`fails clearly on ${name}, sets no session and leaks no token`, async () => {
      ehr.tokenBehaviour = behaviour;
      const { state, cookie } = await startLaunch();
      const res = await callback(`state=${state}&code=C-1`, cookie);
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).not.toContain('fake-access-token');
      expect(res.headers.getSetCookie().join('')).not.toMatch(/sc_s_/);
      expect(audit.last()).toMatchObject({ action: 'login', outcome: '8' });
    });
  }

  it('opens no session when the login cannot be recorded', async () => {
    const { state, cookie } = await startLaunch();
    audit.down = true;
    const res = await callback(`state=${state}&code=C-1`, cookie);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers.getSetCookie().join('')).not.toMatch(/sc_s_/);
  });
});

describe('logs', () => {
  it('carry event codes and ids but no token, code, cookie, user or patient, even when a caller passes them', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger(sink, 'info');
    deps = { ...deps, log: logger };
    const { state, cookie } = await startLaunch();
    const res = await callback(`state=${state}&code=SECRET-CODE-123`, cookie);
    expect(res.status).toBe(303);
    // A careless call with secrets in it is censored by the logger's redaction, not by discipline.
    logger.info(
      { accessToken: 'fake-access-token-0001', patient: 'p-1', headers: { cookie }, code: 'SECRET-CODE-123' },
      'careless',
    );
    const out = lines.join('');
    expect(out).toContain('"event":"login"');
    expect(out).toContain('"careless"');
    for (const secret of ['fake-access-token-0001', 'SECRET-CODE-123', 'p-1', 'dr-1', cookie.slice(0, 40)]) {
      expect(out).not.toContain(secret);
    }
  });
});

const disclose = async () => ({
  body: { data: 'patient data' },
  disclosure: { action: 'patient-read' as const, resourceTypes: ['Patient'] },
});

describe('launch guard', () => {
  it('answers with data only after recording the disclosure', async () => {
    const { launchId, cookie } = await openSession();
    const res = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie, 'x-chart-request-id': 'req-0001' } }),
      launchId,
      deps,
      disclose,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(await res.json()).toEqual({ data: 'patient data' });
    expect(audit.last()).toMatchObject({
      action: 'patient-read',
      outcome: '0',
      launchId,
      patient: `${ehr.fhirBase}/Patient/p-1`,
      // BALP: the request the logs name, and the OAuth client (never a token).
      requestId: 'req-0001',
      oauth: { clientId: 'test-client' },
    });
  });

  it('records the OAuth context: the client, the user as the id_token names them, the token by its id only', async () => {
    const { launchId, cookie } = await openSession();
    const login = audit.records.find((r) => r.action === 'login' && r.outcome === '0');
    const tokenId = expect.stringMatching(/^urn:smart-chart:token-sha256:[0-9a-f]{32}$/);
    expect(login?.oauth).toEqual({
      clientId: 'test-client',
      issuer: expect.any(String),
      subject: 'dr-1',
      tokenId,
    });
    expect((await readChart(launchId, cookie)).status).toBe(200);
    expect(audit.last()?.oauth).toEqual(login?.oauth);
    expect(JSON.stringify(audit.records)).not.toContain('fake-access-token-0001');
  });

  it('records a failed attempt with the request the EHR refused, and who made it', async () => {
    const { launchId, cookie } = await openSession();
    const query = 'Observation?patient=p-1&category=laboratory';
    const res = await withLaunch(new Request(`${APP}/api/x`, { headers: { cookie } }), launchId, deps, () =>
      Promise.reject(
        failedRequest(
          new FhirRequestError({ kind: 'http', status: 500 }),
          `${ehr.fhirBase}/${query}`,
          ehr.fhirBase,
        ),
      ),
    );
    expect(res.status).toBe(502);
    expect(audit.last()).toMatchObject({
      action: 'patient-query',
      outcome: '8',
      outcomeDesc: 'fetch-failed:ehr-error',
      query,
      resourceTypes: ['Observation'],
      patient: `${ehr.fhirBase}/Patient/p-1`,
      oauth: { clientId: 'test-client', subject: 'dr-1' },
    });
  });

  it('fails closed with 503 and no patient data when the audit store is down', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    deps = { ...deps, log: createLogger(sink, 'info') };
    const { launchId, cookie } = await openSession();
    audit.down = true;
    const res = await readChart(launchId, cookie);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('patient data');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'audit-unavailable' } });
    // The log says why by a code (here the class of the store's error), never by its message.
    const withheld = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'audit-unavailable');
    expect(withheld).toEqual([expect.objectContaining({ cause: 'Error', launchId })]);
    expect(lines.join('')).not.toContain('audit store unavailable');
  });

  it('records a request the browser gave up on as cancelled, not as a failure of the EHR', async () => {
    const { launchId, cookie } = await openSession();
    const browser = new AbortController();
    const res = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie }, signal: browser.signal }),
      launchId,
      { ...deps, cancelGraceMs: 100 },
      async () => {
        // The browser leaves while the EHR is being read; the read is cancelled with its request.
        browser.abort();
        throw new FhirRequestError({ kind: 'aborted' });
      },
    );
    expect(await res.text()).not.toContain('patient data');
    expect(audit.last()).toMatchObject({
      action: 'patient-query',
      outcome: '4',
      outcomeDesc: 'fetch-cancelled',
    });
    // The same failure while the browser still waits is the EHR's.
    const res2 = await withLaunch(new Request(`${APP}/api/x`, { headers: { cookie } }), launchId, deps, () =>
      Promise.reject(new FhirRequestError({ kind: 'timeout' })),
    );
    expect(res2.status).toBe(504);
    expect(audit.last()).toMatchObject({ outcome: '8', outcomeDesc: 'fetch-failed:ehr-unavailable' });
  });

  it('records nothing for a request cancelled by a sign-out that arrives just after the cancellation', async () => {
    const { launchId, cookie } = await openSession();
    const events = audit.records.length;
    const browser = new AbortController();
    const running = withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie }, signal: browser.signal }),
      launchId,
      deps,
      async () => {
        browser.abort();
        throw new FhirRequestError({ kind: 'aborted' });
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    await logout(launchId, cookie);
    const res = await running;
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('patient data');
    // Only the log-off was recorded.
    expect(audit.records.slice(events)).toEqual([expect.objectContaining({ action: 'logout', launchId })]);
  });

  it('refuses a request for another patient than the launch is for', async () => {
    const { launchId, cookie } = await openSession();
    const res = await withLaunch(
      new Request(`${APP}/api/x?patient=p-2`, { headers: { cookie } }),
      launchId,
      deps,
      disclose,
    );
    expect(res.status).toBe(403);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'patient-not-in-launch-context',
    });
    // Naming the launch's own patient first does not smuggle in a second one.
    const twice = await withLaunch(
      new Request(`${APP}/api/x?patient=p-1&patient=p-2`, { headers: { cookie } }),
      launchId,
      deps,
      disclose,
    );
    expect(twice.status).toBe(403);
    expect(await twice.text()).not.toContain('patient data');
  });

  it('keeps a malformed launch id out of the audit record', async () => {
    const res = await withLaunch(new Request(`${APP}/api/x`), '../../etc', deps, disclose);
    expect(res.status).toBe(401);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'no-session' });
    expect(audit.last()).not.toHaveProperty('launchId');
  });

  it('records requests without a session one by one up to the limit, then once for the minute', async () => {
    const limited = { ...deps, limiter: new RateLimiter({ refused: { max: 3, windowMs: 60_000 } }) };
    const from = (address: string) =>
      new Request(`${APP}/api/x`, { headers: { [PEER_ADDRESS_HEADER]: address } });
    const before = audit.records.length;
    for (let i = 0; i < 10; i++) {
      const res = await withLaunch(from('192.0.2.44'), 'launch-x-000000000001', limited, disclose);
      // The answer does not change past the limit.
      expect(res.status).toBe(401);
    }
    expect(audit.records.slice(before).map((r) => [r.action, r.outcomeDesc, r.sourceIp])).toEqual([
      ...Array(3).fill(['access-denied', 'no-session', '192.0.2.44']),
      ['rate-limited', 'refused', '192.0.2.44'],
    ]);
    // Another address has its own count.
    await withLaunch(from('192.0.2.45'), 'launch-x-000000000001', limited, disclose);
    expect(audit.last()).toMatchObject({ action: 'access-denied', sourceIp: '192.0.2.45' });
  });

  it("does not accept one launch's cookie for another launch id", async () => {
    const a = await openSession();
    const b = await openSession();
    const res = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie: a.cookie } }),
      b.launchId,
      deps,
      disclose,
    );
    expect(res.status).toBe(401);
  });

  it('logs off after the idle timeout and records it', async () => {
    const { launchId, cookie } = await openSession();
    const later = { ...deps, now: () => Date.now() + 16 * 60_000 };
    const res = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie } }),
      launchId,
      later,
      disclose,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'session-expired' } });
    expect(audit.last()).toMatchObject({ action: 'session-timeout', detail: 'idle-timeout' });
  });
});

describe('id_token issuer', () => {
  it("must be the configuration's issuer when it names one", async () => {
    ehr.tokenBehaviour = 'wrong-issuer';
    const { state, cookie } = await startLaunch();
    const res = await callback(`state=${state}&code=C-1`, cookie);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('could not be verified');
  });

  it("must be the registration's FHIR base when the configuration names no issuer", async () => {
    ehr.configIssuer = false;
    ehr.tokenBehaviour = 'wrong-issuer';
    const forged = await startLaunch();
    expect((await callback(`state=${forged.state}&code=C-1`, forged.cookie)).status).toBe(502);
    // The EHR's own issuer, not the FHIR base, is refused as well: nothing is skipped.
    ehr.tokenBehaviour = 'ok';
    const other = await startLaunch();
    expect((await callback(`state=${other.state}&code=C-1`, other.cookie)).status).toBe(502);
    ehr.tokenBehaviour = 'fhir-base-issuer';
    const good = await startLaunch();
    expect((await callback(`state=${good.state}&code=C-1`, good.cookie)).status).toBe(303);
  });
});

describe('a final sign-out', () => {
  it('refuses every later request with the same cookie, records the log-off once and each refusal', async () => {
    const { launchId, cookie } = await openSession();
    const out = await logout(launchId, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join('')).toMatch(new RegExp(`sc_s_${launchId}=;.*Max-Age=0`));
    expect(audit.last()).toMatchObject({ action: 'logout', launchId });
    const events = audit.records.length;
    // The page's own requests that crossed the sign-out: refused, nothing recorded (the sign-out was).
    expect((await readChart(launchId, cookie)).status).toBe(401);
    expect(audit.records.length).toBe(events);
    // Minutes later, the browser kept (or an attacker copied) the old cookie: it opens nothing.
    const later = { ...deps, now: () => Date.now() + 2 * 60_000 };
    const res = await readChart(launchId, cookie, later);
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('patient data');
    expect(res.headers.getSetCookie()).toEqual([]);
    // Recorded under the launch, its user and patient: a cookie used after its launch ended.
    expect(audit.records.slice(events)).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcome: '4',
        outcomeDesc: 'launch-ended',
        launchId,
        user: `${ehr.fhirBase}/Practitioner/dr-1`,
        patient: `${ehr.fhirBase}/Patient/p-1`,
      }),
    ]);
    // A second sign-out (another tab) records nothing more.
    expect((await logout(launchId, cookie)).status).toBe(200);
    expect(audit.records.length).toBe(events + 1);
  });

  it("records nothing for another tab's request that crossed the sign-out without its cookie, but the same minutes later", async () => {
    const { launchId, cookie } = await openSession();
    // A second chart of the browser, signed out with it: its cookie goes too.
    const other = await openSession();
    expect((await logout(launchId, `${cookie}; ${other.cookie}`)).status).toBe(200);
    const events = audit.records.length;
    const noCookie = await readChart(other.launchId, '');
    expect(noCookie.status).toBe(401);
    expect(await noCookie.text()).toContain('signed out');
    expect(audit.records.length).toBe(events);
    // Minutes later, a request naming the launch without its cookie is a denied access like any other.
    const later = await readChart(other.launchId, '', { ...deps, now: () => Date.now() + 2 * 60_000 });
    expect(later.status).toBe(401);
    expect(audit.records.slice(events)).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'no-session',
        launchId: other.launchId,
      }),
    ]);
    // A launch that never ended, asked without its cookie: recorded at once.
    const live = await openSession();
    expect((await readChart(live.launchId, '')).status).toBe(401);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'no-session',
      launchId: live.launchId,
    });
  });

  it('records the chart page opened with the old cookie minutes later, as the data routes record it', async () => {
    const { launchId, cookie } = await openSession();
    await logout(launchId, cookie);
    const events = audit.records.length;
    const page = (c: string | undefined, at: number) => {
      const req = new Request(`${APP}/chart/${launchId}`, c === undefined ? {} : { headers: { cookie: c } });
      return readSession(readCookies(req), launchId, deps, at).then((state) => {
        expect(state.status).toBe(c === undefined ? 'none' : 'ended');
        return recordChartPageWithoutLaunch(req, launchId, state, deps, at);
      });
    };
    // Reopened at once (a reload that crossed the sign-out), or from history after the sign-out cleared the
    // cookie: nothing to record.
    await page(cookie, Date.now());
    await page(undefined, Date.now() + 2 * 60_000);
    expect(audit.records.length).toBe(events);
    // Minutes later with the old cookie: refused and recorded under the launch.
    await page(cookie, Date.now() + 2 * 60_000);
    expect(audit.records.slice(events)).toEqual([
      expect.objectContaining({ action: 'access-denied', outcomeDesc: 'launch-ended', launchId }),
    ]);
  });

  it('discloses nothing from a request that was running when the sign-out came', async () => {
    const { launchId, cookie } = await openSession();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie } }),
      launchId,
      deps,
      async () => {
        await gate;
        return disclose();
      },
    );
    await new Promise((r) => setTimeout(r, 20));
    await logout(launchId, cookie);
    const events = audit.records.length;
    release();
    const res = await running;
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('patient data');
    expect(res.headers.getSetCookie()).toEqual([]);
    // Neither a disclosure nor a failure is recorded for the cancelled request.
    expect(audit.records.length).toBe(events);
  });
});

describe('a sign-out at a shared workstation', () => {
  /** Two charts open in one browser: its Cookie header carries both launches' handles. */
  async function twoCharts() {
    const a = await openSession();
    const b = await openSession();
    return { a: a.launchId, b: b.launchId, cookie: `${a.cookie}; ${b.cookie}` };
  }
  const logoutAs = (
    launchId: string,
    cookie: string,
    ask: { reason: 'user' | 'idle'; scope?: 'launch' },
    d: FlowDeps = deps,
  ) =>
    logoutRoute(
      new Request(`${APP}/api/chart/${launchId}/logout`, {
        method: 'POST',
        headers: { cookie, origin: APP, 'content-type': 'application/json' },
        body: JSON.stringify(ask),
      }),
      launchId,
      d,
    );
  const recordsOf = (launchId: string) => audit.records.filter((r) => r.launchId === launchId);

  it("ends every chart the browser holds, records each one's log-off, and names them for their tabs", async () => {
    const { a, b, cookie } = await twoCharts();
    const out = await logoutAs(b, cookie, { reason: 'user' });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true, launches: [b, a] });
    const cleared = out.headers.getSetCookie().join('\n');
    for (const id of [a, b]) {
      expect(cleared).toMatch(new RegExp(`sc_s_${id}=;.*Max-Age=0`));
      expect(recordsOf(id).filter((r) => r.action === 'logout')).toHaveLength(1);
      expect((await readChart(id, cookie)).status).toBe(401);
    }
  });

  it('ends them from the plain form too', async () => {
    const { a, b, cookie } = await twoCharts();
    const out = await logoutRoute(
      new Request(`${APP}/api/chart/${a}/logout`, {
        method: 'POST',
        headers: { cookie, origin: APP, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'then=%2Fsigned-out',
      }),
      a,
      deps,
    );
    expect(out.status).toBe(303);
    for (const id of [a, b]) expect((await readChart(id, cookie)).status).toBe(401);
  });

  it('an idle log-off ends only the chart that went idle', async () => {
    const { a, b, cookie } = await twoCharts();
    const out = await logoutAs(b, cookie, { reason: 'idle' });
    expect(await out.json()).toEqual({ signedOut: true, launches: [b] });
    expect(out.headers.getSetCookie().join('')).not.toContain(`sc_s_${a}`);
    expect(recordsOf(b).at(-1)).toMatchObject({ action: 'session-timeout' });
    expect(recordsOf(a).filter((r) => r.action === 'logout' || r.action === 'session-timeout')).toEqual([]);
    expect((await readChart(a, cookie)).status).toBe(200);
    expect((await readChart(b, cookie)).status).toBe(401);
  });

  it('a patient removing one health system from their merged record keeps the others', async () => {
    const { a, b, cookie } = await twoCharts();
    const out = await logoutAs(b, cookie, { reason: 'user', scope: 'launch' });
    expect(await out.json()).toEqual({ signedOut: true, launches: [b] });
    expect(recordsOf(b).at(-1)).toMatchObject({ action: 'logout' });
    expect((await readChart(a, cookie)).status).toBe(200);
    expect((await readChart(b, cookie)).status).toBe(401);
  });

  it('records a chart that had already run out as timed out, not as signed out', async () => {
    const { a, b, cookie } = await twoCharts();
    const later = { ...deps, now: () => Date.now() + 16 * 60_000 };
    await logoutAs(b, cookie, { reason: 'user' }, later);
    for (const id of [a, b]) {
      const last = recordsOf(id).at(-1);
      expect(last).toMatchObject({ action: 'session-timeout', detail: 'idle-timeout' });
    }
  });

  it("cannot end another browser's chart by naming its launch in a cookie", async () => {
    const victim = await openSession();
    const attacker = await openSession();
    const forged = `${attacker.cookie}; sc_s_${victim.launchId}=${'A'.repeat(43)}`;
    const out = await logoutAs(attacker.launchId, forged, { reason: 'user' });
    expect(await out.json()).toEqual({ signedOut: true, launches: [attacker.launchId] });
    expect(recordsOf(victim.launchId).filter((r) => r.action === 'logout')).toEqual([]);
    expect((await readChart(victim.launchId, victim.cookie)).status).toBe(200);
  });
});

describe("a sign-out before the page's scripts have run (its plain form)", () => {
  const formLogout = (launchId: string, cookie: string, body: string, origin = APP) =>
    logoutRoute(
      new Request(`${APP}/api/chart/${launchId}/logout`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      launchId,
      deps,
    );

  it('ends the launch, records the log-off and sends the browser to the signed-out page it named', async () => {
    const { launchId, cookie } = await openSession();
    const out = await formLogout(launchId, cookie, 'then=%2Fsigned-out%3Fehr%3Dsandbox%26mode%3Dpatient');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`${APP}/signed-out?ehr=sandbox&mode=patient`);
    expect(out.headers.getSetCookie().join('')).toMatch(new RegExp(`sc_s_${launchId}=;.*Max-Age=0`));
    expect(audit.last()).toMatchObject({ action: 'logout', launchId });
    const res = await readChart(launchId, cookie);
    expect(res.status).toBe(401);
  });

  it('never sends the browser anywhere but the signed-out page', async () => {
    for (const then of ['https://evil.example/signed-out', '//evil.example/', '/chart/x', '/signed-outx']) {
      const { launchId, cookie } = await openSession();
      const out = await formLogout(launchId, cookie, new URLSearchParams({ then }).toString());
      expect(out.headers.get('location')).toBe(`${APP}/signed-out`);
    }
  });

  it("refuses another site's form, and the launch goes on", async () => {
    const { launchId, cookie } = await openSession();
    const out = await formLogout(launchId, cookie, 'then=%2Fsigned-out', 'https://evil.example');
    expect(out.status).toBe(403);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'cross-site-request',
      launchId,
    });
    const res = await readChart(launchId, cookie);
    expect(res.status).toBe(200);
  });
});

describe('the keep-alive of a chart being read', () => {
  const MINUTE = 60_000;
  const at = (t: number) => ({ ...deps, now: () => t });
  const alive = (launchId: string, cookie: string, t: number, type = 'application/json') =>
    aliveRoute(
      new Request(`${APP}/api/chart/${launchId}/alive`, {
        method: 'POST',
        headers: { cookie, origin: APP, 'content-type': type },
        body: '{}',
      }),
      launchId,
      at(t),
    );
  const read = (launchId: string, cookie: string, t: number) => readChart(launchId, cookie, at(t));

  it('moves the idle clock without recording a disclosure', async () => {
    const { launchId, cookie, opened } = await openSession();
    const events = audit.records.length;
    const out = await alive(launchId, cookie, opened + 14 * MINUTE);
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ idleSeconds: deps.env.SESSION_IDLE_MINUTES * 60 });
    expect(audit.records.length).toBe(events);
    // 28 minutes after the launch, 14 after the keep-alive: still open.
    expect((await read(launchId, cookie, opened + 28 * MINUTE)).status).toBe(200);
  });

  it('does not revive a launch past its idle limit, and records the timeout', async () => {
    const { launchId, cookie, opened } = await openSession();
    const out = await alive(launchId, cookie, opened + 16 * MINUTE);
    expect(out.status).toBe(401);
    expect(audit.last()).toMatchObject({ action: 'session-timeout', launchId, detail: 'idle-timeout' });
    expect((await read(launchId, cookie, opened + 16 * MINUTE)).status).toBe(401);
  });

  it('answers a signed-out launch as signed out, and refuses another site', async () => {
    const { launchId, cookie, opened } = await openSession();
    expect((await alive(launchId, cookie, opened, 'application/x-www-form-urlencoded')).status).toBe(403);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'cross-site-request',
      launchId,
    });
    await logout(launchId, cookie);
    expect((await alive(launchId, cookie, opened + MINUTE)).status).toBe(401);
  });
});

describe('a launch past its limits that no request comes for (a tab closed, a browser left open)', () => {
  const MINUTE = 60_000;

  it('is ended by the sweep when due, recorded once as a timeout, and refused afterwards', async () => {
    const idle = await openSession();
    const busy = await openSession();
    ehr.revoked.length = 0;
    const due = idle.opened + 16 * MINUTE;
    // The other chart was used a minute ago.
    await launches.touch(busy.launchId, due - MINUTE);
    const before = audit.records.length;
    expect(await endOverdueLaunches(deps, due)).toBeGreaterThanOrEqual(1);
    const recorded = audit.records.slice(before).filter((r) => r.launchId === idle.launchId);
    expect(recorded).toEqual([
      expect.objectContaining({
        action: 'session-timeout',
        outcome: '0',
        detail: 'idle-timeout',
        tenant: 'fake',
        user: `${ehr.fhirBase}/Practitioner/dr-1`,
        patient: `${ehr.fhirBase}/Patient/p-1`,
      }),
    ]);
    expect(audit.records.slice(before).some((r) => r.launchId === busy.launchId)).toBe(false);
    expect(await launches.isEnded(idle.launchId)).toBe(true);
    expect(await launches.isEnded(busy.launchId)).toBe(false);
    // Its token does not outlive it at the EHR.
    expect(ehr.revoked.at(-1)).toBe('fake-access-token-0001');
    // Another instance's sweep, or a later one, records nothing more.
    const after = audit.records.length;
    await endOverdueLaunches(deps, due + MINUTE);
    expect(audit.records.slice(after).some((r) => r.launchId === idle.launchId)).toBe(false);
    // The tab comes back: told why, and no second record.
    const back = await readChart(idle.launchId, idle.cookie, { ...deps, now: () => due + 2 * MINUTE });
    expect(back.status).toBe(401);
    expect(await back.text()).toContain('signed out of this chart after a period of inactivity');
    expect(
      audit.records.filter((r) => r.launchId === idle.launchId && r.action === 'session-timeout'),
    ).toHaveLength(1);
  });

  it('says "expired" for a launch past its absolute limit, however recently it was used', async () => {
    const old = await openSession();
    const at = old.opened + (deps.env.SESSION_MAX_HOURS * 60 + 1) * MINUTE;
    await launches.touch(old.launchId, at - MINUTE);
    await endOverdueLaunches(deps, at);
    expect(audit.records.filter((r) => r.launchId === old.launchId).at(-1)).toMatchObject({
      action: 'session-timeout',
      detail: 'expired',
    });
  });
});

describe('a day of launches in one browser', () => {
  /** A browser's cookie jar: Set-Cookie in, Cookie header out. */
  function jar() {
    const cookies = new Map<string, string>();
    return {
      apply(res: Response) {
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair!.indexOf('=');
          const name = pair!.slice(0, i);
          if (/Max-Age=0/.test(c)) cookies.delete(name);
          else cookies.set(name, pair!.slice(i + 1));
        }
      },
      header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      names: () => [...cookies.keys()],
    };
  }

  /** One EHR launch in the browser, from /launch through the callback; the new launch's id. */
  async function launchIn(browser: ReturnType<typeof jar>, i: number): Promise<string> {
    const begin = await beginLaunch(
      new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-${i}`, {
        headers: { cookie: browser.header() },
      }),
      deps,
    );
    browser.apply(begin);
    const state = new URL(begin.headers.get('location')!).searchParams.get('state')!;
    const done = await completeLaunch(
      new Request(`${APP}/callback?state=${state}&code=C-${i}`, { headers: { cookie: browser.header() } }),
      deps,
    );
    expect(done.status).toBe(303);
    browser.apply(done);
    return done.headers.get('location')!.split('/').pop()!;
  }

  it('keeps the Cookie header small over 100 launches, and the newest launches open', async () => {
    const browser = jar();
    const launchIds: string[] = [];
    for (let i = 0; i < 100; i++) {
      launchIds.push(await launchIn(browser, i));
      expect(browser.header().length).toBeLessThan(8 * 1024);
    }
    expect(browser.names().filter((n) => n.startsWith('sc_s_')).length).toBeLessThanOrEqual(
      MAX_LAUNCH_COOKIES,
    );
    for (const id of launchIds.slice(-5)) {
      const res = await withLaunch(
        new Request(`${APP}/api/x`, { headers: { cookie: browser.header() } }),
        id,
        deps,
        disclose,
      );
      expect(res.status).toBe(200);
    }
  });

  it("bounds the sign-ins a browser has under way: another site's page starting dozens leaves its Cookie header small", async () => {
    const browser = jar();
    const first = await launchIn(browser, 0);
    const states: string[] = [];
    const pending = () => browser.names().filter((n) => n.startsWith('sc_pa_'));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < 40; i++) {
        // A second apart, so the oldest are told apart by when they were sealed.
        vi.setSystemTime(Date.now() + 1000);
        const begin = await beginLaunch(
          new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=flood-${i}`, {
            headers: {
              cookie: browser.header(),
              'sec-fetch-site': 'cross-site',
              'sec-fetch-mode': 'navigate',
            },
          }),
          deps,
        );
        expect(begin.status).toBe(302);
        browser.apply(begin);
        states.push(new URL(begin.headers.get('location')!).searchParams.get('state')!);
        expect(pending().length).toBeLessThanOrEqual(MAX_PENDING_SIGN_INS);
      }
    } finally {
      vi.useRealTimers();
    }
    // The newest are the ones kept; the chart opened before the flood keeps its cookie.
    expect(pending().sort()).toEqual(
      states
        .slice(-MAX_PENDING_SIGN_INS)
        .map((s) => `sc_pa_${s}`)
        .sort(),
    );
    expect(browser.header().length).toBeLessThan(4 * 1024);
    const open = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie: browser.header() } }),
      first,
      deps,
      disclose,
    );
    expect(open.status).toBe(200);
    // A sign-in that gave way is asked to start again; the newest completes.
    expect((await callback(`state=${states[0]}&code=C-old`, browser.header())).status).toBe(400);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'state-mismatch' });
    expect((await callback(`state=${states.at(-1)}&code=C-new`, browser.header())).status).toBe(303);
  });

  it('ends the launches whose cookies it drops, so that one sign-out leaves nothing of the day open', async () => {
    // A clock that moves a second a call, so that "least recently used" is never a tie.
    let clock = Date.now();
    deps = { ...deps, now: () => (clock += 1000) };
    const browser = jar();
    const launchIds: string[] = [];
    ehr.revoked.length = 0;
    for (let i = 0; i < MAX_LAUNCH_COOKIES + 5; i++) launchIds.push(await launchIn(browser, i));
    expect(browser.names().filter((n) => n.startsWith('sc_s_'))).toHaveLength(MAX_LAUNCH_COOKIES);
    const [displaced, kept] = [launchIds.slice(0, 5), launchIds.slice(5)];
    for (const id of displaced) {
      expect(await launches.isEnded(id)).toBe(true);
      expect(audit.records.filter((r) => r.launchId === id && r.action !== 'login')).toEqual([
        expect.objectContaining({
          action: 'session-timeout',
          outcome: '0',
          detail: 'displaced',
          tenant: 'fake',
          user: `${ehr.fhirBase}/Practitioner/dr-1`,
          patient: `${ehr.fhirBase}/Patient/p-1`,
        }),
      ]);
    }
    for (const id of kept) expect(await launches.isEnded(id)).toBe(false);
    // Their tokens do not outlive them at the EHR (revoked without holding up the new chart).
    await vi.waitFor(() => expect(ehr.revoked).toHaveLength(displaced.length));
    // Sign-out from the newest chart now ends every launch of the day.
    const res = await logout(launchIds.at(-1)!, browser.header());
    expect(res.status).toBe(200);
    for (const id of launchIds) expect(await launches.isEnded(id)).toBe(true);
  });

  it('never breaks on a cookie that does not decode, and ignores duplicates after the first', async () => {
    const { state, cookie } = await startLaunch();
    const res = await callback(`state=${state}&code=C-1`, `_ga=100%; ${cookie}; x=%E0%A4%A`);
    expect(res.status).toBe(303);
    const launchId = res.headers.get('location')!.split('/').pop()!;
    const own = cookieHeader(res);
    const ok = await withLaunch(
      new Request(`${APP}/api/x`, { headers: { cookie: `_ga=100%; ${own}; ${own.split('=')[0]}=forged%` } }),
      launchId,
      deps,
      disclose,
    );
    expect(ok.status).toBe(200);
  });
});

describe('a clinician signing in outside the EHR, which names no patient', () => {
  async function providerLaunch() {
    ehr.tokenBehaviour = 'no-patient';
    const begin = await beginLaunch(new Request(`${APP}/launch?ehr=fake&mode=provider`), deps);
    const authorize = new URL(begin.headers.get('location')!);
    expect(authorize.searchParams.get('scope')).toContain('user/Patient.read');
    const res = await callback(`state=${authorize.searchParams.get('state')}&code=C-1`, cookieHeader(begin));
    expect(res.status).toBe(303);
    return { launchId: res.headers.get('location')!.split('/').pop()!, cookie: cookieHeader(res) };
  }
  const choose = (launchId: string, cookie: string, patient: string) =>
    choosePatientRoute(
      new Request(`${APP}/api/chart/${launchId}/patient-choice`, {
        method: 'POST',
        headers: { cookie, origin: APP },
        body: new URLSearchParams({ patient }),
      }),
      launchId,
      deps,
    );

  it('opens a launch without a patient, where no data route answers until one is chosen', async () => {
    const { launchId, cookie } = await providerLaunch();
    expect(audit.last()).toMatchObject({ action: 'login', outcome: '0', detail: 'provider' });
    expect(audit.last()).not.toHaveProperty('patient');
    const res = await readChart(launchId, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('patient data');
  });

  it('binds the chosen patient once: the launch then serves that patient only, and never another', async () => {
    const { launchId, cookie } = await providerLaunch();
    const chosen = await choose(launchId, cookie, 'p-7');
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(`/chart/${launchId}`);
    expect(audit.last()).toMatchObject({
      action: 'login',
      detail: 'patient-chosen',
      patient: `${ehr.fhirBase}/Patient/p-7`,
      launchId,
    });
    const ok = await readChart(launchId, cookie);
    expect(ok.status).toBe(200);
    expect(audit.last()).toMatchObject({ action: 'patient-read', patient: `${ehr.fhirBase}/Patient/p-7` });
    // Choosing again, for anyone, is refused: another patient is another launch.
    expect((await choose(launchId, cookie, 'p-8')).status).toBe(403);
    const other = await withLaunch(
      new Request(`${APP}/api/x?patient=p-8`, { headers: { cookie } }),
      launchId,
      deps,
      disclose,
    );
    expect(other.status).toBe(403);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'patient-not-in-launch-context',
    });
  });

  it('refuses a choice from another site, and an EHR launch without a patient still fails', async () => {
    const { launchId, cookie } = await providerLaunch();
    const forged = await choosePatientRoute(
      new Request(`${APP}/api/chart/${launchId}/patient-choice`, {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example' },
        body: new URLSearchParams({ patient: 'p-7' }),
      }),
      launchId,
      deps,
    );
    expect(forged.status).toBe(403);
    expect(audit.last()).toMatchObject({
      action: 'access-denied',
      outcomeDesc: 'cross-site-request',
      launchId,
    });
    ehr.tokenBehaviour = 'no-patient';
    const { state, cookie: pending } = await startLaunch();
    expect((await callback(`state=${state}&code=C-1`, pending)).status).toBe(502);
  });
});
