import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuditStore, type AuditStore } from '../audit';
import { generateAuditKeys } from '../audit/crypto';
import { pgliteDriver } from '../audit/driver-pglite';
import { forgeTail } from '../audit/testing/forger';
import type { AuditInput } from '../audit/types';
import { disclosuresRoute, exportRoute } from './audit-routes';
import { checkExportedLine } from './export-check';
import { exportStream } from './export-stream';
import { readChecked } from './integrity';
import type { ConsoleRouteDeps } from './route-deps';
import { APP, consoleUser, testEnv } from './testing';

/**
 * A row forged with the app's database login (it chains and hashes, but its sealed payload is not
 * the log's): the console shows an integrity error naming tenant and sequence number, and an
 * export ends with a line saying where it stopped and why, instead of a server error.
 */
const TENANT = 'sandbox-epic';
const PATIENT = 'https://ehr.example/fhir/Patient/p1';
const dir = mkdtempSync(path.join(tmpdir(), 'console-forged-'));
let store: AuditStore;
let forgedSeq: number;

const read = (minutes: number): AuditInput => ({
  action: 'patient-read',
  outcome: '0',
  tenant: TENANT,
  user: 'https://ehr.example/fhir/Practitioner/d',
  patient: PATIENT,
  resourceTypes: ['Patient'],
  recorded: new Date(Date.now() + minutes * 60_000),
});

beforeAll(async () => {
  const driver = await pgliteDriver(path.join(dir, 'db'));
  store = await createAuditStore({
    database: driver,
    keys: generateAuditKeys(),
    checkpoints: path.join(dir, 'checkpoints'),
    checkpointDelayMs: 60_000,
  });
  // Newest first: two real events after the forged one, three before it.
  await store.append([read(-30), read(-20), read(-10)]);
  forgedSeq = await forgeTail(driver, TENANT, 1);
  await store.append([read(10), read(20)]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = (): ConsoleRouteDeps => ({
  env: testEnv(),
  audit: {
    store,
    async record(input) {
      const [r] = await store.append([input]);
      return r!;
    },
  },
  currentUser: async () => consoleUser('auditor'),
  users: { list: async () => [] } as unknown as ConsoleRouteDeps['users'],
  registrations: [],
});

describe('a forged audit row met by the console', () => {
  it('is an integrity failure naming tenant and sequence number, and an alert line', async () => {
    const alerts = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await readChecked(() => store.query({ tenant: TENANT }));
      expect(result).toEqual({ failure: { tenant: TENANT, seq: forgedSeq, code: 'event-unreadable' } });
      expect(alerts.mock.calls.map((c) => JSON.parse(String(c[0])) as unknown)).toEqual([
        { event: 'audit-integrity-alert', code: 'event-unreadable', tenant: TENANT, seq: forgedSeq },
      ]);
    } finally {
      alerts.mockRestore();
    }
    // Reads that do not meet the row are untouched.
    const before = await readChecked(() =>
      store.query({ tenant: TENANT, to: new Date(Date.now() - 60_000) }),
    );
    expect('value' in before && before.value.items).toHaveLength(3);
  });

  it('ends an NDJSON export with every event before it and an OperationOutcome saying where and why', async () => {
    const stopped: number[] = [];
    const text = await new Response(
      exportStream(store, { tenant: TENANT }, 'ndjson', { onStopped: (_e, n) => stopped.push(n) }),
    ).text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((l) => checkExportedLine(l).ok)).toEqual([true, true]);
    const outcome = JSON.parse(lines[2]!) as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]).toMatchObject({ severity: 'fatal', code: 'processing' });
    expect(outcome.issue[0]?.diagnostics).toMatch(
      new RegExp(
        `^Export stopped after 2 events, incomplete\\. Audit log integrity error \\(tenant ${TENANT}, sequence number ${forgedSeq}\\): .*altered or forged`,
      ),
    );
    expect(stopped).toEqual([2]);
  });

  it('answers the export route with the events and the stop, and the CSV with a last error row', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const ndjson = await exportRoute(
        new Request(`${APP}/api/console/export?format=ndjson&tenant=${TENANT}`),
        deps(),
      );
      expect(ndjson.status).toBe(200);
      expect((await ndjson.text()).trimEnd().split('\n').at(-1)).toContain(`sequence number ${forgedSeq}`);
      const csv = await exportRoute(
        new Request(`${APP}/api/console/export?format=csv&tenant=${TENANT}`),
        deps(),
      );
      const rows = (await csv.text()).split('\r\n').filter(Boolean);
      expect(rows).toHaveLength(4);
      expect(rows.at(-1)).toMatch(
        new RegExp(
          `^"?ERROR: Export stopped after 2 events, incomplete\\. .*tenant ${TENANT}, sequence number ${forgedSeq}`,
        ),
      );
    } finally {
      vi.mocked(console.error).mockRestore();
    }
  });

  it('answers the accounting CSV with an error naming the place, not a bare 500', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const res = await disclosuresRoute(
        new Request(`${APP}/api/console/disclosures?${new URLSearchParams({ patient: PATIENT, from, to })}`),
        deps(),
      );
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toContain(`tenant ${TENANT}, sequence number ${forgedSeq}`);
    } finally {
      vi.mocked(console.error).mockRestore();
    }
  });
});
