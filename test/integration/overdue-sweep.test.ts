/**
 * The app as `npm start` runs it (sandbox EHR, witness, built server) ends a launch nobody came back to:
 * with a one-minute idle limit and a sweep every two seconds, a launch left alone after its callback (the
 * tab was closed) is ended and its log-off recorded as an idle timeout, with no request to find it so.
 * The record is read from the audit store once the app has stopped (its embedded database is its own
 * while it runs); the token's revocation at the EHR is checked in lib/smart/launch-flow.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cookieHeader, followRedirects, waitFor } from '../support/cluster';
import { openStoppedAppAudit } from '../support/stopped-app';

const PORT = 3575;
const SANDBOX_PORT = 4575;
const url = `http://localhost:${PORT}`;
const sandboxUrl = `http://localhost:${SANDBOX_PORT}`;

describe('the overdue-launch sweep of a running app', () => {
  it('ends and records a launch left idle past its limit, with no request to find it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'overdue-sweep-'));
    const app = spawn(process.execPath, ['scripts/start.mjs'], {
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(PORT),
        SANDBOX_PORT: String(SANDBOX_PORT),
        APP_URL: url,
        SANDBOX_URL: sandboxUrl,
        DATA_DIR: dataDir,
        SESSION_IDLE_MINUTES: '1',
        SESSION_SWEEP_SECONDS: '2',
        LOG_LEVEL: 'warn',
        CONSOLE_ADMIN_PASSWORD: 'overdue-sweep-admin-password',
      },
    });
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    let launchId = '';
    let askedAt = 0;
    try {
      await waitFor(`${url}/api/health`, 300_000);
      await waitFor(`${sandboxUrl}/`, 60_000);
      // The EHR launch, as the browser follows it, up to the chart's address; the chart is never asked for.
      const launched = await followRedirects(
        `${sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=sbx-adult-htn&personality=generic&frame=0`,
        (u) => u.origin === url && u.pathname.startsWith('/chart/'),
      );
      launchId = launched.url.pathname.split('/').pop()!;
      expect(launchId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      const cookie = cookieHeader(launched.jar.get(url));
      // A minute idle, and a few sweeps after it.
      await new Promise((r) => setTimeout(r, 66_000));
      // A request that comes later is told why.
      askedAt = Date.now();
      const later = await fetch(`${url}/api/chart/${launchId}/patient`, { headers: { cookie } });
      expect(later.status).toBe(401);
      expect(await later.text()).toContain('inactivity');
    } finally {
      app.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const store = await openStoppedAppAudit(dataDir);
    try {
      const page = await store.query(
        { tenant: 'sandbox-generic', actions: ['session-timeout'] },
        { limit: 20 },
      );
      const timeouts = page.items.filter((e) => JSON.stringify(e.event).includes(launchId));
      // Once, as the idle timeout it was, before the later request: that one found the launch already ended.
      expect(timeouts).toHaveLength(1);
      expect(JSON.stringify(timeouts[0]!.event)).toContain('idle-timeout');
      expect(Date.parse(timeouts[0]!.recorded)).toBeLessThan(askedAt);
    } finally {
      await store.close();
    }
  }, 420_000);
});
