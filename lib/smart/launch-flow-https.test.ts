import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { browserCookies, fakeEhrDeps, type FakeEhr } from '../../test/fake-ehr';
import { fakeEhrFixture } from '../../test/support/fake-ehr-fixture';
import { withLaunch } from '../api/launch-guard';
import type { LaunchStore } from '../state/launch-store';
import { beginLaunch, completeLaunch, type FlowDeps } from './launch-flow';
import { SIGN_IN_ERROR_PATH } from './sign-in-error';

/**
 * The launch over https, against a sibling subdomain (`evil.<parent domain>`) that plants cookies on the parent
 * domain: the browser sends such a cookie to the app under the bare name it was given, never as `__Host-`.
 */

const APP = 'https://chart.example.org';
let ehr: FakeEhr;
let launches: LaunchStore;
let audit: MemoryAuditLog;
let deps: FlowDeps;

const fixture = fakeEhrFixture();
beforeAll(() => {
  ({ ehr, launches } = fixture);
});
beforeEach(() => {
  audit = new MemoryAuditLog();
  deps = fakeEhrDeps(ehr, { appUrl: APP, audit, launches });
});

async function begin(headers: Record<string, string> = {}) {
  const res = await beginLaunch(
    new Request(`${APP}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-1`, { headers }),
    deps,
  );
  expect(res.status).toBe(302);
  const state = new URL(res.headers.get('location')!).searchParams.get('state')!;
  return { res, state };
}

const complete = (state: string, cookie: string) =>
  completeLaunch(new Request(`${APP}/callback?state=${state}&code=C-1`, { headers: { cookie } }), deps);

/** A launch through to its chart: its id and the handle its browser holds. */
async function launch(): Promise<{
  readonly launchId: string;
  readonly handle: string;
  readonly set: string;
}> {
  const { res, state } = await begin();
  const done = await complete(state, browserCookies(res));
  expect(done.status).toBe(303);
  const launchId = done.headers.get('location')!.split('/').pop()!;
  const set = done.headers.getSetCookie().find((c) => c.startsWith(`__Host-sc_s_${launchId}=`))!;
  return { launchId, handle: set.split(';')[0]!.split('=')[1]!, set };
}

const readChart = (launchId: string, cookie: string) =>
  withLaunch(new Request(`${APP}/api/x`, { headers: { cookie } }), launchId, deps, async () => ({
    body: { data: 'patient data' },
    disclosure: { action: 'patient-read' as const, resourceTypes: ['Patient'] },
  }));

/** Secure, Path=/ and no Domain: what a browser requires of a `__Host-` cookie. */
function expectHostCookie(setCookie: string): void {
  const attributes = setCookie.split('; ').slice(1);
  expect(attributes).toContain('Secure');
  expect(attributes.filter((a) => a.startsWith('Path='))).toEqual(['Path=/']);
  expect(setCookie).not.toMatch(/domain=/i);
}

describe('a launch over https', () => {
  it('names its pending sign-in and its session cookie __Host-, and the chart opens with them', async () => {
    const { res, state } = await begin();
    const pending = res.headers.getSetCookie();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatch(new RegExp(`^__Host-sc_pa_${state}=`));
    expectHostCookie(pending[0]!);
    const done = await complete(state, browserCookies(res));
    const launchId = done.headers.get('location')!.split('/').pop()!;
    const set = done.headers.getSetCookie();
    expect(set.find((c) => c.startsWith(`__Host-sc_pa_${state}=;`))).toMatch(/Max-Age=0/);
    const session = set.find((c) => c.startsWith(`__Host-sc_s_${launchId}=`))!;
    expectHostCookie(session);
    expect(set.some((c) => c.startsWith('sc_'))).toBe(false);
    expect((await readChart(launchId, browserCookies(done))).status).toBe(200);
  });

  it('keeps them partitioned (SameSite=None; Partitioned) when the EHR frames the app', async () => {
    const { res } = await begin({ 'sec-fetch-dest': 'iframe' });
    const pending = res.headers.getSetCookie()[0]!;
    expect(pending).toMatch(/^__Host-sc_pa_/);
    expect(pending).toMatch(/Secure; SameSite=None; Partitioned/);
  });
});

describe('a cookie planted by a sibling subdomain (cookie tossing)', () => {
  it("does not open the attacker's launch in the victim's browser", async () => {
    const attacker = await launch();
    expect(
      (await readChart(attacker.launchId, `__Host-sc_s_${attacker.launchId}=${attacker.handle}`)).status,
    ).toBe(200);
    // The victim follows a link to /chart/<attacker's launch>, carrying the handle planted under the bare name.
    const tossed = await readChart(attacker.launchId, `sc_s_${attacker.launchId}=${attacker.handle}`);
    expect(tossed.status).toBe(401);
    expect(audit.records.filter((r) => r.action === 'patient-read')).toHaveLength(1);
  });

  it("does not complete the attacker's sign-in in the victim's browser (login CSRF)", async () => {
    const { res, state } = await begin();
    const planted = browserCookies(res).replace(/^__Host-/, '');
    expect(planted).toMatch(new RegExp(`^sc_pa_${state}=`));
    const done = await complete(state, planted);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(SIGN_IN_ERROR_PATH);
    expect(done.headers.getSetCookie().join('')).not.toMatch(/sc_s_/);
    expect(audit.last()).toMatchObject({ action: 'access-denied', outcomeDesc: 'state-mismatch' });
  });
});
