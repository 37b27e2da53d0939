import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { verifyConsistency } from './merkle';

/**
 * Signed tree heads in the C2SP tlog-checkpoint / signed-note text format:
 *
 *   smart-chart-audit/<tenant>\n<tree size>\n<base64 root>\ntime <ISO UTC ms>\n
 *   \n
 *   — <key name> <base64(key hash[4] || Ed25519 signature)>\n
 *
 * The signature covers the body (the first four lines), so tenant, size,
 * root and timestamp are all bound to it.
 */

export const KEY_NAME = 'smart-chart-audit';
const ORIGIN_PREFIX = 'smart-chart-audit/';
const TENANT_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const isValidTenant = (tenant: string): boolean => TENANT_RE.test(tenant);

export interface Checkpoint {
  readonly tenant: string;
  readonly size: number;
  readonly root: Buffer;
  /** UTC, ISO 8601 with milliseconds. */
  readonly time: string;
}

export interface SignedCheckpoint extends Checkpoint {
  /** The full signed note text, as written to the database and the external directory. */
  readonly note: string;
}

export function checkpointBody(c: Checkpoint): string {
  if (!isValidTenant(c.tenant)) throw new TypeError('invalid tenant name');
  return `${ORIGIN_PREFIX}${c.tenant}\n${c.size}\n${c.root.toString('base64')}\ntime ${c.time}\n`;
}

function rawPublicKey(key: KeyObject): Buffer {
  // The last 32 bytes of the SPKI DER are the raw Ed25519 key.
  return key.export({ type: 'spki', format: 'der' }).subarray(-32);
}

/** signed-note key hash: SHA-256(name || '\n' || 0x01 || public key)[0:4]. */
export function keyHash(publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(`${KEY_NAME}\n`)
    .update(Buffer.from([0x01]))
    .update(rawPublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

export function publicKeyOf(signingKeyPem: string): KeyObject {
  return createPublicKey(createPrivateKey(signingKeyPem));
}

export function signCheckpoint(c: Checkpoint, signingKey: KeyObject): SignedCheckpoint {
  const body = checkpointBody(c);
  const sig = sign(null, Buffer.from(body, 'utf8'), signingKey);
  const pub = createPublicKey(signingKey);
  const line = `\u2014 ${KEY_NAME} ${Buffer.concat([keyHash(pub), sig]).toString('base64')}\n`;
  return { ...c, note: `${body}\n${line}` };
}

/**
 * Parses and verifies a signed note; returns undefined if it is malformed or
 * signed by none of the given keys. Several keys: the current signing key and
 * the previous ones it replaced, so history signed before a rotation verifies.
 */
export function openCheckpoint(
  note: string,
  keys: KeyObject | readonly KeyObject[],
): SignedCheckpoint | undefined {
  for (const publicKey of Array.isArray(keys) ? (keys as readonly KeyObject[]) : [keys as KeyObject]) {
    const cp = openWithKey(note, publicKey);
    if (cp) return cp;
  }
  return undefined;
}

function openWithKey(note: string, publicKey: KeyObject): SignedCheckpoint | undefined {
  const split = note.indexOf('\n\n');
  if (split < 0) return undefined;
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const [origin, sizeText, rootText, timeLine] = lines;
  if (
    lines.length !== 5 ||
    !origin?.startsWith(ORIGIN_PREFIX) ||
    !sizeText ||
    !rootText ||
    !timeLine?.startsWith('time ')
  )
    return undefined;
  const tenant = origin.slice(ORIGIN_PREFIX.length);
  const size = Number(sizeText);
  const root = Buffer.from(rootText, 'base64');
  if (!isValidTenant(tenant) || !/^\d+$/.test(sizeText) || !Number.isSafeInteger(size) || root.length !== 32)
    return undefined;
  const time = timeLine.slice('time '.length);
  const expectedHash = keyHash(publicKey);
  for (const sigLine of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(sigLine);
    if (!m || m[1] !== KEY_NAME) continue;
    const blob = Buffer.from(m[2] ?? '', 'base64');
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(expectedHash)) continue;
    if (verify(null, Buffer.from(body, 'utf8'), publicKey, blob.subarray(4))) {
      const parsed = { tenant, size, root, time };
      // Reject notes whose body is not exactly what we would have signed.
      return checkpointBody(parsed) === body ? { ...parsed, note } : undefined;
    }
  }
  return undefined;
}

/**
 * What an auditor (or a witness) does before trusting a newer checkpoint:
 * the signature must verify, the tenant match, the tree must not shrink, and
 * the consistency proof must show the new tree extends the trusted one. A
 * server showing a different history (split view) fails here.
 */
export function acceptNewerCheckpoint(
  trusted: Checkpoint,
  nextNote: string,
  proof: readonly Buffer[],
  publicKey: KeyObject,
): SignedCheckpoint {
  const next = openCheckpoint(nextNote, publicKey);
  if (!next) throw new Error('checkpoint signature does not verify');
  if (next.tenant !== trusted.tenant) throw new Error('checkpoint is for another log');
  if (next.size < trusted.size) throw new Error('log shrank: tree size went backwards');
  if (!verifyConsistency(trusted.size, next.size, trusted.root, next.root, proof)) {
    throw new Error('checkpoint is not consistent with the trusted one (split view or rewritten history)');
  }
  return next;
}
