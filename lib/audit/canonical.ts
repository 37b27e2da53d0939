import { AUDIT_ACTIONS, type AuditAction, type AuditOutcome } from './types';

/**
 * The stored form of one audit event. Its RFC 8785 canonical bytes are what
 * the Merkle leaf hashes, so every column the console filters on is repeated
 * here and verify() checks each column against it.
 */
export interface AuditRecord {
  /**
   * Format version: 3 seals the payload with the record's fields as its associated data (crypto.ts, recordAad); 2
   * adds payloadCommitment; 1 is the format of records stored before it.
   */
  readonly v: 1 | 2 | 3;
  readonly tenant: string;
  readonly seq: number;
  /** UTC, millisecond precision, ISO 8601 with Z. */
  readonly recorded: string;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  /** Hex HMAC-SHA-256 of the user reference, or null. */
  readonly userHmac: string | null;
  /** Hex HMAC-SHA-256 of the patient reference, or null. */
  readonly patientHmac: string | null;
  readonly resourceTypes: readonly string[];
  /** Hex leaf hash of the previous event of this tenant ('' for the first): a per-tenant hash chain. */
  readonly prev: string;
  /**
   * Hex SHA-256 of the sealed FHIR AuditEvent (AES-256-GCM over the compressed JSON, event-body.ts; it holds the
   * references, the network address and entity.query). The sealed bytes sit in their own column.
   */
  readonly sealedSha256: string;
  /** v2 and v3: hex SHA-256(salt || canonical AuditEvent), see commitment.ts. */
  readonly payloadCommitment?: string;
}

/** Member names JSON.stringify would not keep in insertion order (array indices), or would not copy. */
const UNORDERED_NAME = /^(?:0|[1-9]\d{0,9}|__proto__)$/;

class NeedsSlowPath extends Error {}

/**
 * An object's own member names in UTF-16 code unit order, as RFC 8785 sorts
 * them (what Array.prototype.sort does to strings). Sorted in place by
 * insertion for the few names an AuditEvent's objects have: the engine's sort
 * allocated more than the rest of an event's canonical form together.
 */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}

/** A copy with members in sorted order and what JSON leaves out left out; throws NeedsSlowPath where that is not enough. */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('NaN and Infinity have no JSON representation');
    return value;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return sortedCopy((withJson.toJSON as () => unknown)());
  if (Array.isArray(value))
    return (value as unknown[]).map((v) =>
      v === undefined || typeof v === 'symbol' || typeof v === 'function' ? null : sortedCopy(v),
    );
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(obj)) {
    if (UNORDERED_NAME.test(key)) throw new NeedsSlowPath();
    const v = obj[key];
    if (v !== undefined && typeof v !== 'symbol' && typeof v !== 'function') out[key] = sortedCopy(v);
  }
  return out;
}

/**
 * RFC 8785 (JCS) canonical JSON text: members sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript serialises them (which JCS
 * adopts). Same output as the `canonicalize` package: a copy with sorted
 * members goes through the engine's JSON.stringify, which keeps that order
 * for every name but array indices; values with such names take the slower
 * path. Records and events are canonicalised on every append and every check.
 */
export function canonicalJson(value: unknown): string {
  try {
    const text = JSON.stringify(sortedCopy(value)) as string | undefined;
    if (text === undefined) throw new TypeError('value has no JSON representation');
    return text;
  } catch (e) {
    if (!(e instanceof NeedsSlowPath)) throw e;
    return joinedJson(value);
  }
}

function joinedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('NaN and Infinity have no JSON representation');
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) throw new TypeError('value has no JSON representation');
    return text;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return joinedJson((withJson.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((v) =>
      v === undefined || typeof v === 'symbol' ? 'null' : joinedJson(v),
    );
    return `[${items.join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of sortedKeys(obj)) {
    const v = obj[key];
    if (v === undefined || typeof v === 'symbol') continue;
    members.push(`${JSON.stringify(key)}:${joinedJson(v)}`);
  }
  return `{${members.join(',')}}`;
}

/** RFC 8785 (JCS) canonical UTF-8 bytes of a JSON value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

const ACTIONS = new Set<string>(AUDIT_ACTIONS);

const isHexOrNull = (v: unknown): v is string | null =>
  v === null || (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));

/** Parses stored canonical bytes back into a record; throws if they are not one (tampering or corruption). */
export function parseRecord(bytes: Uint8Array, options: { strict?: boolean } = {}): AuditRecord {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : Buffer.from(bytes).toString('utf8');
  const value = JSON.parse(text) as Record<string, unknown>;
  const ok =
    ((value.v === 1 && value.payloadCommitment === undefined) ||
      ((value.v === 2 || value.v === 3) &&
        typeof value.payloadCommitment === 'string' &&
        isHexOrNull(value.payloadCommitment))) &&
    typeof value.tenant === 'string' &&
    typeof value.seq === 'number' &&
    Number.isSafeInteger(value.seq) &&
    typeof value.recorded === 'string' &&
    typeof value.action === 'string' &&
    ACTIONS.has(value.action) &&
    (value.outcome === '0' || value.outcome === '4' || value.outcome === '8' || value.outcome === '12') &&
    isHexOrNull(value.userHmac) &&
    isHexOrNull(value.patientHmac) &&
    Array.isArray(value.resourceTypes) &&
    value.resourceTypes.every((t) => typeof t === 'string') &&
    typeof value.prev === 'string' &&
    typeof value.sealedSha256 === 'string';
  if (!ok) throw new TypeError('not an audit record');
  const record = value as unknown as AuditRecord;
  // Canonical form is unique: re-encoding must give the same bytes. (verify() skips this: the leaf hash already commits to the bytes.)
  if (options.strict !== false && !canonicalBytes(record).equals(Buffer.from(bytes))) {
    throw new TypeError('audit record is not in canonical form');
  }
  return record;
}
