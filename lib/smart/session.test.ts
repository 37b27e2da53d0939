import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { pgliteDriver } from '../audit/driver-pglite';
import { buildEnv, type Env } from '../env';
import { createSqlLaunchStore, type LaunchStore } from '../state/launch-store';
import { migrateState } from '../state/schema';
import {
  bindLaunchPatient,
  clearSessionCookie,
  createSession,
  launchIdsInCookies,
  readSession,
  type LaunchSession,
} from './session';

/** The launch store's database as an attacker holding the app's state login sees it. */
let db: SqlDriver;
let launches: LaunchStore;
let env: Env;
let httpsEnv: Env;

beforeAll(async () => {
  db = await pgliteDriver(undefined);
  await migrateState(db);
  launches = createSqlLaunchStore(db);
  env = buildEnv({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'session-')),
    APP_URL: 'http://localhost:3000',
  });
  httpsEnv = buildEnv({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'session-')),
    APP_URL: 'https://chart.example.org',
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
async function open(s: LaunchSession, e: Env = env): Promise<Map<string, string>> {
  const { setCookies: set } = await createSession(s, { env: e, launches }, new Map());
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

describe("a launch's cookie, against a sibling subdomain planting one (cookie tossing)", () => {
  it('over https is named __Host-, Secure, Path=/ and without Domain, and cleared by that name', async () => {
    const launchId = 'launch-h-000000000001';
    const { setCookies } = await createSession(
      session(launchId, 'p-1'),
      { env: httpsEnv, launches },
      new Map(),
    );
    const own = setCookies[0]!;
    expect(own).toMatch(new RegExp(`^__Host-sc_s_${launchId}=[A-Za-z0-9_-]{43}; Path=/; `));
    expect(own.split('; ')).toContain('Secure');
    expect(own).not.toMatch(/domain=/i);
    expect(clearSessionCookie({ launchId, framed: false }, httpsEnv)).toMatch(
      new RegExp(`^__Host-sc_s_${launchId}=; Path=/; .*Max-Age=0.*; Secure`),
    );
  });

  it('over https opens the launch only by the __Host- cookie: the bare name with a valid handle opens nothing', async () => {
    const launchId = 'launch-h-000000000002';
    const cookies = await open(session(launchId, 'p-1'), httpsEnv);
    const handle = cookies.get(`__Host-sc_s_${launchId}`)!;
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const deps = { env: httpsEnv, launches };
    expect((await readSession(cookies, launchId, deps)).status).toBe('active');
    const tossed = new Map([[`sc_s_${launchId}`, handle]]);
    expect((await readSession(tossed, launchId, deps)).status).toBe('none');
    // Listed as a candidate (a sign-out looks at every launch the browser names), it still opens nothing.
    expect(launchIdsInCookies(tossed)).toEqual([launchId]);
  });

  it("over https neither counts nor clears a bare cookie when a launch begins: it is not the app's", async () => {
    const other = 'launch-h-000000000003';
    const tossed = await open(session(other, 'p-2'), env);
    expect([...tossed.keys()]).toEqual([`sc_s_${other}`]);
    const { setCookies, displaced } = await createSession(
      session('launch-h-000000000004', 'p-1'),
      { env: httpsEnv, launches },
      tossed,
    );
    expect(setCookies).toHaveLength(1);
    expect(displaced).toEqual([]);
  });

  it('over plain http keeps the bare name', async () => {
    const launchId = 'launch-h-000000000005';
    const cookies = await open(session(launchId, 'p-1'));
    expect([...cookies.keys()]).toEqual([`sc_s_${launchId}`]);
    expect((await readSession(cookies, launchId, { env, launches })).status).toBe('active');
    expect(clearSessionCookie({ launchId, framed: false }, env)).toMatch(new RegExp(`^sc_s_${launchId}=;`));
  });
});
