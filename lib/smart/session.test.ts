import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { pgliteDriver } from '../audit/driver-pglite';
import { buildEnv, type Env } from '../env';
import { createSqlLaunchStore, type LaunchStore } from '../state/launch-store';
import { migrateState } from '../state/schema';
import { bindLaunchPatient, createSession, readSession, type LaunchSession } from './session';

/** The launch store's database as an attacker holding the app's state login sees it. */
let db: SqlDriver;
let launches: LaunchStore;
let env: Env;

beforeAll(async () => {
  db = await pgliteDriver(undefined);
  await migrateState(db);
  launches = createSqlLaunchStore(db);
  env = buildEnv({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'session-')),
    APP_URL: 'http://localhost:3000',
  });
});
afterAll(async () => {
  await db.close();
});

const session = (launchId: string, patient?: string): LaunchSession => ({
  launchId,
  sid: `sid-${launchId}`,
  regId: 'ehr',
  iss: 'https://ehr.example/fhir',
  vendor: 'generic',
  ...(patient !== undefined ? { patient } : {}),
  needPatientBanner: true,
  framed: false,
  scope: 'launch',
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
});

/** Opens a launch and returns the cookies its browser holds. */
async function open(s: LaunchSession): Promise<Map<string, string>> {
  const { setCookies: set } = await createSession(s, { env, launches }, new Map());
  return new Map(set.map((c) => c.split(';')[0]!.split('=') as [string, string]).filter(([, v]) => v));
}

describe('a launch bound to its patient, against the database login', () => {
  it('opens nothing when the patient was rewritten in the database', async () => {
    const cookies = await open(session('launch-a-000000000001', 'p-1'));
    const before = await readSession(cookies, 'launch-a-000000000001', { env, launches });
    expect(before.status === 'active' && before.session.patient).toBe('p-1');
    await db.query(
      `UPDATE app_state.launches SET patient_id = 'p-2' WHERE launch_id = 'launch-a-000000000001'`,
    );
    expect((await readSession(cookies, 'launch-a-000000000001', { env, launches })).status).toBe('none');
  });

  it("opens nothing when another launch's patient and MAC were copied over", async () => {
    const cookies = await open(session('launch-b-000000000001', 'p-1'));
    await open(session('launch-c-000000000001', 'p-2'));
    await db.query(
      `UPDATE app_state.launches SET (patient_id, patient_mac) =
         (SELECT patient_id, patient_mac FROM app_state.launches WHERE launch_id = 'launch-c-000000000001')
       WHERE launch_id = 'launch-b-000000000001'`,
    );
    expect((await readSession(cookies, 'launch-b-000000000001', { env, launches })).status).toBe('none');
  });

  it('opens nothing when a launch without a patient was given one in the database, but serves one the app bound', async () => {
    const cookies = await open(session('launch-d-000000000001'));
    await db.query(
      `UPDATE app_state.launches SET patient_id = 'p-9' WHERE launch_id = 'launch-d-000000000001'`,
    );
    expect((await readSession(cookies, 'launch-d-000000000001', { env, launches })).status).toBe('none');
    const fresh = await open(session('launch-e-000000000001'));
    expect(await bindLaunchPatient({ env, launches }, 'launch-e-000000000001', 'p-3')).toBe(true);
    const bound = await readSession(fresh, 'launch-e-000000000001', { env, launches });
    expect(bound.status === 'active' && bound.session.patient).toBe('p-3');
  });
});
