import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserCookies,
  fakeEhrDeps,
  launchThroughCallback,
  startFakeEhr,
  type FakeEhr,
} from '../../test/fake-ehr';
import { MemoryAuditLog } from '../../test/memory-audit';
import { accessTokenId } from '../smart/audited-oauth';
import type { FlowDeps } from '../smart/launch-flow';
import type { LaunchStore } from '../state/launch-store';
import { memoryLaunchStore } from '../state/testing';
import { widgetRoute } from './chart-handlers';

/**
 * The launch's access token through a clinician's day with a real (fake) EHR: a token endpoint that is briefly down
 * ends nothing, one that refuses the refresh ends the launch, and a token the EHR stops taking before its expiry is
 * renewed once and the read done again.
 */
const APP = 'http://localhost:3996';

let ehr: FakeEhr;
let launches: LaunchStore;
let audit: MemoryAuditLog;
let deps: FlowDeps;
let clock = Date.now();

beforeAll(async () => {
  ehr = await startFakeEhr('test-client');
  ehr.fhir.set('Condition', {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      {
        resource: {
          resourceType: 'Condition',
          id: 'c-1',
          subject: { reference: 'Patient/p-1' },
          code: { text: 'Asthma' },
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
          },
        },
      },
    ],
  });
  launches = await memoryLaunchStore();
  audit = new MemoryAuditLog();
  deps = { ...fakeEhrDeps(ehr, { appUrl: APP, audit, launches }), now: () => clock };
});
afterEach(() => {
  ehr.tokenBehaviour = 'ok';
  ehr.issue = 'fake-access-token-0001';
  ehr.refreshToken = undefined;
  ehr.expiresIn = 3600;
});
afterAll(async () => {
  await ehr.close();
  await launches.close();
});

/** A launch whose token lasts two minutes and comes with a refresh token. */
async function launch(): Promise<{ launchId: string; cookie: string }> {
  clock = Date.now();
  ehr.issue = `token-${Math.random().toString(36).slice(2)}`;
  ehr.refreshToken = 'refresh-1';
  ehr.expiresIn = 120;
  const done = await launchThroughCallback(ehr, deps, APP);
  return { launchId: done.headers.get('location')!.split('/').pop()!, cookie: browserCookies(done) };
}

const problems = (l: { launchId: string; cookie: string }) =>
  widgetRoute(
    new Request(`${APP}/api/chart/${l.launchId}/problems`, { headers: { cookie: l.cookie } }),
    l.launchId,
    'problems',
    deps,
  );

const refreshes = () => ehr.tokenRequests.filter((r) => r.get('grant_type') === 'refresh_token').length;
const recordsOf = (launchId: string) => audit.records.filter((r) => r.launchId === launchId);

describe("a launch's token through a day", () => {
  it('goes on with its token while the token endpoint is down and the token still good, and renews it after', async () => {
    const l = await launch();
    expect((await problems(l)).status).toBe(200);
    // 20 s of the 2-minute token left: time to renew it, and the EHR's token endpoint answers 503.
    clock += 100_000;
    ehr.tokenBehaviour = 'error-503';
    const before = refreshes();
    const during = await problems(l);
    expect(during.status).toBe(200);
    expect(await during.text()).toContain('Asthma');
    expect(during.headers.getSetCookie()).toEqual([]);
    expect(refreshes()).toBe(before + 1);
    expect(await launches.isEnded(l.launchId)).toBe(false);
    // The EHR is back: the next request renews the token at once (the failure was not kept).
    ehr.tokenBehaviour = 'ok';
    ehr.issue = 'token-renewed-1';
    expect((await problems(l)).status).toBe(200);
    expect(refreshes()).toBe(before + 2);
    expect(ehr.requests.filter((p) => p.startsWith('/fhir/Condition')).length).toBeGreaterThan(0);
  });

  it('answers "try again" without ending the launch when the token has expired and the endpoint is down', async () => {
    const l = await launch();
    expect((await problems(l)).status).toBe(200);
    clock += 125_000;
    ehr.tokenBehaviour = 'error-503';
    const during = await problems(l);
    expect(during.status).toBe(504);
    const body = (await during.json()) as { error: { message: string } };
    expect(JSON.stringify(body)).toContain('try again');
    // The browser keeps its cookie, and the launch stays open.
    expect(during.headers.getSetCookie()).toEqual([]);
    expect(await launches.isEnded(l.launchId)).toBe(false);
    expect(recordsOf(l.launchId).at(-1)).toMatchObject({
      action: 'patient-query',
      outcome: '8',
      outcomeDesc: 'token-refresh-unavailable',
    });
    ehr.tokenBehaviour = 'ok';
    const after = await problems(l);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Asthma');
  });

  it('ends the launch when the EHR refuses the refresh, and says why to the requests after', async () => {
    const l = await launch();
    clock += 100_000;
    ehr.tokenBehaviour = 'error-400';
    const refused = await problems(l);
    expect(refused.status).toBe(401);
    expect(refused.headers.getSetCookie().join()).toMatch(/Max-Age=0/i);
    expect(await launches.isEnded(l.launchId)).toBe(true);
    expect(recordsOf(l.launchId).at(-1)).toMatchObject({
      action: 'session-timeout',
      outcomeDesc: 'token-refresh-failed',
    });
    const later = await problems(l);
    expect(later.status).toBe(401);
    expect(await later.text()).toContain('The EHR no longer accepts this chart’s sign-in.');
  });

  it('renews a token the EHR stops taking before its expiry, once, and reads with the new one', async () => {
    const l = await launch();
    expect((await problems(l)).status).toBe(200);
    const old = [...ehr.accepted].at(-1)!;
    // Revoked at the EHR a minute before its expiry.
    ehr.accepted.delete(old);
    ehr.issue = 'token-after-revocation';
    const before = refreshes();
    const res = await problems(l);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Asthma');
    expect(refreshes()).toBe(before + 1);
    // The read that left names the new token, not the refused one.
    expect(recordsOf(l.launchId).at(-1)).toMatchObject({
      action: 'patient-query',
      outcome: '0',
      oauth: { tokenId: accessTokenId('token-after-revocation') },
    });
    expect(recordsOf(l.launchId).at(-2)?.oauth?.tokenId).toBe(accessTokenId(old));
    // The next request goes straight out with the new token.
    expect((await problems(l)).status).toBe(200);
    expect(refreshes()).toBe(before + 1);
  });

  it('ends the launch when the EHR refuses both the token and its renewal', async () => {
    const l = await launch();
    ehr.accepted.delete([...ehr.accepted].at(-1)!);
    ehr.tokenBehaviour = 'error-400';
    const res = await problems(l);
    expect(res.status).toBe(401);
    expect(await launches.isEnded(l.launchId)).toBe(true);
  });
});
