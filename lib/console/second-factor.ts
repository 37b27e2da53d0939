import 'server-only';
import { generateSecret, generateURI, verify } from 'otplib';
import { sealRecord, unsealRecord } from '../smart/seal';

/**
 * TOTP (RFC 6238) second factor of local console accounts, with the common
 * authenticator-app parameters (SHA-1, 6 digits, 30 s). The shared secret is
 * kept only sealed (JWE, A256GCM, a key derived from SESSION_SECRET for this
 * purpose) and bound to its account, so the account store never holds it in
 * clear and a sealed secret copied to another account opens nothing.
 */

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'SMART Chart audit console';
const STORED = 'console-totp-secret';
const ENROLMENT = 'console-totp-enrolment';
/** How long an offered secret may wait for its confirming code. */
const ENROLMENT_TTL_SECONDS = 15 * 60;

export type CodeCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: 'bad-code' | 'code-replayed' };

/** A new random secret (160 bits), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The `otpauth://` URI an authenticator app reads (typed in or scanned). */
export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: username, secret, period: TOTP_PERIOD_SECONDS });
}

/**
 * Checks a code against the secret at `nowMs`, accepting the previous and the
 * next time step for clock skew. A code of a step at or before `lastStep`
 * (the account's last accepted one) is refused: a code works once.
 */
export async function checkTotpCode(
  secret: string,
  code: string,
  opts: { readonly nowMs: number; readonly lastStep?: number },
): Promise<CodeCheck> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'bad-code' };
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(opts.nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    period: TOTP_PERIOD_SECONDS,
  });
  // The TOTP strategy's result names the time step the code belongs to.
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'bad-code' };
  if (opts.lastStep !== undefined && result.timeStep <= opts.lastStep)
    return { ok: false, reason: 'code-replayed' };
  return { ok: true, step: result.timeStep };
}

async function open(
  sealed: string,
  key: string,
  purpose: string,
  userId: string,
): Promise<string | undefined> {
  const payload = await unsealRecord(sealed, key, purpose);
  return payload?.uid === userId && typeof payload.secret === 'string' ? payload.secret : undefined;
}

/** The secret as the account store keeps it. */
export function sealTotpSecret(secret: string, userId: string, key: string): Promise<string> {
  return sealRecord({ uid: userId, secret }, key, STORED);
}

/** Undefined when the sealed value belongs to another account or another key. */
export function openTotpSecret(sealed: string, userId: string, key: string): Promise<string | undefined> {
  return open(sealed, key, STORED, userId);
}

/** An offered, not yet confirmed secret, handed to the enrolment form and back (expires). */
export function sealEnrolment(secret: string, userId: string, key: string): Promise<string> {
  return sealRecord({ uid: userId, secret }, key, ENROLMENT, ENROLMENT_TTL_SECONDS);
}

export function openEnrolment(sealed: string, userId: string, key: string): Promise<string | undefined> {
  return open(sealed, key, ENROLMENT, userId);
}
