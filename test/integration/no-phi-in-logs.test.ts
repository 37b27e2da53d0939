/**
 * No patient data and no secret in the app's log, at its most talkative level (LOG_LEVEL=trace), over a day's
 * mix of launches: every vendor personality, every sandbox patient (the shared Synthea patients too when
 * ../shared is beside the project), the chart page and every data route, an EHR answering 500 and 429, a token
 * revoked mid-use, a forged `iss`, a callback nobody started, and sign-out. The production server's whole output
 * (stdout and stderr, JSON lines and anything else) is searched for each patient's names, birth date, identifiers
 * and id, and for the authorization codes, `state` values and cookie handles this test saw pass.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../lib/audit/testing/harness';
import { loadSandboxConfig } from '../../sandbox/config';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { exited } from '../support/child-processes';
import { cookieHeader, followRedirects, waitFor, type Jar } from '../support/cluster';

const APP_PORT = 3590;
const SANDBOX_PORT = 4590;
const APP = `http://localhost:${APP_PORT}`;
const SANDBOX = `http://localhost:${SANDBOX_PORT}`;
const SYNTHEA = path.resolve(import.meta.dirname, '../..', '../shared/fixtures/synthea');
const PERSONALITIES = ['generic', 'epic', 'cerner', 'athena', 'nextgen'] as const;
const WIDGETS = ['banner', 'vitals', 'labs', 'problems'] as const;

/** What of a patient must never be written to a log: names, birth date, identifiers, the id. */
function phiOf(p: Patient): string[] {
  const names = (p.name ?? []).flatMap((n) => [...(n.given ?? []), n.family ?? '']);
  const ids = (p.identifier ?? []).flatMap((i) => (i.value ? [i.value] : []));
  // Short words ("Li", "Jo") occur inside ordinary log text; they are left to the longer parts of the same name.
  return [...names, ...ids, p.birthDate ?? '', p.id ?? ''].filter((s) => s.length >= 4);
}

describe('the app log over a day of launches', () => {
  let sandbox: RunningSandbox;
  let server: ReturnType<typeof spawn>;
  let output = '';
  const jar: Jar = new Map();
  /** Secrets that crossed the browser's side of the flow: codes, states, cookie handles. */
  const seen = new Set<string>();
  let patients: Patient[] = [];

  beforeAll(async () => {
    const { buildIfNeeded } = (await import(path.resolve('scripts/build-if-needed.mjs'))) as {
      buildIfNeeded: (o?: { quiet?: boolean }) => boolean;
    };
    buildIfNeeded({ quiet: true });
    sandbox = await startSandbox(
      loadSandboxConfig({
        SANDBOX_PORT: String(SANDBOX_PORT),
        SANDBOX_PUBLIC_URL: SANDBOX,
        SANDBOX_APP_URL: APP,
        SANDBOX_LARGE_PATIENT: 'false',
        SANDBOX_BUNDLES_DIR: ['e2e/fixtures/bundles', ...(existsSync(SYNTHEA) ? [SYNTHEA] : [])].join(':'),
      }),
    );
    server = spawn(process.execPath, ['scripts/server.mjs'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(APP_PORT),
        APP_URL: APP,
        SANDBOX_URL: SANDBOX,
        DATA_DIR: tempDir('no-phi-logs-'),
        LOG_LEVEL: 'trace',
      },
    });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(`${APP}/api/health`, 120_000);
    const bundle = (await (await fetch(`${SANDBOX}/open/fhir/Patient?_count=500`)).json()) as Bundle<Patient>;
    patients = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  }, 300_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    if (server) await exited(server);
    await sandbox?.close();
  });

  /** An EHR launch through to the chart: the chart page and every data route, as the browser asks for them. */
  async function openChart(patient: string, personality: string, faults?: unknown): Promise<string> {
    const start = new URL(`${SANDBOX}/launch/ehr`);
    start.searchParams.set('practitioner', 'sbx-dr-lee');
    start.searchParams.set('patient', patient);
    start.searchParams.set('personality', personality);
    start.searchParams.set('frame', '0');
    if (faults) start.searchParams.set('faults', JSON.stringify(faults));
    const r = await followRedirects(
      start.toString(),
      (u) => u.origin === APP && u.pathname.startsWith('/chart/'),
      jar,
    );
    for (const hop of r.hops)
      for (const key of ['code', 'state']) {
        const v = hop.url.searchParams.get(key);
        if (v && v.length >= 8) seen.add(v);
      }
    expect(r.url.pathname).toMatch(/^\/chart\//);
    const launchId = r.url.pathname.split('/').pop()!;
    const cookie = cookieHeader(jar.get(new URL(APP).origin));
    const handle = jar.get(new URL(APP).origin)?.get(`sc_s_${launchId}`);
    if (handle) seen.add(handle);
    await (await fetch(r.url, { headers: { cookie } })).arrayBuffer();
    await Promise.all(
      WIDGETS.map(async (w) => {
        const res = await fetch(`${APP}/api/chart/${launchId}/${w}?range=all`, { headers: { cookie } });
        await res.arrayBuffer();
      }),
    );
    return launchId;
  }

  it('names no patient and holds no code, state or cookie handle', async () => {
    expect(patients.length).toBeGreaterThan(5);
    for (const [i, p] of patients.entries()) await openChart(p.id!, PERSONALITIES[i % PERSONALITIES.length]!);
    const some = patients[0]!.id!;
    await openChart(some, 'generic', [{ kind: 'status-500', count: 20 }]);
    await openChart(some, 'epic', [{ kind: 'status-429', retryAfterSeconds: 1, count: 2 }]);
    const revoked = await openChart(some, 'cerner', [{ kind: 'revoke-after', requests: 1 }]);
    // A forged issuer, and a callback nobody started.
    await (
      await fetch(`${APP}/launch?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`)
    ).text();
    seen.add('forged-code-7d41c2').add('forged-state-9e07b3');
    await (await fetch(`${APP}/callback?code=forged-code-7d41c2&state=forged-state-9e07b3`)).text();
    // Sign-out of every chart this client holds.
    const out = await fetch(`${APP}/api/chart/${revoked}/logout`, {
      method: 'POST',
      headers: {
        cookie: cookieHeader(jar.get(new URL(APP).origin)),
        origin: APP,
        'content-type': 'application/json',
      },
      body: '{"reason":"user"}',
    });
    expect(out.status).toBe(200);
    // Give the last lines time to arrive.
    await new Promise((r) => setTimeout(r, 500));

    // The log did record the day (so an empty log cannot pass): a login per launch, the EHR's failures.
    expect(output.match(/"event":"login"/g)?.length ?? 0).toBeGreaterThanOrEqual(patients.length);
    expect(output).toContain('"event":"fetch-failed"');
    const found: string[] = [];
    for (const p of patients) for (const s of phiOf(p)) if (output.includes(s)) found.push(`${p.id}: ${s}`);
    for (const s of seen) if (output.includes(s)) found.push(`a secret of the flow: ${s.slice(0, 4)}…`);
    if (/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(output)) found.push('a JWT');
    expect(found).toEqual([]);
  }, 600_000);
});
