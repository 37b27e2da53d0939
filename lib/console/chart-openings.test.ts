import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../audit/types';
import { computeAlerts } from './alerts';
import { groupOpenings } from './chart-openings';
import { accountDisclosures } from './disclosures';
import { tempAuditLog } from './testing';

const EHR = 'https://ehr.example/fhir';
const PATIENT = `${EHR}/Patient/p1`;
const DR = `${EHR}/Practitioner/dr1`;
const t0 = Date.UTC(2025, 5, 2, 9);
let ctx: Awaited<ReturnType<typeof tempAuditLog>>;

const ev = (launchId: string | undefined, minute: number, input: Partial<AuditInput>): AuditInput => ({
  action: 'view',
  outcome: '0',
  tenant: 'sandbox-generic',
  user: DR,
  patient: PATIENT,
  sourceIp: '10.0.0.7',
  ...(launchId !== undefined ? { launchId } : {}),
  recorded: new Date(t0 + minute * 60_000),
  ...input,
});

const patientRead: Partial<AuditInput> = {
  action: 'patient-read',
  resourceTypes: ['Patient'],
  resourceRefs: ['Patient/p1'],
  query: 'Patient/p1',
};

beforeAll(async () => {
  ctx = await tempAuditLog();
  await ctx.log.store.append([
    ev('L1', 0, { action: 'login', detail: 'ehr' }),
    ev('L1', 1, { action: 'patient-read', resourceTypes: ['Patient'], detail: 'banner' }),
    ev('L1', 1, { detail: 'banner' }),
    // One record per FHIR interaction: each panel's Observation search and the Patient read beside it.
    ev('L1', 2, { action: 'patient-query', resourceTypes: ['Observation'], detail: 'vital-signs' }),
    ev('L1', 2, { ...patientRead, detail: 'vital-signs' }),
    ev('L1', 3, { action: 'patient-query', resourceTypes: ['Observation'], detail: 'laboratory' }),
    ev('L1', 3, { ...patientRead, detail: 'laboratory' }),
    ev('L1', 4, { detail: 'labs', sourceIp: '10.0.0.8' }),
    ev('L1', 9, { action: 'logout' }),
    // A tab that had not heard of the sign-out: refused, among the opening's events, and it stays signed out.
    ev('L1', 10, { action: 'access-denied', outcome: '4', outcomeDesc: 'launch-ended' }),
    ev('L2', 30, { action: 'login', detail: 'ehr' }),
    ev('L2', 31, { action: 'patient-query', resourceTypes: ['Condition'], detail: 'problems' }),
    ev('L2', 31, {
      action: 'patient-query',
      outcome: '8',
      resourceTypes: ['Observation'],
      detail: 'laboratory',
    }),
    // The labs panel's Patient read succeeded before its search failed: it files under labs, not the banner.
    ev('L2', 31, { ...patientRead, detail: 'laboratory' }),
    ev('L2', 50, { action: 'session-timeout' }),
    // A launch that never disclosed anything (the EHR refused every read).
    ev('L3', 55, { action: 'login', detail: 'ehr' }),
    // Closed by the app when the browser opened more charts than it keeps.
    ev('L3', 56, { action: 'session-timeout', detail: 'displaced' }),
    // The officer's security review looked the patient up: not a disclosure.
    ev(undefined, 60, {
      action: 'patient-read',
      tenant: 'sandbox-generic',
      user: 'console-user/officer1',
      resourceTypes: ['Patient'],
      detail: 'family-name-alert',
      purposeOfUse: 'HSYSADMIN',
    }),
  ]);
});
afterAll(() => ctx.dispose());

const range = { from: new Date(t0 - 1), to: new Date(t0 + 3_600_000 * 2) };

describe('chart openings', () => {
  it('groups the events of a launch into one opening with its span, end, addresses and categories', async () => {
    const page = await ctx.log.store.query({ patient: PATIENT, ...range }, { limit: 100 });
    const openings = groupOpenings(page.items);
    expect(openings.map((o) => o.key)).toEqual(['sandbox-generic/17', 'L3', 'L2', 'L1']);
    const l1 = openings[3]!;
    expect(l1).toMatchObject({
      launchId: 'L1',
      user: DR,
      patient: PATIENT,
      opened: new Date(t0).toISOString(),
      closed: new Date(t0 + 9 * 60_000).toISOString(),
      ended: 'logout',
      sourceIps: ['10.0.0.7', '10.0.0.8'],
      categories: ['banner', 'vitals', 'labs'],
    });
    expect(l1.events.map((e) => e.action)).toEqual([
      'login',
      'patient-read',
      'view',
      'patient-query',
      'patient-read',
      'patient-query',
      'patient-read',
      'view',
      'logout',
      'access-denied',
    ]);
    expect(l1.events.filter((e) => e.detail === 'laboratory').map((e) => e.query)).toEqual([
      '',
      'Patient/p1',
    ]);
    // A failed search discloses nothing; the panel's Patient read did, under the panel's category.
    expect(openings[2]).toMatchObject({ ended: 'session-timeout', categories: ['labs', 'problems'] });
    expect(openings[1]).toMatchObject({ launchId: 'L3', ended: 'displaced', categories: [] });
  });
});

describe('accounting of disclosures by chart opening', () => {
  it('has one row per opening that disclosed data, and none for the security review', async () => {
    const { rows, truncated } = await accountDisclosures(ctx.log.store, {
      patient: PATIENT,
      ...range,
      ehrLabels: new Map([['sandbox-generic', 'Sandbox EHR (generic)']]),
    });
    expect(truncated).toBe(false);
    expect(rows).toEqual([
      {
        date: new Date(t0 + 30 * 60_000).toISOString(),
        until: new Date(t0 + 50 * 60_000).toISOString(),
        recipient: DR,
        recipientRef: DR,
        ehr: 'Sandbox EHR (generic)',
        what: 'labs, problems',
        purpose: 'Treatment',
        events: 2,
      },
      {
        date: new Date(t0).toISOString(),
        until: new Date(t0 + 9 * 60_000).toISOString(),
        recipient: DR,
        recipientRef: DR,
        ehr: 'Sandbox EHR (generic)',
        what: 'banner, vitals, labs',
        purpose: 'Treatment',
        events: 7,
      },
    ]);
  });

  it('records the security review with its purpose of use, and alerts do not count it', async () => {
    const page = await ctx.log.store.query({ user: 'console-user/officer1', ...range }, { limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.event.purposeOfEvent?.[0]?.coding?.[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
      code: 'HSYSADMIN',
      display: 'health system administration',
    });
    const report = await computeAlerts(ctx.log.store, { ...range, threshold: 0 });
    expect(report.volume.map((v) => v.user)).toEqual([DR]);
  });
});
