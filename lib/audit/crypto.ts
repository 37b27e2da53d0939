import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import type { AuditRecord } from './canonical';

/**
 * Keys live outside the audit database (env secrets), so the database alone
 * reveals neither who was looked up (keyed HMAC columns) nor what was asked
 * (AES-256-GCM sealed AuditEvent).
 */
export interface AuditKeys {
  /** 32 bytes, base64. */
  readonly hmacKey: string;
  /** 32 bytes, base64. */
  readonly encryptionKey: string;
  /** Ed25519 private key, PKCS#8 PEM. */
  readonly signingKey: string;
}

// The last keys decoded: every append and every check uses the same two.
const decoded = new Map<string, Buffer>();

function key32(b64: string, what: string): Buffer {
  const known = decoded.get(b64);
  if (known) return known;
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new TypeError(`${what} must be 32 bytes`);
  if (decoded.size >= 8) decoded.clear();
  decoded.set(b64, key);
  return key;
}

export type HmacDomain = 'user' | 'patient' | 'session';

// Recent pseudonyms per key: one clinician's events name the same user and often the same
// patient, and every append and every check computes them. Bounded, in memory only.
const recent = new Map<string, Map<string, string>>();
const RECENT_MAX = 4096;

/** Keyed pseudonym of a reference; the domain keeps a user and a patient with the same string apart. */
export function pseudonym(hmacKey: string, domain: HmacDomain, value: string): string {
  const input = `${domain}\u0000${value}`;
  let known = recent.get(hmacKey);
  const hit = known?.get(input);
  if (hit !== undefined) return hit;
  const hmac = createHmac('sha256', key32(hmacKey, 'audit HMAC key')).update(input, 'utf8').digest('hex');
  if (!known || known.size >= RECENT_MAX) {
    if (recent.size >= 8) recent.clear();
    known = new Map();
    recent.set(hmacKey, known);
  }
  known.set(input, hmac);
  return hmac;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

// Random IVs are drawn from a block of CSPRNG output filled at once: one call for 341 events rather than one
// each (a call cost 5-16 µs of an append). Each 12-byte slice is handed out once, then the block is refilled.
const ivBlock = Buffer.alloc(IV_BYTES * 341);
let ivNext = ivBlock.length;

function freshIv(): Buffer {
  if (ivNext + IV_BYTES > ivBlock.length) {
    randomFillSync(ivBlock);
    ivNext = 0;
  }
  const iv = Buffer.from(ivBlock.subarray(ivNext, ivNext + IV_BYTES));
  ivNext += IV_BYTES;
  return iv;
}

/** AES-256-GCM; output is iv || ciphertext || tag. `aad` binds the ciphertext to its place in the log. */
export function encryptEventBody(encryptionKey: string, plaintext: Buffer, aad: string): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key32(encryptionKey, 'audit encryption key'), iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Inverse of encryptEventBody(); throws if the key, the aad or any byte is wrong. */
export function decryptEventBody(encryptionKey: string, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new TypeError('sealed value too short');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key32(encryptionKey, 'audit encryption key'), iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  const body = decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES));
  // GCM gives everything from update(); final() only checks the tag.
  const rest = decipher.final();
  return rest.length === 0 ? body : Buffer.concat([body, rest]);
}

/** The associated data of a v1 or v2 record's sealed payload: its place in the log. */
export const eventBodyAad = (tenant: string, seq: number): string =>
  `smart-chart-audit/v1\u0000${tenant}\u0000${seq}`;

/**
 * The associated data of a v3 record's sealed payload: its place in the log and every field of its record except
 * the hash of the sealed bytes themselves (which the sealing produces). Only a holder of the encryption key can seal
 * a payload that opens with these fields, so a payload that opens shows that its record is the one it was sealed
 * with: the check need not inflate and parse the event to compare who, whom, when, what and the commitment.
 * JSON of a fixed-order array: no two different records give the same text.
 */
export function recordAad(r: Omit<AuditRecord, 'sealedSha256'>): string {
  return `smart-chart-audit/v3\u0000${JSON.stringify([
    r.tenant,
    r.seq,
    r.recorded,
    r.action,
    r.outcome,
    r.userHmac,
    r.patientHmac,
    r.resourceTypes,
    r.prev,
    r.payloadCommitment ?? null,
  ])}`;
}

/** The associated data a stored record's payload was sealed with, by the record's format. */
export const sealedAad = (r: AuditRecord): string =>
  r.v === 3 ? recordAad(r) : eventBodyAad(r.tenant, r.seq);

/**
 * A sealed payload's plaintext read without checking its tag (AES-256-CTR from the counter GCM starts its data at).
 * Never trusted: only to say which field differs once a payload has failed to open with its record.
 */
export function readWithoutTag(encryptionKey: string, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new TypeError('sealed value too short');
  const counter = Buffer.alloc(16);
  sealed.copy(counter, 0, 0, IV_BYTES);
  counter.writeUInt32BE(2, IV_BYTES);
  const ctr = createDecipheriv('aes-256-ctr', key32(encryptionKey, 'audit encryption key'), counter);
  return Buffer.concat([ctr.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), ctr.final()]);
}

/** Fresh keys, for tests and first-run tooling. */
export function generateAuditKeys(): AuditKeys {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    hmacKey: randomBytes(32).toString('base64'),
    encryptionKey: randomBytes(32).toString('base64'),
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
