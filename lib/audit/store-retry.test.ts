import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAuditKeys } from './crypto';
import type { SqlDriver } from './driver';
import { pgliteDriver } from './driver-pglite';
import { AuditUnavailableError } from './errors';
import { createAuditStore } from './index';
import type { AuditStore } from './store';
import type { AuditInput } from './types';

/**
 * The connection drops right after a statement committed. A read is run again on the new
 * connection; an append is not: its outcome is unknown to the app, and a second run would
 * record the same disclosure twice.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'audit-retry-'));
let db: SqlDriver;
let store: AuditStore;
let dropAfter: RegExp | undefined;

beforeAll(async () => {
  db = await pgliteDriver(path.join(dir, 'db'));
  const flaky: SqlDriver = {
    ...db,
    async query(sql, params) {
      const rows = await db.query(sql, params);
      if (dropAfter?.test(sql)) {
        dropAfter = undefined;
        throw new Error('Connection terminated unexpectedly');
      }
      return rows as never;
    },
  };
  store = await createAuditStore({
    database: flaky,
    keys: generateAuditKeys(),
    checkpoints: path.join(dir, 'checkpoints'),
    checkpointDelayMs: 60_000,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const input: AuditInput = {
  action: 'patient-read',
  outcome: '0',
  tenant: 'ehr',
  user: 'https://ehr.example/fhir/Practitioner/d',
  patient: 'https://ehr.example/fhir/Patient/p1',
  resourceTypes: ['Patient'],
};

describe('the audit store after a lost connection', () => {
  it('does not append twice: the disclosure is refused, and the log holds it once at most', async () => {
    await store.append([input]);
    dropAfter = /audit\.append_events/;
    await expect(store.append([input])).rejects.toThrow(AuditUnavailableError);
    const [row] = await db.query(`SELECT count(*)::int AS n FROM audit.events WHERE tenant = 'ehr'`);
    expect(row?.n).toBe(2);
  });

  it('reads again on the new connection', async () => {
    dropAfter = /FROM audit\.events/;
    const page = await store.query({ tenant: 'ehr' });
    expect(page.items).toHaveLength(2);
    dropAfter = /FROM audit\.heads/;
    expect((await store.treeHead('ehr')).size).toBe(2);
  });
});
