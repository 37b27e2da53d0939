import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { readSession } from '../smart/session';
import { widgetRoute } from '../api/chart-handlers';
import { aliveRoute } from '../api/session-handlers';
import type { RouteDeps } from '../api/launch-guard';
import { parseRegistrations } from '../smart/registrations';
import { openChartRoute, openSearchRoute } from './routes';
import { memoryLaunchStore } from '../state/testing';
import type { LaunchStore } from '../state/launch-store';
import type { ConsoleRouteDeps } from '../console/route-deps';
import { APP, consoleUser, sameOrigin, testEnv } from '../console/testing';
import type { ConsoleUser } from '../console/users';

const OPEN = 'https://open.example/fhir';
const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const regs = parseRegistrations(
  [
    { id: 'hapi', label: 'HAPI', issuer: OPEN, client: { type: 'none' } },
    {
      id: 'ehr',
      label: 'EHR',
      issuer: 'https://ehr.example/fhir',
      client: { type: 'public', clientId: 'c' },
    },
  ],
  'test',
);
const bundle: Bundle = {
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [
    {
      resource: {
        resourceType: 'Patient',
        id: 'p1',
        name: [{ given: ['Ana'], family: 'Lopez' }],
        birthDate: '1970-01-02',
        gender: 'female',
        identifier: [
          { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-70-7841' },
          { type: { coding: [{ system: V2, code: 'MR' }] }, value: 'MRN1' },
          { type: { coding: [{ system: V2, code: 'DL' }], text: "Driver's License" }, value: 'S99938156' },
          { type: { coding: [{ system: V2, code: 'PPN' }] }, value: 'X68971073X' },
          { system: 'urn:example:insurance', value: 'INS-77' },
        ],
      },
    },
    { resource: { resourceType: 'Patient', id: 'p2', name: [{ text: 'Ben Ng' }] } },
  ],
};

let launches: LaunchStore;
beforeAll(async () => {
  launches = await memoryLaunchStore();
});
afterAll(async () => {
  await launches.close();
});

function setup(user: ConsoleUser | undefined, answer: Bundle = bundle) {
  const audit = new MemoryAuditLog();
  const requested: string[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    requested.push(url instanceof Request ? url.url : url.toString());
    expect(new Headers(init?.headers).get('authorization')).toBeNull();
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/fhir+json' } });
  }) as typeof globalThis.fetch;
  const env = testEnv();
  const deps: ConsoleRouteDeps & { launches: LaunchStore } = {
    env,
    launches,
    audit: Object.assign(audit, { store: {} as ConsoleRouteDeps['audit']['store'] }),
    currentUser: async () => user,
    users: {} as ConsoleRouteDeps['users'],
    registrations: regs,
    fetch,
    now: () => Date.UTC(2025, 0, 1),
  };
  return { audit, requested, deps, env };
}

const searchReq = (body: unknown, headers: Record<string, string> = sameOrigin) =>
  new Request(`${APP}/api/open/hapi/patients`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('open-server patient search', () => {
  it('searches only the registered base and records one patient-query per patient returned', async () => {
    const { audit, requested, deps } = setup(consoleUser('viewer'));
    const res = await openSearchRoute(
      searchReq({ name: 'lo', iss: 'https://evil.example', identifier: ' ' }),
      'hapi',
      deps,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.patients).toEqual([
      {
        id: 'p1',
        name: 'Lopez, Ana',
        birthDate: '1970-01-02',
        age: '54 years',
        gender: 'female',
        mrn: 'MRN1',
      },
      { id: 'p2', name: 'Ben Ng' },
    ]);
    // Minimum necessary: no other identifier reaches the browser.
    const text = JSON.stringify(body);
    for (const v of ['999-70-7841', 'S99938156', 'X68971073X', 'INS-77']) expect(text).not.toContain(v);
    expect(requested).toEqual([`${OPEN}/Patient?name=lo&_count=25`]);
    expect(audit.records.map((r) => r.patient)).toEqual([`${OPEN}/Patient/p1`, `${OPEN}/Patient/p2`]);
    expect(
      audit.records.every(
        (r) =>
          r.action === 'patient-query' &&
          r.tenant === 'hapi' &&
          r.user === 'console-user/id-viewer-0001' &&
          r.query === 'Patient?name=lo&_count=25',
      ),
    ).toBe(true);
  });

  it('says how many entries of the answer it could not list: a resource written bare, a Patient without a usable id', async () => {
    const [first, second] = bundle.entry!;
    const { audit, deps } = setup(consoleUser('viewer'), {
      ...bundle,
      entry: [
        first!,
        second!.resource as never,
        { resource: { resourceType: 'Patient', id: '../p3', name: [{ text: 'Cy Day' }] } },
      ],
    });
    const res = await openSearchRoute(searchReq({ name: 'lo' }), 'hapi', deps);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { patients: { id: string }[]; unreadable?: number };
    expect(body.patients.map((p) => p.id)).toEqual(['p1']);
    expect(body.unreadable).toBe(2);
    // Only what was listed was disclosed.
    expect(audit.records.map((r) => r.patient)).toEqual([`${OPEN}/Patient/p1`]);
    expect(JSON.stringify(body)).not.toMatch(/Ben Ng|Cy Day/);
  });

  it('passes on what the EHR said of a search it answered in part, and that more patients match', async () => {
    const tooMany = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          resource: {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'warning',
                code: 'too-costly',
                diagnostics: 'More than 100 patients match; refine the search.',
              },
            ],
          },
          search: { mode: 'outcome' },
        },
      ],
    };
    const held = setup(consoleUser('viewer'), tooMany as never);
    const res = await openSearchRoute(searchReq({ name: 'lo' }), 'hapi', held.deps);
    expect(await res.json()).toEqual({
      patients: [],
      notices: ['More than 100 patients match; refine the search.'],
    });
    // A first page with a next link: the patients listed, and word that more match.
    const paged = setup(consoleUser('viewer'), {
      ...bundle,
      link: [{ relation: 'next', url: `${OPEN}/Patient?name=lo&_count=25&page=2` }],
    });
    const body = (await (await openSearchRoute(searchReq({ name: 'lo' }), 'hapi', paged.deps)).json()) as {
      patients: unknown[];
      more?: boolean;
    };
    expect(body.patients).toHaveLength(2);
    expect(body.more).toBe(true);
  });

  it('sends no results when the audit log is down', async () => {
    const { audit, deps } = setup(consoleUser('viewer'));
    audit.down = true;
    const res = await openSearchRoute(searchReq({ name: 'lo' }), 'hapi', deps);
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('Lopez');
  });

  it('refuses visitors without a console session or a role, non-open registrations and empty searches', async () => {
    expect((await openSearchRoute(searchReq({ name: 'a' }), 'hapi', setup(undefined).deps)).status).toBe(401);
    expect(
      (await openSearchRoute(searchReq({ name: 'a' }), 'hapi', setup(consoleUser(null)).deps)).status,
    ).toBe(403);
    const { deps, requested } = setup(consoleUser('viewer'));
    expect((await openSearchRoute(searchReq({ name: 'a' }), 'ehr', deps)).status).toBe(404);
    for (const empty of [{}, { name: '  ' }, 'name=a', '[]', ''])
      expect((await openSearchRoute(searchReq(empty), 'hapi', deps)).status).toBe(400);
    expect(requested).toEqual([]);
  });

  it('takes the search from the body only: a query string is not read', async () => {
    const { deps, requested } = setup(consoleUser('viewer'));
    const res = await openSearchRoute(
      new Request(`${APP}/api/open/hapi/patients?name=lo`, { method: 'POST', headers: sameOrigin }),
      'hapi',
      deps,
    );
    expect(res.status).toBe(400);
    expect(requested).toEqual([]);
  });

  it('refuses another site’s search and a body larger than a search, searching nothing', async () => {
    const { deps, requested, audit } = setup(consoleUser('viewer'));
    const crossSite = await openSearchRoute(
      searchReq({ name: 'lo' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }),
      'hapi',
      deps,
    );
    expect(crossSite.status).toBe(403);
    const large = await openSearchRoute(searchReq({ name: 'lo', pad: 'x'.repeat(5000) }), 'hapi', deps);
    expect(large.status).toBe(413);
    expect(requested).toEqual([]);
    // The forged search is recorded as refused (its path only: nothing typed reaches the log); nothing else.
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'cross-site-request',
        tenant: 'console',
        detail: 'path:/api/open/hapi/patients',
      }),
    ]);
  });

  it('refuses a search by Social Security number, so none reaches the audit record', async () => {
    const { deps, requested, audit } = setup(consoleUser('viewer'));
    for (const id of [
      '999-70-7841',
      '999 70 7841',
      '999.70.7841',
      'http://hl7.org/fhir/sid/us-ssn|999707841',
      'HTTP://HL7.ORG/FHIR/SID/US-SSN|999707841',
      'http://hl7.org/fhir/sid/us-ssn/|999707841',
      'urn:oid:2.16.840.1.113883.4.1|999707841',
      // Unicode hyphens, full-width digits, a prefix, a system with a fragment.
      '999\u201070\u20117841',
      '９９９-７０-７８４１',
      'ssn:999-70-7841',
      'SSN 999707841',
      'https://hl7.org/fhir/sid/us-ssn#|999707841',
      // Other groupings, and digits of other scripts.
      '123 456 789',
      '123-456-789',
      '12345-6789',
      '١٢٣-٤٥-٦٧٨٩',
      '१२३४५६७८९',
    ]) {
      const res = await openSearchRoute(searchReq({ identifier: id }), 'hapi', deps);
      expect(res.status, id).toBe(400);
    }
    for (const name of [
      '999-70-7841',
      'Okafor 999707841',
      '999/70/7841',
      '12345-6789',
      'Okafor 123 456 789',
    ]) {
      const res = await openSearchRoute(searchReq({ name }), 'hapi', deps);
      expect(res.status, name).toBe(400);
    }
    expect(requested).toEqual([]);
    expect(audit.records).toEqual([]);
    // Nine bare digits, or MRNs of another length with separators, are searched.
    for (const identifier of ['999707841', 'MRN-1234-5678', '12-345-678-90', 'urn:oid:1.2.3|4455']) {
      const byMrn = await openSearchRoute(searchReq({ identifier }), 'hapi', deps);
      expect(byMrn.status, identifier).toBe(200);
    }
    const byName = await openSearchRoute(searchReq({ name: 'Grassmann' }), 'hapi', deps);
    expect(byName.status).toBe(200);
  });
});

describe('open-server chart', () => {
  const form = (patient: string, headers: Record<string, string> = sameOrigin) =>
    new Request(`${APP}/api/open/hapi/chart`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ patient }),
    });

  it('creates a token-less launch session for the patient, records the login and redirects to the chart', async () => {
    const { audit, deps, env } = setup(consoleUser('auditor'));
    const res = await openChartRoute(form('p1'), 'hapi', deps);
    expect(res.status).toBe(303);
    const launchId = res.headers.get('location')!.replace('/chart/', '');
    const cookies = new Map(
      res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!.split('=') as [string, string])
        .map(([k, v]) => [k, decodeURIComponent(v)]),
    );
    const state = await readSession(cookies, launchId, { env, launches }, Date.UTC(2025, 0, 1));
    expect(state.status).toBe('active');
    if (state.status !== 'active') return;
    expect(state.session).toMatchObject({
      regId: 'hapi',
      iss: OPEN,
      vendor: 'generic',
      patient: 'p1',
      user: 'console-user/id-auditor-0001',
      needPatientBanner: true,
      framed: false,
    });
    expect(state.session.accessToken).toBeUndefined();
    expect(audit.last()).toMatchObject({
      action: 'login',
      tenant: 'hapi',
      patient: `${OPEN}/Patient/p1`,
      launchId,
      detail: 'open-server',
    });
  });

  it('refuses a cross-site post, a bad patient id and a visitor without a console session', async () => {
    const { deps, audit } = setup(consoleUser('viewer'));
    expect((await openChartRoute(form('p1', { origin: 'https://evil.example' }), 'hapi', deps)).status).toBe(
      403,
    );
    expect((await openChartRoute(form('../Practitioner/x'), 'hapi', deps)).status).toBe(400);
    expect((await openChartRoute(form('p1'), 'hapi', setup(undefined).deps)).status).toBe(401);
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'cross-site-request',
        tenant: 'console',
        detail: 'path:/api/open/hapi/chart',
      }),
    ]);
  });

  describe('lives only as long as the console account that opened it may use the console', () => {
    const opened = Date.UTC(2025, 0, 1);
    type Account = { disabled: boolean; sessionsEndedAt?: string };

    async function openChart(account: () => Promise<Account | undefined>) {
      const { deps, audit, env } = setup(consoleUser('auditor'));
      const res = await openChartRoute(form('p1'), 'hapi', deps);
      const launchId = res.headers.get('location')!.replace('/chart/', '');
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      let at = opened + 60_000;
      const routeDeps: RouteDeps = {
        env,
        audit,
        launches,
        registrations: regs,
        now: () => at,
        consoleAccount: account,
        fetch: async () =>
          new Response(JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Lopez' }] }), {
            headers: { 'content-type': 'application/fhir+json' },
          }),
      };
      const headers = { ...sameOrigin, cookie };
      return {
        audit,
        launchId,
        later: (ms: number) => (at += ms),
        alive: () =>
          aliveRoute(
            new Request(`${APP}/api/chart/${launchId}/alive`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: '{}',
            }),
            launchId,
            routeDeps,
          ),
        patient: () =>
          widgetRoute(
            new Request(`${APP}/api/chart/${launchId}/patient`, { headers }),
            launchId,
            'patient',
            routeDeps,
          ),
      };
    }

    it('ends the chart at its next request once the account signs out, and records that once', async () => {
      const account: Account = { disabled: false };
      const chart = await openChart(async () => account);
      expect((await chart.patient()).status).toBe(200);
      expect((await chart.alive()).status).toBe(200);
      // The console sign-out (lib/console/sign-out.ts) ends every session of the account begun until then.
      account.sessionsEndedAt = new Date(chart.later(1_000)).toISOString();
      const before = chart.audit.records.length;
      const refused = await chart.patient();
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({
        error: {
          code: 'session-expired',
          message: expect.stringMatching(/Sign in to the console to open it again/),
        },
      });
      expect(refused.headers.getSetCookie().join()).toContain(`sc_s_${chart.launchId}=;`);
      expect(chart.audit.records.slice(before)).toEqual([
        expect.objectContaining({
          action: 'logout',
          outcome: '0',
          detail: 'console-session-ended',
          user: 'console-user/id-auditor-0001',
          launchId: chart.launchId,
        }),
      ]);
      // For good: a later sign-in to the console does not bring the chart back, and nothing more is recorded.
      delete account.sessionsEndedAt;
      const later = await chart.alive();
      expect(later.status).toBe(401);
      expect(await later.text()).toContain('Your audit console session has ended');
      expect((await chart.patient()).status).toBe(401);
      expect(chart.audit.records.slice(before)).toHaveLength(1);
      expect(await launches.isEnded(chart.launchId)).toBe(true);
    });

    it('ends it when an admin disables the account or ends its sessions; a sign-out before it opened counts not', async () => {
      const disabled = await openChart(async () => ({ disabled: true }));
      expect((await disabled.patient()).status).toBe(401);
      const ended = await openChart(async () => ({
        disabled: false,
        sessionsEndedAt: new Date(opened + 1).toISOString(),
      }));
      expect((await ended.alive()).status).toBe(401);
      const earlier = await openChart(async () => ({
        disabled: false,
        sessionsEndedAt: new Date(opened - 60_000).toISOString(),
      }));
      expect((await earlier.patient()).status).toBe(200);
      const gone = await openChart(async () => undefined);
      expect((await gone.alive()).status).toBe(401);
    });

    it('answers 503 and keeps the chart when the accounts cannot be read', async () => {
      let down = true;
      const chart = await openChart(async () => {
        if (down) throw new Error('connection refused');
        return { disabled: false };
      });
      const res = await chart.patient();
      expect(res.status).toBe(503);
      expect(chart.audit.records.some((r) => r.action === 'patient-read')).toBe(false);
      down = false;
      expect((await chart.patient()).status).toBe(200);
    });
  });
});
