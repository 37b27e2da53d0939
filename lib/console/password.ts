import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Console passwords are stored only as scrypt hashes (RFC 7914), in the
 * self-describing form `scrypt$N$r$p$salt$hash` (base64url), so the cost can
 * be raised later without invalidating existing hashes.
 */

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/**
 * N = 2^14, r = 8, p = 5: one of the configurations OWASP's Password Storage
 * Cheat Sheet rates as equal in defence to its N = 2^17, p = 1 minimum, trading
 * memory for passes: 16 MiB per attempt instead of 128 MiB (every sign-in, and
 * the first start's admin account, set the server's memory peak at 2^17), and
 * about 5/8 of its work. Hashes made at an earlier cost (2^17, 2^15) keep
 * verifying at their own.
 */
const DEFAULT_COST = { N: 2 ** 14, r: 8, p: 5 } as const;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made at another cost than today's: it is made again at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return (
    scheme !== 'scrypt' ||
    Number(n) !== DEFAULT_COST.N ||
    Number(r) !== DEFAULT_COST.r ||
    Number(p) !== DEFAULT_COST.p
  );
}

/** A random password for a new account: 20 characters, about 120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
