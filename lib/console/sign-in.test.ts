import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { SignInThrottle } from './sign-in-throttle';
import { signInWithPassword, type SignInDeps } from './sign-in';
import type { AuthResult } from './users';

const alice = {
  id: 'user-alice-1',
  username: 'alice',
  role: 'auditor',
  disabled: false,
  local: true,
  secondFactor: false,
  createdAt: '',
  updatedAt: '',
} as const;
const signIns: string[] = [];
const users: SignInDeps['users'] = {
  // alice has no second factor
  async useSecondFactor() {
    return undefined;
  },
  async recordSignIn(id, at) {
    signIns.push(`${id}@${at.toISOString()}`);
  },
  async findByUsername(username) {
    return username === 'alice' ? alice : undefined;
  },
  async authenticate(username, password): Promise<AuthResult> {
    if (username !== 'alice') return { ok: false, reason: 'unknown-user' };
    return password === 'right'
      ? { ok: true, user: alice }
      : { ok: false, reason: 'bad-password', user: alice };
  },
};

function setup(max = 3) {
  const audit = new MemoryAuditLog();
  let now = Date.UTC(2025, 0, 1);
  const waits: number[] = [];
  const deps: SignInDeps = {
    users,
    audit,
    throttle: new SignInThrottle({ addressMaxFailures: max, windowMs: 60_000, freeFailures: 3 }),
    secondFactorKey: Buffer.alloc(32, 7).toString('base64'),
    now: () => now,
    sleep: async (ms) => waits.push(ms),
  };
  return { audit, deps, waits, advance: (ms: number) => (now += ms) };
}

describe('console password sign-in', () => {
  it('audits a success under the console tenant', async () => {
    const { audit, deps } = setup();
    const r = await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '10.0.0.1' });
    expect(r.ok).toBe(true);
    expect(audit.last()).toMatchObject({
      action: 'console-login',
      outcome: '0',
      tenant: 'console',
      user: 'console-user/user-alice-1',
      sourceIp: '10.0.0.1',
    });
    expect(signIns.at(-1)).toBe('user-alice-1@2025-01-01T00:00:00.000Z');
  });

  it('audits each failure with its reason, and never records an unknown username', async () => {
    const { audit, deps } = setup();
    const noted = signIns.length;
    expect(
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: '10.0.0.1' }),
    ).toMatchObject({ ok: false, status: 401 });
    expect(audit.last()).toMatchObject({
      action: 'console-login',
      outcome: '4',
      outcomeDesc: 'bad-password',
      user: 'console-user/user-alice-1',
    });
    await signInWithPassword(deps, { username: 'hunter2-typed-here', password: 'x', sourceIp: '10.0.0.1' });
    expect(audit.last()).toMatchObject({ outcome: '4', outcomeDesc: 'unknown-user' });
    expect(JSON.stringify(audit.last())).not.toContain('hunter2');
    expect(signIns).toHaveLength(noted);
  });

  it('never locks an account: attacks from many addresses only slow it, and its owner gets in', async () => {
    const { audit, deps, waits } = setup(3);
    for (let i = 0; i < 20; i++)
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: `10.0.0.${i}` });
    // Three free failures, then every attempt waits: 1 s, 2 s, 4 s … capped.
    expect(waits).toHaveLength(20 - 3);
    expect(waits.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 8_000, 15_000]);
    expect(Math.max(...waits)).toBe(15_000);
    const owner = await signInWithPassword(deps, {
      username: 'alice',
      password: 'right',
      sourceIp: '10.9.9.9',
    });
    expect(owner.ok).toBe(true);
    expect(audit.last()).toMatchObject({ action: 'console-login', outcome: '0' });
    // Success forgets the account's failures.
    waits.length = 0;
    await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: '10.9.9.9' });
    expect(waits).toEqual([]);
  });

  it('records a refused address with the account it was aiming at', async () => {
    const { audit, deps } = setup(3);
    for (let i = 0; i < 3; i++)
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: '192.0.2.7' });
    expect(
      await signInWithPassword(deps, { username: 'alice', password: 'x', sourceIp: '192.0.2.7' }),
    ).toMatchObject({ ok: false, status: 429, reason: 'rate-limited' });
    expect(audit.last()).toMatchObject({
      action: 'console-login',
      outcome: '4',
      outcomeDesc: 'rate-limited',
      user: 'console-user/user-alice-1',
      sourceIp: '192.0.2.7',
    });
    await signInWithPassword(deps, { username: 'nobody', password: 'x', sourceIp: '192.0.2.7' });
    expect(audit.last()).toMatchObject({ outcomeDesc: 'rate-limited' });
    expect(audit.last()?.user).toBeUndefined();
  });

  it('an admin unlock removes the delay at once', async () => {
    const { deps, waits } = setup(100);
    for (let i = 0; i < 6; i++)
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: '10.0.0.1' });
    await deps.throttle.clearAccount('Alice');
    waits.length = 0;
    expect(
      (await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '10.0.0.1' })).ok,
    ).toBe(true);
    expect(waits).toEqual([]);
  });

  it('forgets failures once the window has passed', async () => {
    const { deps, waits, advance } = setup(3);
    for (let i = 0; i < 3; i++)
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: '192.0.2.9' });
    expect(
      await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '192.0.2.9' }),
    ).toMatchObject({ status: 429 });
    advance(61_000);
    waits.length = 0;
    expect(
      (await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '192.0.2.9' })).ok,
    ).toBe(true);
    expect(waits).toEqual([]);
  });

  it('refuses an address that sprays many accounts', async () => {
    const { deps } = setup(3);
    for (let i = 0; i < 3; i++)
      await signInWithPassword(deps, { username: `guess-${i}`, password: 'x', sourceIp: '192.0.2.7' });
    expect(
      await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '192.0.2.7' }),
    ).toMatchObject({ status: 429 });
    expect(
      (await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '192.0.2.8' })).ok,
    ).toBe(true);
  });

  it('grants no session when the success cannot be recorded', async () => {
    const { audit, deps } = setup();
    audit.down = true;
    expect(
      await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '10.0.0.1' }),
    ).toMatchObject({ ok: false, status: 503 });
  });
});
