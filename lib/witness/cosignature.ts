import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP tlog-cosignature, Ed25519 (cosignature/v1): a witness's timestamped
 * statement that a checkpoint body is the largest consistent tree head it has
 * seen for that log. Witness keys travel as signed-note verifier keys (vkeys):
 * `<name>+<key id, 8 hex>+<base64(0x04 || 32-byte Ed25519 key)>`.
 */

const COSIGNATURE_V1 = 0x04;
const NAME_RE = /^[\x21-\x7e]+$/;

export interface Cosigner {
  readonly name: string;
  readonly publicKey: KeyObject;
  /** SHA-256(name || "\n" || 0x04 || key)[0:4] */
  readonly keyId: Buffer;
}

const rawKey = (publicKey: KeyObject): Buffer =>
  publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
// SPKI DER prefix of an Ed25519 public key (RFC 8410), followed by the 32 raw bytes.
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export function cosignerKeyId(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([COSIGNATURE_V1]))
    .update(rawKey(publicKey))
    .digest()
    .subarray(0, 4);
}

export function cosigner(name: string, publicKey: KeyObject): Cosigner {
  if (!NAME_RE.test(name) || name.includes('+')) throw new TypeError('invalid witness name');
  return { name, publicKey, keyId: cosignerKeyId(name, publicKey) };
}

export function formatVkey(c: Cosigner): string {
  const material = Buffer.concat([Buffer.from([COSIGNATURE_V1]), rawKey(c.publicKey)]);
  return `${c.name}+${c.keyId.toString('hex')}+${material.toString('base64')}`;
}

/** Parses a cosigner vkey; throws a TypeError saying what is wrong. */
export function parseVkey(vkey: string): Cosigner {
  // The base64 key may itself contain '+': split at the first two only.
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(\S+)$/.exec(vkey.trim());
  if (!m) throw new TypeError('a witness key must look like <name>+<key id>+<base64 key>');
  const [, name = '', id = '', b64 = ''] = m;
  const material = Buffer.from(b64, 'base64');
  if (material.length !== 33 || material[0] !== COSIGNATURE_V1)
    throw new TypeError('a witness key must be an Ed25519 cosignature/v1 key (type 0x04)');
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI, material.subarray(1)]),
    format: 'der',
    type: 'spki',
  });
  const c = cosigner(name, publicKey);
  if (c.keyId.toString('hex') !== id.toLowerCase())
    throw new TypeError('the witness key id does not match its key');
  return c;
}

const message = (body: string, timestamp: number): Buffer =>
  Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');

/** The body of a signed note: everything up to and including the blank line's first newline. */
export function noteBody(note: string): string | undefined {
  const split = note.indexOf('\n\n');
  return split < 0 ? undefined : note.slice(0, split + 1);
}

/** One signature line (ending in a newline) cosigning a checkpoint body at a POSIX time in seconds. */
export function cosign(body: string, name: string, privateKey: KeyObject, timestamp: number): string {
  const c = cosigner(name, createPublicKey(privateKey));
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  const sig = sign(null, message(body, timestamp), privateKey);
  return `\u2014 ${name} ${Buffer.concat([c.keyId, ts, sig]).toString('base64')}\n`;
}

/**
 * The cosigners among `trusted` with a valid cosignature on this note, each
 * with its timestamp. Lines of unknown keys are ignored, as the spec asks;
 * a line that claims a trusted key but does not verify is returned in `bad`.
 */
export function cosignaturesOf(
  note: string,
  trusted: readonly Cosigner[],
): { valid: Map<string, number>; bad: string[] } {
  const valid = new Map<string, number>();
  const bad: string[] = [];
  const body = noteBody(note);
  if (body === undefined) return { valid, bad };
  for (const line of note.slice(body.length + 1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const blob = Buffer.from(m[2] ?? '', 'base64');
    const c = trusted.find(
      (t) => t.name === m[1] && blob.length === 76 && blob.subarray(0, 4).equals(t.keyId),
    );
    if (!c) continue;
    const timestamp = Number(blob.readBigUInt64BE(4));
    if (verify(null, message(body, timestamp), c.publicKey, blob.subarray(12))) valid.set(c.name, timestamp);
    else bad.push(c.name);
  }
  return { valid, bad };
}
