import { Writable } from 'node:stream';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserCookies, fakeEhrDeps, type FakeEhr, launchThroughCallback } from '../../test/fake-ehr';
import { MemoryAuditLog } from '../../test/memory-audit';
import { fakeEhrFixture } from '../../test/support/fake-ehr-fixture';
import { createLogger } from '../log';
import type { FlowDeps } from './launch-flow';
import { readSession } from './session';
import { fhirUserName, scopeAllowsRead } from './user-name';

const APP = 'http://localhost:3998';
const TOKEN = 'fake-access-token-0001';
const WITH_PRACTITIONER = 'launch openid fhirUser patient/Observation.rs user/Practitioner.rs';
let ehr: FakeEhr;
let audit: MemoryAuditLog;
let deps: FlowDeps;
let lines: string[];

const fixture = fakeEhrFixture();
beforeAll(() => {
  ({ ehr } = fixture);
});
beforeEach(() => {
  audit = new MemoryAuditLog();
  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  deps = {
    ...fakeEhrDeps(ehr, { appUrl: APP, audit, launches: fixture.launches }),
    userNameTimeoutMs: 400,
    log: createLogger(sink, 'info'),
  };
  ehr.fhir.clear();
});

/** An EHR launch through the callback; the session's user name and the login audit event's. */
async function launch() {
  const started = Date.now();
  const res = await launchThroughCallback(ehr, deps, APP);
  const ms = Date.now() - started;
  expect(res.status).toBe(303);
  const launchId = res.headers.get('location')!.split('/').at(-1)!;
  const cookies = new Map(
    browserCookies(res)
      .split('; ')
      .map((c) => c.split('=') as [string, string]),
  );
  const session = await readSession(cookies, launchId, { env: deps.env, launches: fixture.launches });
  expect(session.status).toBe('active');
  const login = audit.records.find((e) => e.action === 'login' && e.outcome === '0');
  return {
    ms,
    userName: session.status === 'active' ? session.session.userName : 'no session',
    user: session.status === 'active' ? session.session.user : undefined,
    audited: login?.userName,
  };
}

const practitionerReads = () => ehr.requests.filter((p) => p === '/fhir/Practitioner/dr-1').length;

describe("the clinician's name when the id_token has none", () => {
  it('is read once from the fhirUser Practitioner with the launch token, kept with the launch and audited at login', async () => {
    ehr.grantedScope = WITH_PRACTITIONER;
    ehr.fhir.set('Practitioner/dr-1', {
      resourceType: 'Practitioner',
      id: 'dr-1',
      name: [
        { use: 'old', family: 'Maiden' },
        { use: 'official', prefix: ['Dr.'], given: ['Ada', 'N.'], family: 'Okafor' },
      ],
    });
    const before = practitionerReads();
    const r = await launch();
    expect(r.userName).toBe('Dr. Ada N. Okafor');
    expect(r.audited).toBe('Dr. Ada N. Okafor');
    expect(r.user).toBe(`${ehr.fhirBase}/Practitioner/dr-1`);
    expect(practitionerReads() - before).toBe(1);
    expect(lines.join('')).not.toContain('Okafor');
  });

  it('stays unknown when the Practitioner has no name (the chart shows the reference)', async () => {
    ehr.grantedScope = WITH_PRACTITIONER;
    ehr.fhir.set('Practitioner/dr-1', { resourceType: 'Practitioner', id: 'dr-1', name: [{ text: '  ' }] });
    const r = await launch();
    expect(r.userName).toBeUndefined();
    expect(r.audited).toBeUndefined();
    expect(r.user).toBe(`${ehr.fhirBase}/Practitioner/dr-1`);
  });

  it('is not read at all when the granted scopes do not allow reading Practitioner', async () => {
    ehr.fhir.set('Practitioner/dr-1', {
      resourceType: 'Practitioner',
      id: 'dr-1',
      name: [{ text: 'Dr. X' }],
    });
    const before = practitionerReads();
    const r = await launch();
    expect(r.userName).toBeUndefined();
    expect(practitionerReads()).toBe(before);
  });

  for (const [what, fault] of [
    ['a 403', 403],
    ['a 500', 500],
    ['no answer', 'hang'],
  ] as const) {
    it(`signs in without the name on ${what}, logging a reason code but no token or reference`, async () => {
      ehr.grantedScope = WITH_PRACTITIONER;
      ehr.fhirFaults.set('Practitioner/dr-1', fault);
      const r = await launch();
      expect(r.userName).toBeUndefined();
      expect(r.user).toBe(`${ehr.fhirBase}/Practitioner/dr-1`);
      // The time limit bounds the wait (400 ms here), and a 5xx is not retried.
      expect(r.ms).toBeLessThan(3_000);
      const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(warned.find((l) => l.event === 'user-name-unreadable')).toMatchObject(
        fault === 'hang' ? { reason: 'timeout' } : { status: fault },
      );
      const log = lines.join('');
      expect(log).not.toContain(TOKEN);
      expect(log).not.toContain('dr-1');
    });
  }
});

describe('fhirUserName', () => {
  const args = () => ({
    fhirBase: ehr.fhirBase,
    accessToken: TOKEN,
    scope: 'openid fhirUser user/Practitioner.read user/PractitionerRole.read user/*.read',
    timeoutMs: 1_000,
  });

  it("reads a PractitionerRole's practitioner: its display, else the Practitioner it references", async () => {
    ehr.fhir.set('PractitionerRole/r-1', {
      resourceType: 'PractitionerRole',
      id: 'r-1',
      practitioner: { reference: 'Practitioner/dr-2', display: 'Dr. Role Display' },
    });
    ehr.fhir.set('PractitionerRole/r-2', {
      resourceType: 'PractitionerRole',
      id: 'r-2',
      practitioner: { reference: 'Practitioner/dr-2' },
    });
    ehr.fhir.set('Practitioner/dr-2', {
      resourceType: 'Practitioner',
      id: 'dr-2',
      name: [{ text: 'Dr. Bo Lind' }],
    });
    const name = (ref: string) => fhirUserName({ ...args(), fhirUser: `${ehr.fhirBase}/${ref}` });
    expect(await name('PractitionerRole/r-1')).toBe('Dr. Role Display');
    expect(await name('PractitionerRole/r-2')).toBe('Dr. Bo Lind');
  });

  it("never reads a patient's record, a resource of another type than asked, or anything outside the FHIR base", async () => {
    ehr.fhir.set('Patient/p-1', { resourceType: 'Patient', id: 'p-1', name: [{ text: 'Pat Ient' }] });
    ehr.fhir.set('Practitioner/dr-3', { resourceType: 'Patient', id: 'dr-3', name: [{ text: 'Pat Ient' }] });
    const before = ehr.requests.length;
    for (const fhirUser of [
      `${ehr.fhirBase}/Patient/p-1`,
      `${ehr.fhirBase}/RelatedPerson/rp-1`,
      `${ehr.url}/other/fhir/Practitioner/dr-2`,
      `${ehr.fhirBase}/Practitioner/dr-2/_history/1`,
    ])
      expect(await fhirUserName({ ...args(), fhirUser })).toBeUndefined();
    expect(ehr.requests.length).toBe(before);
    expect(await fhirUserName({ ...args(), fhirUser: `${ehr.fhirBase}/Practitioner/dr-3` })).toBeUndefined();
  });

  it('knows which SMART scopes allow the read', () => {
    for (const s of [
      'user/Practitioner.read',
      'user/Practitioner.rs',
      'user/Practitioner.r',
      'user/*.read',
      'user/*.*',
      'patient/Practitioner.rs',
    ])
      expect(scopeAllowsRead(`openid ${s}`, 'Practitioner'), s).toBe(true);
    for (const s of [
      'fhirUser',
      'user/Patient.read',
      'user/Practitioner.s',
      'user/Practitioner.write',
      'system/Practitioner.read',
      'user/Practitioner.rs?identifier=x',
    ])
      expect(scopeAllowsRead(`openid ${s}`, 'Practitioner'), s).toBe(false);
  });
});
