import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { renewConsoleToken, signOutConsole } from './sign-out';
import { ConsoleUserStore } from './users';

const limits = { idleMinutes: 15, maxHours: 12 };
const t0 = Date.UTC(2025, 0, 1, 9);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'console-sign-out-'));
  file = path.join(dir, 'console-users.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function adminOf(store: ConsoleUserStore): Promise<string> {
  await store.ensureAdmin({ password: 'pw-for-tests-1', reveal: () => undefined });
  return (await store.list())[0]!.id;
}

describe('console sign-out', () => {
  it('records console-logout and refuses the session afterwards on another app server', async () => {
    // Two app servers reading the same account store.
    const one = new ConsoleUserStore(file);
    const two = new ConsoleUserStore(file);
    const uid = await adminOf(one);
    const token = { uid, authTime: t0, lastSeen: t0 };
    expect((await renewConsoleToken(token, two, t0 + 60_000, limits)).expired).toBeUndefined();

    const audit = new MemoryAuditLog();
    await signOutConsole({ users: one, audit }, { userId: uid, sourceIp: '10.1.2.3', now: t0 + 120_000 });
    expect(audit.last()).toMatchObject({
      action: 'console-logout',
      outcome: '0',
      tenant: 'console',
      user: `console-user/${uid}`,
      sourceIp: '10.1.2.3',
    });
    // The old cookie, replayed within its idle and absolute limits, is refused everywhere.
    expect((await renewConsoleToken(token, two, t0 + 180_000, limits)).expired).toBe(true);
    expect((await renewConsoleToken(token, one, t0 + 180_000, limits)).expired).toBe(true);
    // A new sign-in after it is accepted.
    const fresh = { uid, authTime: t0 + 200_000, lastSeen: t0 + 200_000 };
    expect((await renewConsoleToken(fresh, two, t0 + 240_000, limits)).expired).toBeUndefined();
  });

  it('ends the sessions even when the sign-out cannot be recorded', async () => {
    const store = new ConsoleUserStore(file);
    const uid = await adminOf(store);
    const audit = new MemoryAuditLog();
    audit.down = true;
    await expect(signOutConsole({ users: store, audit }, { userId: uid, now: t0 + 1 })).rejects.toThrow();
    expect(
      (await renewConsoleToken({ uid, authTime: t0, lastSeen: t0 }, store, t0 + 2, limits)).expired,
    ).toBe(true);
  });

  it('refuses tokens of disabled, unknown or ended accounts and idle sessions', async () => {
    const store = new ConsoleUserStore(file);
    const uid = await adminOf(store);
    const { user } = await store.create({ username: 'olga', role: 'auditor' });
    expect(
      (await renewConsoleToken({ uid: 'nobody-xyz', authTime: t0, lastSeen: t0 }, store, t0, limits)).expired,
    ).toBe(true);
    await store.update(user.id, { disabled: true });
    expect(
      (await renewConsoleToken({ uid: user.id, authTime: t0, lastSeen: t0 }, store, t0, limits)).expired,
    ).toBe(true);
    expect(
      (await renewConsoleToken({ uid, authTime: t0, lastSeen: t0 }, store, t0 + 16 * 60_000, limits)).expired,
    ).toBe(true);
  });
});
