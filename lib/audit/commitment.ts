import { createHash, createHmac } from 'node:crypto';
import { canonicalBytes } from './canonical';

/**
 * A salted commitment to the plaintext AuditEvent, inside the canonical
 * record (format v2): SHA-256(salt || RFC 8785 bytes of the event). The leaf
 * hash covers the record, the signed tree covers the leaf, so who, whom,
 * what, when, where and the query are all committed to. An export carries
 * the event and its salt, and anyone can recompute the commitment without a
 * key; the salt keeps a stored commitment from being brute-forced back into
 * a guessable event (one clinician, one patient, one minute).
 *
 * The salt is derived from the HMAC key and the event's place, so nothing
 * more is stored and revealing one salt reveals nothing about another.
 */
export function commitmentSalt(hmacKey: string, tenant: string, seq: number): string {
  return commitmentSaltBytes(hmacKey, tenant, seq).toString('hex');
}

/** The salt as bytes (what the commitment hashes). */
export function commitmentSaltBytes(hmacKey: string, tenant: string, seq: number): Buffer {
  return createHmac('sha256', Buffer.from(hmacKey, 'base64'))
    .update(`commitment\u0000${tenant}\u0000${seq}`, 'utf8')
    .digest();
}

export function commitTo(saltHex: string, event: unknown): string {
  return commitToCanonical(saltHex, canonicalBytes(event));
}

/** The commitment over text that is already the event's RFC 8785 form (as sealed since the payload is canonical). */
export function commitToCanonical(saltHex: string, canonical: string | Uint8Array): string {
  return commitWithSalt(Buffer.from(saltHex, 'hex'), canonical);
}

export function commitWithSalt(salt: Uint8Array, canonical: string | Uint8Array): string {
  return createHash('sha256').update(salt).update(canonical).digest('hex');
}
