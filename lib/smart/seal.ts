import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/**
 * Authenticated encryption of small server-side records (session, pending
 * authorization) into opaque strings for HttpOnly cookies: JWE, dir + A256GCM.
 */

function keyFrom(secretBase64: string, purpose: string): Uint8Array {
  // Separate keys per purpose, derived from the one session secret.
  return new Uint8Array(
    createHash('sha256').update(purpose).update(Buffer.from(secretBase64, 'base64')).digest(),
  );
}

/** Without `ttlSeconds` the sealed value does not expire (a record kept at rest, not a cookie). */
export async function sealRecord(
  payload: Record<string, unknown>,
  secret: string,
  purpose: string,
  ttlSeconds?: number,
): Promise<string> {
  const jwt = new EncryptJWT(payload).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt();
  if (ttlSeconds !== undefined) jwt.setExpirationTime(`${ttlSeconds}s`);
  return jwt.encrypt(keyFrom(secret, purpose));
}

/** Undefined when the value was tampered with, made with another key, or has expired. */
export async function unsealRecord(
  value: string,
  secret: string,
  purpose: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jwtDecrypt(value, keyFrom(secret, purpose), { clockTolerance: 5 });
    return payload;
  } catch {
    return undefined;
  }
}

/** 128 bits of randomness, base64url. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
