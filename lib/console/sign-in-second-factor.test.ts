import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { SignInThrottle } from './sign-in-throttle';
import { newTotpSecret, sealTotpSecret } from './second-factor';
import { signInWithPassword, type SignInDeps } from './sign-in';
import { ConsoleUserStore } from './users';

const KEY = Buffer.alloc(32, 3).toString('base64');
const START = Date.UTC(2026, 11, 1, 12, 0, 15);

/** A real account file with one officer who has a second factor. */
async function setup(addressMaxFailures = 100) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'console-2fa-')), 'console-users.json');
  const users = new ConsoleUserStore(file);
  const { user, password } = await users.create({ username: 'officer', role: 'auditor' });
  const secret = newTotpSecret();
  await users.enrolSecondFactor(
    user.id,
    await sealTotpSecret(secret, user.id, KEY),
    Math.floor(START / 30_000) - 10,
    new Date(START),
  );
  let now = START;
  const waits: number[] = [];
  const audit = new MemoryAuditLog();
  const deps: SignInDeps = {
    users,
    audit,
    throttle: new SignInThrottle({ addressMaxFailures, windowMs: 600_000, freeFailures: 3 }),
    secondFactorKey: KEY,
    now: () => now,
    sleep: async (ms) => waits.push(ms),
  };
  const code = (at = now) => generate({ secret, epoch: Math.floor(at / 1000) });
  const signIn = (input: { code?: string; sourceIp?: string; password?: string }) =>
    signInWithPassword(deps, {
      username: 'officer',
      password: input.password ?? password!,
      sourceIp: input.sourceIp ?? '10.0.0.1',
      ...(input.code !== undefined ? { code: input.code } : {}),
    });
  return {
    file,
    users,
    user,
    password: password!,
    secret,
    deps,
    audit,
    waits,
    code,
    signIn,
    advance: (ms: number) => (now += ms),
  };
}

describe('console sign-in with a second factor', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    t = await setup();
  });

  it('needs the password and the current code', async () => {
    expect(await t.signIn({})).toMatchObject({ ok: false, status: 401, reason: 'code-required' });
    expect(await t.signIn({ code: await t.code() })).toMatchObject({ ok: true });
    expect(t.audit.last()).toMatchObject({ action: 'console-login', outcome: '0' });
  });

  it('refuses a wrong code, and a code already used, and records why', async () => {
    const right = await t.code();
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await t.signIn({ code: wrong })).toMatchObject({ ok: false, reason: 'bad-code' });
    expect(t.audit.last()).toMatchObject({ outcome: '4', outcomeDesc: 'bad-code' });
    expect((await t.signIn({ code: right })).ok).toBe(true);
    // The same code again, still within its 30 seconds: refused.
    t.advance(5_000);
    expect(await t.signIn({ code: right })).toMatchObject({ ok: false, reason: 'code-replayed' });
    expect(t.audit.last()).toMatchObject({ outcome: '4', outcomeDesc: 'code-replayed' });
    // The next step's code works.
    t.advance(30_000);
    expect((await t.signIn({ code: await t.code() })).ok).toBe(true);
  });

  it('a right code never rescues a wrong password, and does not get spent by it', async () => {
    const right = await t.code();
    expect(await t.signIn({ password: 'not-the-password', code: right })).toMatchObject({
      reason: 'bad-password',
    });
    expect((await t.signIn({ code: right })).ok).toBe(true);
  });

  it('counts failed codes toward the sign-in throttle', async () => {
    for (let i = 0; i < 6; i++) await t.signIn({ code: '000000', sourceIp: `10.0.1.${i}` });
    // Three free failures, then each attempt on the account waits longer, as after wrong passwords.
    expect(t.waits).toEqual([1_000, 2_000, 4_000]);
    const blocked = await setup(3);
    for (let i = 0; i < 3; i++) await blocked.signIn({ sourceIp: '192.0.2.5' });
    expect(await blocked.signIn({ code: await blocked.code(), sourceIp: '192.0.2.5' })).toMatchObject({
      ok: false,
      status: 429,
    });
  });

  it('an admin reset leaves the password alone', async () => {
    await t.users.resetSecondFactor(t.user.id, new Date(START));
    expect((await t.signIn({})).ok).toBe(true);
  });

  it('refuses a secret sealed under another key until an admin resets it', async () => {
    const rotated: SignInDeps = { ...t.deps, secondFactorKey: Buffer.alloc(32, 4).toString('base64') };
    const attempt = async (code?: string) =>
      signInWithPassword(rotated, {
        username: 'officer',
        password: t.password,
        sourceIp: '10.0.0.1',
        ...(code !== undefined ? { code } : {}),
      });
    expect(await attempt(await t.code())).toMatchObject({ ok: false, reason: 'second-factor-unreadable' });
    await t.users.resetSecondFactor(t.user.id, new Date(START));
    expect((await attempt()).ok).toBe(true);
  });

  it('keeps the secret out of the account file', () => {
    const text = readFileSync(t.file, 'utf8');
    expect(text).toContain('"totp"');
    expect(text).not.toContain(t.secret);
  });
});
