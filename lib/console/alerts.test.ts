import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../audit/types';
import { computeAlerts } from './alerts';
import { accountDisclosures, disclosuresCsv } from './disclosures';
import { tempAuditLog } from './testing';

const EHR = 'https://ehr.example/fhir';
const hour = Date.UTC(2025, 2, 3, 10);
let ctx: Awaited<ReturnType<typeof tempAuditLog>>;
const OUTAGE =
  'unavailable from 2025-03-03T09:59:58.000Z to 2025-03-03T10:00:04.000Z: no signed checkpoint within 5000 ms';

const read = (
  user: string,
  patient: number,
  minute: number,
  extra: Partial<AuditInput> = {},
): AuditInput => ({
  action: 'patient-query',
  outcome: '0',
  tenant: 'sandbox-generic',
  user,
  patient: `${EHR}/Patient/p${patient}`,
  resourceTypes: ['Observation'],
  recorded: new Date(hour + minute * 60_000),
  ...extra,
});

beforeAll(async () => {
  ctx = await tempAuditLog();
  const inputs: AuditInput[] = [];
  // Dr Busy opens 6 distinct patients in one hour; Dr Calm opens the same patient 10 times.
  for (let i = 0; i < 6; i++) inputs.push(read(`${EHR}/Practitioner/busy`, i, i));
  for (let i = 0; i < 10; i++)
    inputs.push(
      read(`${EHR}/Practitioner/calm`, 1, i, { action: 'view', detail: 'labs', resourceTypes: [] }),
    );
  // Dr Spread opens 4 patients in one hour and 4 in the next.
  for (let i = 0; i < 8; i++) inputs.push(read(`${EHR}/Practitioner/spread`, i, i < 4 ? i : 60 + i));
  // Failed reads are not disclosures.
  for (let i = 10; i < 20; i++) inputs.push(read(`${EHR}/Practitioner/failing`, i, 5, { outcome: '8' }));
  inputs.push(
    {
      action: 'access-denied',
      outcome: '4',
      outcomeDesc: 'unknown-iss',
      tenant: 'app',
      recorded: new Date(hour + 1_000),
    },
    {
      action: 'access-denied',
      outcome: '4',
      outcomeDesc: 'unknown-iss',
      tenant: 'app',
      recorded: new Date(hour + 2_000),
    },
    {
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'state-replayed',
      tenant: 'sandbox-generic',
      recorded: new Date(hour + 3_000),
    },
    {
      action: 'audit-restored',
      outcome: '0',
      tenant: 'sandbox-generic',
      detail: OUTAGE,
      recorded: new Date(hour + 4_000),
    },
  );
  await ctx.log.store.append(inputs);
});
afterAll(() => ctx.dispose());

describe('alerts from the audit store', () => {
  const range = { from: new Date(hour - 3_600_000), to: new Date(hour + 3 * 3_600_000) };

  it('flags a user who opens more distinct patients in an hour than the threshold', async () => {
    const report = await computeAlerts(ctx.log.store, { ...range, threshold: 5 });
    expect(report.volume).toEqual([
      { user: `${EHR}/Practitioner/busy`, hour: '2025-03-03T10:00:00.000Z', distinctPatients: 6 },
    ]);
    expect(report.truncated).toBe(false);
  });

  it('counts per hour, so the same total spread over two hours is not flagged', async () => {
    const report = await computeAlerts(ctx.log.store, { ...range, threshold: 3 });
    const users = report.volume
      .map((v) => `${v.user.split('/').pop()}@${v.hour.slice(11, 13)}:${v.distinctPatients}`)
      .sort();
    expect(users).toEqual(['busy@10:6', 'spread@10:4', 'spread@11:4']);
  });

  it('groups refusals by EHR and reason, newest time first', async () => {
    const report = await computeAlerts(ctx.log.store, { ...range, threshold: 100 });
    expect(report.refusals).toEqual([
      { tenant: 'app', reason: 'unknown-iss', count: 2, last: new Date(hour + 2_000).toISOString() },
      {
        tenant: 'sandbox-generic',
        reason: 'state-replayed',
        count: 1,
        last: new Date(hour + 3_000).toISOString(),
      },
    ]);
  });

  it('lists the audit log outages that ended, with their span', async () => {
    const report = await computeAlerts(ctx.log.store, { ...range, threshold: 100 });
    expect(report.outages).toEqual([
      { tenant: 'sandbox-generic', recorded: new Date(hour + 4_000).toISOString(), detail: OUTAGE },
    ]);
  });

  it('respects the time range', async () => {
    const report = await computeAlerts(ctx.log.store, {
      from: new Date(hour + 2 * 3_600_000),
      to: new Date(hour + 3 * 3_600_000),
      threshold: 0,
    });
    expect(report.volume).toEqual([]);
    expect(report.refusals).toEqual([]);
    expect(report.outages).toEqual([]);
  });
});

describe('accounting of disclosures', () => {
  it('lists one row per chart opening or disclosure outside a launch, with who, what and purpose', async () => {
    const { rows } = await accountDisclosures(ctx.log.store, {
      patient: `${EHR}/Patient/p1`,
      from: new Date(hour - 1),
      to: new Date(hour + 7_200_000),
      ehrLabels: new Map([['sandbox-generic', 'Sandbox EHR']]),
    });
    // busy (1 query), calm (10 views, no launch: one row each), spread (1 query); no failed reads.
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.purpose === 'Treatment' && r.ehr === 'Sandbox EHR')).toBe(true);
    expect(rows.filter((r) => r.recipient.endsWith('/calm')).every((r) => r.what === 'labs')).toBe(true);
    expect(rows.find((r) => r.recipient.endsWith('/busy'))?.what).toBe('Observation');
    const dates = rows.map((r) => r.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const csv = disclosuresCsv(rows).split('\r\n');
    expect(csv[0]).toBe('date,until,recipient,recipientRef,ehr,what,purpose,events');
    expect(csv).toHaveLength(14);
  });
});
