import { createHash } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../audit/canonical';
import { checkExportedLine } from './export-check';
import { CHAIN_EXTENSION_URL } from './export-format';
import { exportStream } from './export-stream';
import { tempAuditLog } from './testing';

/**
 * An exported line proves itself without keys: changing who, whom, where or
 * the query in it fails the check, because the record inside the signed tree
 * holds a salted commitment to the whole event.
 */
let ctx: Awaited<ReturnType<typeof tempAuditLog>>;
let line: string;
const EHR = 'https://ehr.example/fhir';

beforeAll(async () => {
  ctx = await tempAuditLog();
  await ctx.log.record({
    action: 'patient-query',
    outcome: '0',
    tenant: 'ehr',
    user: `${EHR}/Practitioner/dr-a`,
    patient: `${EHR}/Patient/p1`,
    query: 'Observation?patient=p1&category=laboratory',
    sourceIp: '198.51.100.7',
    resourceTypes: ['Observation'],
  });
  line = (await new Response(exportStream(ctx.log.store, {}, 'ndjson')).text()).trimEnd();
});
afterAll(() => ctx.dispose());

const edit = (f: (e: AuditEvent) => void): string => {
  const e = JSON.parse(line) as AuditEvent;
  f(e);
  return JSON.stringify(e);
};

describe('exported lines bind the whole event', () => {
  it('an untouched line checks ok and says it binds the whole event', () => {
    expect(checkExportedLine(line)).toMatchObject({ ok: true, binds: 'whole-event', problems: [] });
  });

  it.each([
    ['who', (e: AuditEvent) => (e.agent[0]!.who = { reference: `${EHR}/Practitioner/dr-b` })],
    ['whom', (e: AuditEvent) => (e.entity![0]!.what = { reference: `${EHR}/Patient/p2` })],
    [
      'where',
      (e: AuditEvent): void => {
        e.agent.find((a) => a.network?.type === '2')!.network!.address = '203.0.113.9';
      },
    ],
    [
      'the query',
      (e: AuditEvent) => {
        const q = e.entity!.find((x) => x.query !== undefined)!;
        q.query = Buffer.from('Observation?patient=p2').toString('base64');
      },
    ],
    ['a removed entity', (e: AuditEvent) => e.entity!.pop()],
  ] as const)('changing %s fails the check', (_l, f) => {
    const check = checkExportedLine(edit(f));
    expect(check.ok).toBe(false);
    expect(check.problems).toContain(
      'the event differs from what the record commits to (who, whom, what, when, where or the query)',
    );
  });

  it('a line whose salt was removed fails', () => {
    const check = checkExportedLine(
      edit((e) => {
        const chain = e.extension!.find((x) => x.url === CHAIN_EXTENSION_URL)!;
        chain.extension = chain.extension!.filter((x) => x.url !== 'salt');
      }),
    );
    expect(check.problems).toContain('the salt of the record’s payload commitment is missing');
  });

  it('a v1 record (stored before commitments) checks ok but says it binds only time, action and outcome', () => {
    const v1 = edit((e) => {
      const chain = e.extension!.find((x) => x.url === CHAIN_EXTENSION_URL)!.extension!;
      const rec = chain.find((x) => x.url === 'record')!;
      const { payloadCommitment: _c, ...rest } = JSON.parse(
        Buffer.from(rec.valueBase64Binary!, 'base64').toString('utf8'),
      ) as Record<string, unknown>;
      const bytes = canonicalBytes({ ...rest, v: 1 });
      rec.valueBase64Binary = bytes.toString('base64');
      chain.find((x) => x.url === 'leafHash')!.valueString = createHash('sha256')
        .update(Buffer.from([0]))
        .update(bytes)
        .digest('hex');
      e.agent[0]!.who = { reference: `${EHR}/Practitioner/dr-b` };
    });
    expect(checkExportedLine(v1)).toMatchObject({ ok: true, binds: 'time-action-outcome' });
  });
});
