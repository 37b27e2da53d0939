import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import type { ConsoleRouteDeps } from './route-deps';
import { APP, consoleUser, sameOrigin, testEnv } from './testing';
import { createUserRoute, updateUserRoute } from './user-routes';
import { SignInThrottle } from './sign-in-throttle';
import { renewConsoleToken } from './sign-out';
import { ConsoleUserStore, type ConsoleUser } from './users';

let store: ConsoleUserStore;
let audit: MemoryAuditLog;
let throttle: SignInThrottle;
const env = testEnv();

beforeEach(async () => {
  store = new ConsoleUserStore(path.join(mkdtempSync(path.join(tmpdir(), 'console-users-')), 'users.json'));
  await store.ensureAdmin({ password: 'first-admin-pass', reveal: () => undefined });
  audit = new MemoryAuditLog();
  throttle = new SignInThrottle({ addressMaxFailures: 100, windowMs: 60_000 });
});

const deps = (user: ConsoleUser | undefined): ConsoleRouteDeps => ({
  env,
  audit: Object.assign(audit, { store: {} as ConsoleRouteDeps['audit']['store'] }),
  currentUser: async () => user,
  users: store,
  signInThrottle: throttle,
  registrations: [],
});
const json = (method: string, body: unknown, headers: Record<string, string> = sameOrigin) =>
  new Request(`${APP}/api/console/users`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('console user administration', () => {
  it('lets an admin create an account, showing its password once, and audits it', async () => {
    const res = await createUserRoute(
      json('POST', { username: 'carol', role: 'auditor' }),
      deps(consoleUser('admin')),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string; passwordHash?: string }; password: string };
    expect(body.user).toMatchObject({ username: 'carol', role: 'auditor' });
    expect(body.user.passwordHash).toBeUndefined();
    expect((await store.authenticate('carol', body.password)).ok).toBe(true);
    expect(audit.last()).toMatchObject({
      action: 'console-user-change',
      tenant: 'console',
      user: 'console-user/id-admin-0001',
      detail: `create:${body.user.id}:role=auditor`,
    });
    expect(JSON.stringify(audit.records)).not.toContain(body.password);
  });

  it('lets an admin change a role and disable an account, each audited', async () => {
    const { user } = await store.create({ username: 'dave', role: 'viewer' });
    const patch = (body: unknown) =>
      updateUserRoute(json('PATCH', body), user.id, deps(consoleUser('admin')));
    expect((await patch({ role: 'auditor' })).status).toBe(200);
    expect(audit.last()?.detail).toBe(`update:${user.id}:role=viewer->auditor`);
    expect((await patch({ disabled: true })).status).toBe(200);
    expect(audit.last()?.detail).toBe(`update:${user.id}:disabled=false->true`);
    expect(await store.get(user.id)).toMatchObject({ role: 'auditor', disabled: true });
  });

  it('refuses auditors, cross-site requests, unknown accounts and removing the last admin', async () => {
    expect(
      (await createUserRoute(json('POST', { username: 'eve', role: 'admin' }), deps(consoleUser('auditor'))))
        .status,
    ).toBe(403);
    expect(
      (
        await createUserRoute(
          json('POST', { username: 'eve', role: 'admin' }, { origin: 'https://evil.example' }),
          deps(consoleUser('admin')),
        )
      ).status,
    ).toBe(403);
    expect(
      (await updateUserRoute(json('PATCH', { role: 'viewer' }), 'nobody-0000', deps(consoleUser('admin'))))
        .status,
    ).toBe(404);
    const admin = (await store.list())[0]!;
    expect(
      (await updateUserRoute(json('PATCH', { disabled: true }), admin.id, deps(consoleUser('admin')))).status,
    ).toBe(403);
    // The auditor's attempt, refused for want of the role, and the forged one; nothing was changed.
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'console-role',
        user: 'console-user/id-auditor-0001',
        detail: 'needs:admin;path:/api/console/users',
      }),
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'cross-site-request',
        tenant: 'console',
        detail: 'path:/api/console/users',
      }),
    ]);
    expect((await store.list()).map((u) => u.username)).toEqual(['admin']);
  });

  it('lets an admin end another account’s sessions and unlock its sign-in, each audited', async () => {
    const { user } = await store.create({ username: 'erin', role: 'auditor' });
    const signedIn = Date.now() - 1_000;
    const token = { uid: user.id, authTime: signedIn, lastSeen: signedIn };
    const limits = { idleMinutes: 15, maxHours: 12 };
    expect((await renewConsoleToken(token, store, Date.now(), limits)).expired).toBeUndefined();
    const patch = (body: unknown) =>
      updateUserRoute(json('PATCH', body), user.id, deps(consoleUser('admin')));

    expect((await patch({ endSessions: true })).status).toBe(200);
    expect(audit.last()).toMatchObject({
      action: 'console-user-change',
      user: 'console-user/id-admin-0001',
      detail: `update:${user.id}:sessions=ended`,
    });
    expect((await renewConsoleToken(token, store, Date.now(), limits)).expired).toBe(true);

    for (let i = 0; i < 6; i++) await throttle.fail('erin', `10.0.0.${i}`);
    expect(await throttle.delayMs('erin')).toBeGreaterThan(0);
    expect((await patch({ unlock: true })).status).toBe(200);
    expect(await throttle.delayMs('erin')).toBe(0);
    expect(audit.last()?.detail).toBe(`update:${user.id}:sign-in=unlocked`);
    expect((await patch({ endSessions: false })).status).toBe(400);
  });
});
