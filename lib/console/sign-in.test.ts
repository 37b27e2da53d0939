import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { SignInThrottle } from './sign-in-throttle';
import { signInWithPassword, type SignInDeps } from './sign-in';
import { SignInGate } from './sign-in-concurrency';
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

describe('sign-ins at once', () => {
  /** An account store whose password checks take a while and count how many run together. */
  function slowUsers() {
    let running = 0;
    let most = 0;
    let checks = 0;
    const store: SignInDeps['users'] = {
      ...users,
      async authenticate(username, password) {
        checks++;
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return users.authenticate(username, password);
      },
    };
    return { store, most: () => most, checks: () => checks };
  }

  it('a burst from one address is checked one attempt at a time: the rest are refused unchecked', async () => {
    const { deps, audit } = setup(10);
    const slow = slowUsers();
    const gated = { ...deps, users: slow.store, gate: new SignInGate() };
    const tries = Array.from({ length: 30 }, (_, i) =>
      signInWithPassword(gated, {
        username: 'alice',
        password: i === 29 ? 'right' : `guess-${i}`,
        sourceIp: '10.0.0.9',
      }),
    );
    const results = await Promise.all(tries);
    expect(slow.checks()).toBe(1);
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.slice(1).every((r) => !r.ok && r.status === 429 && r.reason === 'attempt-in-flight')).toBe(
      true,
    );
    expect(audit.records.filter((r) => r.outcomeDesc === 'attempt-in-flight')).toHaveLength(29);
  });

  it('attempts on one account from many addresses wait their turn, so each is slowed by the failures before it', async () => {
    const { deps, waits } = setup(100);
    const slow = slowUsers();
    const gated = { ...deps, users: slow.store, gate: new SignInGate(20, 10) };
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        signInWithPassword(gated, { username: 'alice', password: 'wrong', sourceIp: `10.1.0.${i}` }),
      ),
    );
    // Three free failures, then 1 s, 2 s, 4 s: as if they had come one after another.
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(slow.most()).toBe(1);
  });

  it('checks one password at a time in the process and refuses what cannot wait', async () => {
    const { deps } = setup(100);
    const slow = slowUsers();
    const gated = { ...deps, users: slow.store, gate: new SignInGate(3, 4) };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        signInWithPassword(gated, { username: `user-${i}`, password: 'x', sourceIp: `10.2.0.${i}` }),
      ),
    );
    expect(slow.most()).toBe(1);
    // One checked at once, three waiting; the other four refused without a check.
    expect(slow.checks()).toBe(4);
    expect(results.filter((r) => !r.ok && r.status === 429 && r.reason === 'busy')).toHaveLength(4);
    // A later attempt has room again.
    expect(
      await signInWithPassword(gated, { username: 'alice', password: 'right', sourceIp: '10.2.0.99' }),
    ).toMatchObject({ ok: true });
  });

  it("its owner at a browser it used before gets in while others' guesses hold every turn of the account", async () => {
    const { deps } = setup(100);
    // Guesses past the free failures sleep their slow-down; here until released.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slept: number[] = [];
    const gated = {
      ...deps,
      gate: new SignInGate(20, 4),
      sleep: async (ms: number) => {
        slept.push(ms);
        await held;
      },
    };
    for (let i = 0; i < 3; i++)
      await signInWithPassword(gated, { username: 'alice', password: 'nope', sourceIp: `10.3.0.${i}` });
    const guesses = Array.from({ length: 4 }, (_, i) =>
      signInWithPassword(gated, { username: 'alice', password: 'nope', sourceIp: `10.4.0.${i}` }),
    );
    await new Promise((r) => setTimeout(r, 10));
    const owner = { username: 'alice', password: 'right', sourceIp: '10.9.0.1' };
    // Every turn is taken: without the known browser, refused.
    expect(await signInWithPassword(gated, owner)).toMatchObject({ ok: false, status: 429, reason: 'busy' });
    // From it: neither queued nor slowed.
    const before = slept.length;
    const known = { ...owner, knownDeviceSince: Date.UTC(2024, 11, 1) };
    expect(await signInWithPassword(gated, known)).toMatchObject({ ok: true });
    expect(slept).toHaveLength(before);
    // A wrong password from a known browser is still a failure, counted and refused.
    const wrong = await signInWithPassword(gated, { ...known, password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, status: 401, reason: 'bad-password' });
    // Once the account's sessions were ended after the cookie was issued (a password reset or change, or an
    // admin's sign-out), the browser is like any other: queued behind the guesses and refused.
    const reset = {
      ...gated,
      users: {
        ...users,
        findByUsername: async () => ({ ...alice, sessionsEndedAt: '2024-12-02T00:00:00.000Z' }),
      },
    };
    expect(await signInWithPassword(reset, known)).toMatchObject({ ok: false, status: 429, reason: 'busy' });
    // Issued after the reset, it is known again.
    expect(
      await signInWithPassword(reset, { ...known, knownDeviceSince: Date.UTC(2024, 11, 3) }),
    ).toMatchObject({ ok: true });
    release();
    await Promise.all(guesses);
  });
});
