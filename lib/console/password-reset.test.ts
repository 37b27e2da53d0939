import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { changePasswordRoute } from './password-route';
import type { ConsoleRouteDeps } from './route-deps';
import { APP, consoleUser, sameOrigin, testEnv } from './testing';
import { accountAcceptsSession } from './session-policy';
import { renewConsoleToken } from './sign-out';
import { updateUserRoute } from './user-routes';
import { ConsoleUserStore, type ConsoleUser } from './users';

let store: ConsoleUserStore;
let audit: MemoryAuditLog;
const env = testEnv();

beforeEach(async () => {
  store = new ConsoleUserStore(path.join(mkdtempSync(path.join(tmpdir(), 'console-users-')), 'users.json'));
  await store.ensureAdmin({ password: 'first-admin-pass', reveal: () => undefined });
  audit = new MemoryAuditLog();
});

const deps = (user: () => Promise<ConsoleUser | undefined>): ConsoleRouteDeps => ({
  env,
  audit: Object.assign(audit, { store: {} as ConsoleRouteDeps['audit']['store'] }),
  currentUser: user,
  users: store,
  registrations: [],
});
const admin = () => deps(async () => consoleUser('admin'));
const json = (url: string, method: string, body: unknown, headers: Record<string, string> = sameOrigin) =>
  new Request(`${APP}${url}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('password reset by an admin and the forced change', () => {
  it('resets, ends sessions, forces a change at the next sign-in, and audits both steps', async () => {
    const created = await store.create({ username: 'frank', role: 'auditor' });
    const id = created.user.id;
    const signedIn = Date.now() - 1_000;
    const token = { uid: id, authTime: signedIn, lastSeen: signedIn };
    const limits = { idleMinutes: 15, maxHours: 12 };

    const res = await updateUserRoute(
      json(`/api/console/users/${id}`, 'PATCH', { resetPassword: true }),
      id,
      admin(),
    );
    expect(res.status).toBe(200);
    const { password, user } = (await res.json()) as { password: string; user: ConsoleUser };
    expect(user.mustChangePassword).toBe(true);
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await store.authenticate('frank', created.password!)).ok).toBe(false);
    expect((await store.authenticate('frank', password)).ok).toBe(true);
    expect((await renewConsoleToken(token, store, Date.now(), limits)).expired).toBe(true);
    expect(audit.last()).toMatchObject({
      action: 'console-user-change',
      user: 'console-user/id-admin-0001',
      detail: `update:${id}:password=reset,must-change=true,sessions=ended`,
    });
    expect(JSON.stringify(audit.records)).not.toContain(password);

    // Until the change, console routes refuse the account.
    const frank = deps(async () => store.get(id));
    const blocked = await updateUserRoute(
      json(`/api/console/users/${id}`, 'PATCH', { unlock: true }),
      id,
      frank,
    );
    expect(blocked.status).toBe(403);

    const short = await changePasswordRoute(
      json('/api/console/password', 'POST', { current: password, next: 'short' }),
      frank,
    );
    expect(short.status).toBe(400);
    const wrong = await changePasswordRoute(
      json('/api/console/password', 'POST', { current: 'not-it', next: 'a-long-new-password' }),
      frank,
    );
    expect(wrong.status).toBe(400);
    expect(
      (
        await changePasswordRoute(
          json(
            '/api/console/password',
            'POST',
            { current: password, next: 'a-long-new-password' },
            {
              origin: 'https://evil.example',
            },
          ),
          frank,
        )
      ).status,
    ).toBe(403);
    // A session of the account begun after the reset, before the change.
    const sessionBeforeChange = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const ok = await changePasswordRoute(
      json('/api/console/password', 'POST', { current: password, next: 'a-long-new-password' }),
      frank,
    );
    expect(ok.status).toBe(200);
    expect((await store.get(id))?.mustChangePassword).toBeUndefined();
    // Every session of the account ends with the change, the one that made it included.
    expect(accountAcceptsSession(await store.get(id), sessionBeforeChange)).toBe(false);
    expect(accountAcceptsSession(await store.get(id), Date.now() + 1_000)).toBe(true);
    expect((await store.authenticate('frank', 'a-long-new-password')).ok).toBe(true);
    expect(audit.last()).toMatchObject({
      user: `console-user/${id}`,
      detail: `update:${id}:password=changed,must-change=false,sessions=ended`,
    });
    expect(JSON.stringify(audit.records)).not.toContain('a-long-new-password');
  });

  it('offers no "no role" and no password for single sign-on accounts', async () => {
    const { user } = await store.create({ username: 'gina@example.org', role: 'viewer', sso: true });
    const patch = (body: unknown) =>
      updateUserRoute(json(`/api/console/users/${user.id}`, 'PATCH', body), user.id, admin());
    expect((await patch({ role: null })).status).toBe(400);
    expect((await patch({ resetPassword: true })).status).toBe(400);
    expect((await store.get(user.id))?.role).toBe('viewer');
    expect(audit.records).toEqual([]);
  });

  it('notes the last sign-in', async () => {
    const { user } = await store.create({ username: 'hal', role: 'viewer' });
    await store.recordSignIn(user.id, new Date('2025-02-03T04:05:06Z'));
    expect((await store.get(user.id))?.lastSignInAt).toBe('2025-02-03T04:05:06.000Z');
  });
});
