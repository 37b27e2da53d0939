import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { guardConsoleUser, type ConsoleRouteDeps } from './route-deps';
import { APP, consoleUser, sameOrigin, testEnv } from './testing';
import { newTotpSecret, sealEnrolment } from './second-factor';
import { confirmSecondFactorRoute } from './second-factor-route';
import { updateUserRoute } from './user-routes';
import { ConsoleUserStore, type ConsoleUser } from './users';

const env = testEnv();
const KEY = env.secrets.sessionSecret;
let store: ConsoleUserStore;
let audit: MemoryAuditLog;
let officer: ConsoleUser;

beforeEach(async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'console-2fa-route-')), 'users.json');
  // The console requires a second factor of every local account.
  store = new ConsoleUserStore(file, { requireSecondFactor: true });
  const created = await store.create({ username: 'officer', role: 'auditor' });
  // The password the admin was shown is replaced first, as the console asks.
  officer = await store.changePassword(created.user.id, created.password!, 'officer-own-pass-2');
  audit = new MemoryAuditLog();
});

const deps = (user: ConsoleUser | undefined): ConsoleRouteDeps => ({
  env,
  audit: Object.assign(audit, { store: {} as ConsoleRouteDeps['audit']['store'] }),
  currentUser: async () => user,
  users: store,
  registrations: [],
});
const post = (body: unknown, headers: Record<string, string> = sameOrigin) =>
  new Request(`${APP}/api/console/second-factor`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('setting up a second factor', () => {
  it('keeps an account that must enrol out of everything else until it has', async () => {
    expect(officer.mustEnrolSecondFactor).toBe(true);
    const guard = guardConsoleUser(officer, 'auditor');
    expect('response' in guard && guard.response.status).toBe(403);

    const secret = newTotpSecret();
    const enrolment = await sealEnrolment(secret, officer.id, KEY);
    const res = await confirmSecondFactorRoute(
      post({ enrolment, code: await generate({ secret }) }),
      deps(officer),
    );
    expect(res.status).toBe(200);
    const after = (await store.get(officer.id))!;
    expect(after).toMatchObject({ secondFactor: true });
    expect(after.mustEnrolSecondFactor).toBeUndefined();
    expect('user' in guardConsoleUser(after, 'auditor')).toBe(true);
    expect(audit.last()).toMatchObject({
      action: 'console-user-change',
      user: `console-user/${officer.id}`,
      detail: `update:${officer.id}:second-factor=enrolled`,
    });
    expect(JSON.stringify(audit.records)).not.toContain(secret);
  });

  it('refuses a wrong code, another account’s offer, a second enrolment and cross-site requests', async () => {
    const secret = newTotpSecret();
    const enrolment = await sealEnrolment(secret, officer.id, KEY);
    expect((await confirmSecondFactorRoute(post({ enrolment, code: '000000' }), deps(officer))).status).toBe(
      400,
    );
    const someoneElse = consoleUser('auditor');
    expect(
      (
        await confirmSecondFactorRoute(
          post({ enrolment, code: await generate({ secret }) }),
          deps(someoneElse),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await confirmSecondFactorRoute(
          post({ enrolment, code: await generate({ secret }) }, { origin: 'https://evil.example' }),
          deps(officer),
        )
      ).status,
    ).toBe(403);
    expect((await confirmSecondFactorRoute(post({ enrolment, code: '1' }), deps(undefined))).status).toBe(
      401,
    );
    // Only the forged confirmation, refused before the session is read, is recorded.
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcomeDesc: 'cross-site-request',
        tenant: 'console',
        detail: 'path:/api/console/second-factor',
      }),
    ]);
    expect((await store.get(officer.id))?.secondFactor).toBe(false);

    expect(
      (await confirmSecondFactorRoute(post({ enrolment, code: await generate({ secret }) }), deps(officer)))
        .status,
    ).toBe(200);
    const again = newTotpSecret();
    const res = await confirmSecondFactorRoute(
      post({
        enrolment: await sealEnrolment(again, officer.id, KEY),
        code: await generate({ secret: again }),
      }),
      deps(officer),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/already has/);
  });

  it('lets an admin reset it, audited; the account is asked to enrol again', async () => {
    const secret = newTotpSecret();
    await confirmSecondFactorRoute(
      post({ enrolment: await sealEnrolment(secret, officer.id, KEY), code: await generate({ secret }) }),
      deps(officer),
    );
    const patch = (by: ConsoleUser) =>
      updateUserRoute(
        new Request(`${APP}/api/console/users/${officer.id}`, {
          method: 'PATCH',
          headers: { ...sameOrigin, 'content-type': 'application/json' },
          body: JSON.stringify({ resetSecondFactor: true }),
        }),
        officer.id,
        deps(by),
      );
    expect((await patch(consoleUser('auditor'))).status).toBe(403);
    const res = await patch(consoleUser('admin'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: ConsoleUser }).user).toMatchObject({
      secondFactor: false,
      mustEnrolSecondFactor: true,
    });
    expect(audit.last()).toMatchObject({
      action: 'console-user-change',
      user: 'console-user/id-admin-0001',
      detail: `update:${officer.id}:second-factor=reset`,
    });
    // Nothing left to reset.
    expect((await patch(consoleUser('admin'))).status).toBe(400);
  });
});
