import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { FailureWindow } from './rate-limit';
import { signInWithPassword, type SignInDeps } from './sign-in';
import type { AuthResult } from './users';

const alice = {
  id: 'user-alice-1',
  username: 'alice',
  role: 'auditor',
  disabled: false,
  local: true,
  createdAt: '',
  updatedAt: '',
} as const;
const users: SignInDeps['users'] = {
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
  const deps: SignInDeps = { users, audit, limiter: new FailureWindow(max, 60_000), now: () => now };
  return { audit, deps, advance: (ms: number) => (now += ms) };
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
  });

  it('audits each failure with its reason, and never records an unknown username', async () => {
    const { audit, deps } = setup();
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
  });

  it('refuses an account after too many failures, even with the right password, until the window passes', async () => {
    const { audit, deps, advance } = setup(3);
    for (let i = 0; i < 3; i++)
      await signInWithPassword(deps, { username: 'alice', password: 'nope', sourceIp: `10.0.0.${i}` });
    const refused = await signInWithPassword(deps, {
      username: 'alice',
      password: 'right',
      sourceIp: '10.9.9.9',
    });
    expect(refused).toMatchObject({ ok: false, status: 429, reason: 'rate-limited' });
    expect(audit.last()).toMatchObject({
      action: 'console-login',
      outcome: '4',
      outcomeDesc: 'rate-limited',
    });
    advance(61_000);
    expect(
      (await signInWithPassword(deps, { username: 'alice', password: 'right', sourceIp: '10.9.9.9' })).ok,
    ).toBe(true);
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
