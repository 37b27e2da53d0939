/**
 * The audit console's sign-in on two production app instances behind HAProxy
 * (round-robin, no stickiness) sharing one PostgreSQL: a TOTP code spent on
 * one instance is refused on the other, and failed sign-ins spread over both
 * are counted as one (app_state.rate_windows). Over HTTP, as the sign-in page
 * posts them; each response names the instance that served it.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTestUrl } from '../../lib/audit/testing/harness';
import { clusterUnavailable, startCluster, type Cluster } from '../support/cluster';

const PG = pgTestUrl();
const unavailable = clusterUnavailable(PG);
const ADMIN_PASSWORD = 'cluster-console-admin-password';
/** CONSOLE_LOGIN_MAX_FAILURES: failures one address may make in the window. */
const MAX_FAILURES = 8;

interface Attempt {
  readonly status: number;
  readonly instance: string | null;
  /** The session cookie of a successful sign-in, else ''. */
  readonly session: string;
  /** The sign-in page's `error` parameter on a refusal. */
  readonly error: string | null;
  readonly ms: number;
}

/** next-auth's CSRF token and its cookie, as the sign-in page holds them between attempts. */
interface Csrf {
  readonly token: string;
  readonly cookie: string;
}

async function csrfOf(base: string): Promise<Csrf> {
  const res = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .join('; ');
  return { token: csrfToken, cookie };
}

/** One sign-in as the console's sign-in page posts it: one request, which the balancer hands to the next instance. */
async function signIn(
  base: string,
  csrf: Csrf,
  fields: { username: string; password: string; code?: string },
): Promise<Attempt> {
  const started = performance.now();
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    body: new URLSearchParams({ csrfToken: csrf.token, ...fields, json: 'true' }),
  });
  const ms = performance.now() - started;
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const session = res.headers.getSetCookie().find((x) => x.startsWith('console.session-token='));
  return {
    status: res.status,
    instance: res.headers.get('x-chart-instance'),
    session: session?.split(';')[0] ?? '',
    error: body.url ? new URL(body.url).searchParams.get('error') : null,
    ms,
  };
}

/** The code an authenticator app shows at `epochSeconds`. */
const codeAt = (secret: string, epochSeconds: number) => generate({ secret, epoch: epochSeconds });

describe.skipIf(unavailable !== undefined)('console sign-in on two instances behind a balancer', () => {
  let c: Cluster;
  let csrf: Csrf;
  /** Failed sign-ins this file has made, all from the balancer's address (every request comes through it). */
  let failures = 0;
  const attempt = async (fields: { username: string; password: string; code?: string }) => {
    const a = await signIn(c.url, csrf, fields);
    if (a.status === 401) failures += 1;
    return a;
  };
  const names = () => c.instances.map((i) => i.name);
  /** The admin's session once signed in with a second factor (the first test). */
  let signedIn = '';

  beforeAll(async () => {
    c = await startCluster({
      pgUrl: PG!,
      port: 5315,
      sandboxPort: 5325,
      instances: 2,
      env: {
        CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CONSOLE_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      },
    });
    csrf = await csrfOf(c.url);
  }, 900_000);
  afterAll(async () => {
    await c?.stop();
  }, 60_000);

  /** The setup key of the second-factor page, confirmed with a current code; returns the secret. */
  const enrol = async (session: string): Promise<string> => {
    const html = await (
      await fetch(`${c.url}/console/second-factor`, { headers: { cookie: session } })
    ).text();
    const secret = /otpauth:\/\/totp\/[^"<\s]*?secret=([A-Z2-7]+)/.exec(html)?.[1];
    const enrolment = /enrolment\\?":\\?"([^"\\]+)/.exec(html)?.[1];
    expect(secret, 'setup key on the page').toBeDefined();
    expect(enrolment, 'the sealed offer in the page').toBeDefined();
    const res = await fetch(`${c.url}/api/console/second-factor`, {
      method: 'POST',
      headers: { cookie: session, origin: c.url, 'content-type': 'application/json' },
      body: JSON.stringify({ enrolment, code: await codeAt(secret!, Math.floor(Date.now() / 1000)) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return secret!;
  };

  it('refuses on one instance a TOTP code spent on the other, and lets only one of two racing sign-ins spend a code', async () => {
    const creds = { username: 'admin', password: ADMIN_PASSWORD };
    const admin = await attempt(creds);
    expect(admin.session).not.toBe('');
    const secret = await enrol(admin.session);

    // The code that confirmed the set-up is spent everywhere; the next step's code is within the skew allowed.
    const step = Math.floor(Date.now() / 30_000);
    const next = await codeAt(secret, (step + 1) * 30);
    const first = await attempt({ ...creds, code: next });
    expect(first.session).not.toBe('');
    signedIn = first.session;
    // The balancer hands the next request to the other instance: the same code, replayed there.
    const replayed = await attempt({ ...creds, code: next });
    expect(replayed.instance).not.toBe(first.instance);
    // Refused with the right password: the code was the reason (the page says so no more than for a wrong
    // password, lib/console/auth-options.ts; the audit record names it).
    expect([replayed.status, replayed.error, replayed.session]).toEqual([401, 'CredentialsSignin', '']);
    const log = await fetch(`${c.url}/api/console/export?format=ndjson`, {
      headers: { cookie: first.session },
    });
    expect(log.status).toBe(200);
    expect(await log.text()).toContain('code-replayed');

    // A later code sent twice at once, one request to each instance: one sign-in spends it, the other is refused.
    await new Promise((r) => setTimeout(r, (step + 2) * 30_000 - Date.now() + 500));
    const later = await codeAt(secret, Math.floor(Date.now() / 1000));
    const race = await Promise.all([1, 2].map(() => attempt({ ...creds, code: later })));
    expect(race.map((a) => a.instance).sort()).toEqual(names());
    expect(race.filter((a) => a.session !== '')).toHaveLength(1);
    expect(race.filter((a) => a.status === 401 && a.error === 'CredentialsSignin')).toHaveLength(1);
  }, 120_000);

  it('opens on every instance the patient one instance sealed into a search address, and refuses a changed seal on every one', async () => {
    expect(signedIn, 'signed in by the first test').not.toBe('');
    const PATIENT = 'Brennan, Marcus';
    for (const sealer of c.instances) {
      const posted = await fetch(`${sealer.url}/api/console/search`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: signedIn, origin: c.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ patient: PATIENT }),
      });
      expect(posted.status, sealer.name).toBe(303);
      const location = new URL(posted.headers.get('location') ?? '', c.url);
      expect(location.search).not.toContain('Brennan');
      const pt = location.searchParams.get('pt');
      expect(pt, sealer.name).toBeTruthy();
      for (const opener of c.instances) {
        // The page of the search names its patient in the form, opened from the seal.
        const page = await fetch(`${opener.url}${location.pathname}${location.search}`, {
          headers: { cookie: signedIn },
        });
        expect(page.status, `${sealer.name} → ${opener.name}`).toBe(200);
        expect(await page.text(), `${sealer.name} → ${opener.name}`).toContain(PATIENT);
        const exported = await fetch(
          `${opener.url}/api/console/export?format=csv&pt=${encodeURIComponent(pt!)}`,
          {
            headers: { cookie: signedIn },
          },
        );
        expect(exported.status, `export ${sealer.name} → ${opener.name}`).toBe(200);
        await exported.body?.cancel();
        const changed = `${pt!.slice(0, -2)}${pt!.endsWith('AA') ? 'BB' : 'AA'}`;
        const refused = await fetch(
          `${opener.url}/api/console/export?format=csv&pt=${encodeURIComponent(changed)}`,
          {
            headers: { cookie: signedIn },
          },
        );
        expect(refused.status, `changed seal on ${opener.name}`).toBe(400);
      }
    }
  }, 60_000);

  it('counts failed sign-ins spread over both instances as one: the account slows down, then the address is refused everywhere', async () => {
    // An account's first three failures cost nothing; each after that waits longer.
    const account = { username: 'officer-under-attack', password: 'not-the-password' };
    const spread: Attempt[] = [];
    while (failures < MAX_FAILURES) {
      const a = await attempt(account);
      expect(a.status, JSON.stringify(a)).toBe(401);
      spread.push(a);
    }
    const served = (name: string) => spread.filter((a) => a.instance === name).length;
    // Both instances took failures, and neither saw enough to refuse on its own count.
    for (const name of names()) {
      expect(served(name), name).toBeGreaterThan(0);
      expect(served(name), name).toBeLessThan(MAX_FAILURES - 2);
    }
    // The account's 4th, 5th and 6th failures waited 1, 2 and 4 s, on whichever instance took them.
    const waits = spread.slice(3, 6);
    expect(waits).toHaveLength(3);
    expect(new Set(waits.map((a) => a.instance)).size).toBe(2);
    waits.forEach((a, i) =>
      expect(a.ms, `attempt ${i + 4} on ${a.instance}`).toBeGreaterThanOrEqual(1_000 * 2 ** i),
    );

    // The address has used up its failures: every instance refuses it, the right password included.
    const refused: Attempt[] = [];
    for (const fields of [account, account, { username: 'admin', password: ADMIN_PASSWORD }, account])
      refused.push(await signIn(c.url, csrf, fields));
    expect(new Set(refused.map((a) => a.instance)).size).toBe(2);
    for (const a of refused) expect([a.status, a.error, a.session]).toEqual([429, 'RateLimited', '']);
  }, 180_000);
});
