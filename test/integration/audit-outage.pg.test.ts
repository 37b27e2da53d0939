/**
 * The audit database going away and coming back, against a real PostgreSQL
 * reached through a TCP proxy the test can cut: readiness turns red, the chart
 * routes answer 503 and disclose nothing, and both recover when it returns.
 * The same when the database answers but the signer cannot store checkpoints.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReadiness } from '../../lib/api/readiness';
import { withLaunch } from '../../lib/api/launch-guard';
import { createAuditStore, type AuditStore } from '../../lib/audit';
import { generateAuditKeys } from '../../lib/audit/crypto';
import { CHECKPOINT_FUNCTION } from '../../lib/audit/schema-functions';
import { asApp, freshPgDatabase, pgTestUrl } from '../../lib/audit/testing/harness';
import type { AuditLog } from '../../lib/audit/types';
import { buildEnv } from '../../lib/env';
import { createSession } from '../../lib/smart/session';
import type { LaunchStore } from '../../lib/state/launch-store';
import { memoryLaunchStore } from '../../lib/state/testing';
import { oneEhrLaunch } from '../support/one-ehr';

const SUPER = pgTestUrl();

class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** The database is gone: open connections drop and new ones are refused. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe.skipIf(!SUPER)('audit database outage (PostgreSQL; set AUDIT_TEST_PG_URL to run)', () => {
  let db: { url: string; drop(): Promise<void> };
  let proxy: CuttableProxy;
  let store: AuditStore;
  let audit: AuditLog & { store: AuditStore };
  let cookie: string;
  let launches: LaunchStore;
  const env = buildEnv({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outage-')),
    APP_URL: 'http://localhost:3999',
  });
  const { registrations, session } = oneEhrLaunch('LaunchIdForOutageTest01');
  const disclose = async () => ({
    body: { data: 'patient data' },
    disclosure: { action: 'patient-read' as const },
  });
  const chartRequest = () =>
    withLaunch(
      new Request('http://localhost:3999/api/x', { headers: { cookie } }),
      session.launchId,
      { env, audit, registrations, launches },
      disclose,
    );

  beforeAll(async () => {
    db = await freshPgDatabase(SUPER!);
    const u = new URL(db.url);
    proxy = new CuttableProxy({ host: u.hostname, port: Number(u.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(asApp(db.url));
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    store = await createAuditStore({
      database: { kind: 'postgres', url: viaProxy.toString(), ownerUrl: db.url },
      keys: generateAuditKeys(),
      checkpoints: mkdtempSync(path.join(tmpdir(), 'outage-cp-')),
      checkpointDelayMs: 50,
      coverageBoundMs: 1000,
    });
    audit = {
      store,
      async record(input) {
        const [r] = await store.append([input]);
        return r!;
      },
    };
    launches = await memoryLaunchStore();
    const { setCookies: cookies } = await createSession(session, { env, launches }, new Map());
    cookie = cookies.map((c) => c.split(';')[0]).join('; ');
  }, 60_000);

  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await launches?.close();
    await db?.drop();
  });

  it('is ready and discloses while the database answers', async () => {
    expect((await checkReadiness(async () => audit, [])).ready).toBe(true);
    const res = await chartRequest();
    expect(res.status).toBe(200);
  });

  it('turns red, answers 503 and sends no patient data while the database is gone, and recovers', async () => {
    await proxy.cut();
    const readiness = await checkReadiness(async () => audit, []);
    expect(readiness).toMatchObject({ ready: false, audit: 'unavailable' });
    const res = await chartRequest();
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('patient data');

    await proxy.start();
    await expect
      .poll(async () => (await checkReadiness(async () => audit, [])).ready, {
        timeout: 20_000,
        interval: 500,
      })
      .toBe(true);
    expect((await chartRequest()).status).toBe(200);
    const report = await store.verify();
    expect(report.ok).toBe(true);
  }, 60_000);

  it('turns red and answers 503 when the signer is stopped (checkpoints refused), and recovers', async () => {
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    try {
      await owner.query(`REVOKE EXECUTE ON FUNCTION ${CHECKPOINT_FUNCTION} FROM audit_writer`);
      // Data keeps flowing until the events wait for a signature longer than the bound.
      expect((await chartRequest()).status).toBe(200);
      await expect
        .poll(async () => (await checkReadiness(async () => audit, [])).audit, {
          timeout: 10_000,
          interval: 200,
        })
        .toBe('unavailable');
      expect(store.health().problems[0]).toMatchObject({ tenant: 'ehr', code: 'unsigned-tail' });
      const res = await chartRequest();
      expect(res.status).toBe(503);
      expect(await res.text()).not.toContain('patient data');

      await owner.query(`GRANT EXECUTE ON FUNCTION ${CHECKPOINT_FUNCTION} TO audit_writer`);
      await expect
        .poll(async () => (await checkReadiness(async () => audit, [])).ready, {
          timeout: 10_000,
          interval: 200,
        })
        .toBe(true);
      expect((await chartRequest()).status).toBe(200);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await owner.end();
    }
  }, 60_000);
});
