/**
 * A primary and a synchronous standby (two local PostgreSQL 15 servers with
 * streaming replication), reached through one address that follows the
 * primary. Chart requests run through the launch guard under load; the
 * primary is killed with SIGKILL mid-load and the standby promoted: the app
 * carries on, and every disclosure answered before the kill has its audit
 * record on the new primary, whose log verifies. Checkpoints are cosigned by
 * a witness, as a cluster deployment requires.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLaunch } from '../../lib/api/launch-guard';
import { createAuditStore, type AuditStore } from '../../lib/audit';
import { publicKeyOf } from '../../lib/audit/checkpoint';
import { generateAuditKeys } from '../../lib/audit/crypto';
import { asApp, freshPgDatabase } from '../../lib/audit/testing/harness';
import type { AuditLog } from '../../lib/audit/types';
import { buildEnv } from '../../lib/env';
import { createSession } from '../../lib/smart/session';
import { openLaunchStore, type LaunchStore } from '../../lib/state';
import { cosignaturesOf } from '../../lib/witness/cosignature';
import { startWitness, type RunningWitness } from '../../lib/witness/testing';
import { standbyUnavailable, startStandbyPair, type StandbyPair } from '../support/pg-standby';
import { oneEhrLaunch } from '../support/one-ehr';

const unavailable = standbyUnavailable();
const TENANT = 'ehr';

describe.skipIf(unavailable !== undefined)('failover to a synchronous standby under load', () => {
  let pair: StandbyPair;
  let store: AuditStore;
  let launches: LaunchStore;
  let witness: RunningWitness;
  let cookie: string;
  let auditDbName: string;
  const checkpoints = mkdtempSync(path.join(tmpdir(), 'failover-cp-'));
  const keys = generateAuditKeys();
  const env = buildEnv({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'failover-')),
    APP_URL: 'http://localhost:3599',
  });
  const { registrations, session } = oneEhrLaunch('LaunchIdForFailoverTest1');

  beforeAll(async () => {
    pair = await startStandbyPair({ balancer: 5490, primary: 5491, standby: 5492 });
    const auditDb = await freshPgDatabase(pair.url);
    auditDbName = new URL(auditDb.url).pathname.slice(1);
    const stateDb = await freshPgDatabase(pair.url);
    witness = await startWitness({
      dataDir: mkdtempSync(path.join(tmpdir(), 'failover-witness-')),
      logKeys: [publicKeyOf(keys.signingKey)],
    });
    store = await createAuditStore({
      database: { kind: 'postgres', url: asApp(auditDb.url), ownerUrl: auditDb.url },
      keys,
      checkpoints,
      checkpointDelayMs: 50,
      witnesses: { witnesses: [{ url: witness.url, cosigner: witness.cosigner }], quorum: 1 },
    });
    launches = await openLaunchStore({ kind: 'postgres', url: stateDb.url });
    const { setCookies: cookies } = await createSession(session, { env, launches }, new Map());
    cookie = cookies.map((c) => c.split(';')[0]).join('; ');
  }, 120_000);
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await launches?.close().catch(() => undefined);
    await witness?.close().catch(() => undefined);
    await pair?.stop();
  }, 60_000);

  it('carries on after the primary is killed and the standby promoted, losing nothing acknowledged', async () => {
    const audit: AuditLog = {
      async record(input) {
        const [r] = await store.append([input]);
        return r!;
      },
    };
    const chartRequest = () =>
      withLaunch(
        new Request('http://localhost:3599/api/x', { headers: { cookie } }),
        session.launchId,
        { env, audit, registrations, launches },
        async () => ({ body: { data: 'patient data' }, disclosure: { action: 'patient-read' } }),
      );
    let phase: 'before' | 'during' | 'after' = 'before';
    const answered = { before: 0, during: 0, after: 0 };
    const refused = { before: 0, during: 0, after: 0 };
    let running = true;
    let firstAnswerAfter: number | undefined;
    const workers = Array.from({ length: 8 }, async () => {
      while (running) {
        const at = phase;
        const res = await chartRequest();
        if (res.status === 200) {
          answered[at] += 1;
          if (at === 'after') firstAnswerAfter ??= Date.now();
        } else {
          // Refused, never half-answered: no patient data without a committed record.
          expect(await res.text()).not.toContain('patient data');
          refused[at] += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    });
    await new Promise((r) => setTimeout(r, 2_000));
    phase = 'during';
    const acknowledgedBeforeKill = answered.before;
    pair.killPrimary();
    await new Promise((r) => setTimeout(r, 1_000));
    await pair.promoteStandby();
    phase = 'after';
    const promotedAt = Date.now();
    await expect.poll(() => answered.after, { timeout: 30_000, interval: 200 }).toBeGreaterThan(20);
    running = false;
    await Promise.all(workers);
    const recoverySeconds = ((firstAnswerAfter ?? NaN) - promotedAt) / 1000;
    let recordedUnanswered = NaN;

    expect(acknowledgedBeforeKill).toBeGreaterThan(20);
    // On the new primary: one gap-free chain holding a record of every answered disclosure.
    const db = new pg.Client({
      connectionString: `${pair.standbyUrl.replace(/\/postgres$/, '')}/${auditDbName}`,
    });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string; hi: string; distinct: string; disclosures: string }>(
        `SELECT count(*) AS n, max(seq) AS hi, count(DISTINCT seq) AS distinct,
                count(*) FILTER (WHERE action = 'patient-read' AND outcome = '0') AS disclosures
           FROM audit.events WHERE tenant = $1`,
        [TENANT],
      );
      const r = rows[0]!;
      expect(Number(r.hi)).toBe(Number(r.n) - 1);
      expect(Number(r.distinct)).toBe(Number(r.n));
      // A commit cut off before its answer may be there without an answer; an answer without its record never.
      const total = answered.before + answered.during + answered.after;
      expect(Number(r.disclosures)).toBeGreaterThanOrEqual(total);
      expect(Number(r.disclosures)).toBeLessThanOrEqual(total + 8);
      recordedUnanswered = Number(r.disclosures) - total;
    } finally {
      await db.end();
    }
    const report = await store.verify();
    expect(report.tenants.flatMap((t) => t.problems)).toEqual([]);
    expect(report.ok).toBe(true);
    // The witness cosigned the new primary's log too: it extends the one cosigned before the kill.
    const head = await store.treeHead(TENANT);
    expect(cosignaturesOf(head.checkpoint?.note ?? '', [witness.cosigner]).valid.size).toBe(1);
    console.warn(
      `failover: ${acknowledgedBeforeKill} answered before the kill, ${refused.during + refused.after} refused meanwhile, ` +
        `the first answer ${recoverySeconds.toFixed(1)} s after the promotion, ` +
        `${recordedUnanswered} recorded without an answer`,
    );
  }, 120_000);
});

describe.skipIf(unavailable === undefined)('failover to a synchronous standby', () => {
  it.skip(`skipped: ${unavailable ?? ''}`, () => undefined);
});
