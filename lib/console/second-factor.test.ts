import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  checkTotpCode,
  newTotpSecret,
  openEnrolment,
  openTotpSecret,
  sealEnrolment,
  sealTotpSecret,
  totpUri,
} from './second-factor';

const KEY = Buffer.alloc(32, 1).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 2).toString('base64');
/** A moment in the middle of a 30-second step, so ±1 step is exactly ±30 s. */
const NOW = Date.UTC(2026, 11, 1, 12, 0, 15);
const STEP = Math.floor(NOW / 1000 / 30);
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe('TOTP codes', () => {
  const secret = newTotpSecret();

  it('accepts the current code and names its time step', async () => {
    expect(await checkTotpCode(secret, await codeAt(secret, NOW), { nowMs: NOW })).toEqual({
      ok: true,
      step: STEP,
    });
    // As people type it from the app: with a space in the middle.
    const spaced = (await codeAt(secret, NOW)).replace(/^(\d{3})/, '$1 ');
    expect((await checkTotpCode(secret, spaced, { nowMs: NOW })).ok).toBe(true);
  });

  it('refuses a wrong code, a code of another secret and anything that is not six digits', async () => {
    const right = await codeAt(secret, NOW);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const code of [wrong, await codeAt(newTotpSecret(), NOW), '12345', '1234567', 'abcdef', ''])
      expect(await checkTotpCode(secret, code, { nowMs: NOW })).toEqual({ ok: false, reason: 'bad-code' });
  });

  it('allows one step of clock skew either way, not two', async () => {
    for (const skew of [-1, 1]) {
      const code = await codeAt(secret, NOW + skew * 30_000);
      expect(await checkTotpCode(secret, code, { nowMs: NOW })).toEqual({ ok: true, step: STEP + skew });
    }
    for (const skew of [-2, 2]) {
      const code = await codeAt(secret, NOW + skew * 30_000);
      expect((await checkTotpCode(secret, code, { nowMs: NOW })).ok).toBe(false);
    }
  });

  it('refuses a code whose step was already used, and any older one', async () => {
    const code = await codeAt(secret, NOW);
    expect(await checkTotpCode(secret, code, { nowMs: NOW, lastStep: STEP })).toEqual({
      ok: false,
      reason: 'code-replayed',
    });
    // The previous step's code, still inside the skew window, is older than the one used.
    const previous = await codeAt(secret, NOW - 30_000);
    expect(await checkTotpCode(secret, previous, { nowMs: NOW, lastStep: STEP })).toEqual({
      ok: false,
      reason: 'code-replayed',
    });
    // The next step's code is new.
    const next = await codeAt(secret, NOW + 30_000);
    expect(await checkTotpCode(secret, next, { nowMs: NOW + 30_000, lastStep: STEP })).toEqual({
      ok: true,
      step: STEP + 1,
    });
  });

  it('offers a setup link authenticator apps read', () => {
    const uri = new URL(totpUri('officer@example.org', secret));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('SMART Chart audit console');
    expect(decodeURIComponent(uri.pathname)).toContain('officer@example.org');
  });
});

describe('sealed TOTP secrets', () => {
  const secret = newTotpSecret();

  it('opens only for its own account and key, and holds no trace of the secret', async () => {
    const sealed = await sealTotpSecret(secret, 'account-a-0001', KEY);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.toLowerCase());
    expect(await openTotpSecret(sealed, 'account-a-0001', KEY)).toBe(secret);
    expect(await openTotpSecret(sealed, 'account-b-0002', KEY)).toBeUndefined();
    expect(await openTotpSecret(sealed, 'account-a-0001', OTHER_KEY)).toBeUndefined();
    expect(await openTotpSecret(`${sealed.slice(0, -4)}AAAA`, 'account-a-0001', KEY)).toBeUndefined();
  });

  it('keeps a stored secret and an enrolment offer apart', async () => {
    const offer = await sealEnrolment(secret, 'account-a-0001', KEY);
    expect(await openEnrolment(offer, 'account-a-0001', KEY)).toBe(secret);
    expect(await openEnrolment(offer, 'account-b-0002', KEY)).toBeUndefined();
    // An offer is not a stored secret, nor the other way round.
    expect(await openTotpSecret(offer, 'account-a-0001', KEY)).toBeUndefined();
    const stored = await sealTotpSecret(secret, 'account-a-0001', KEY);
    expect(await openEnrolment(stored, 'account-a-0001', KEY)).toBeUndefined();
  });
});
