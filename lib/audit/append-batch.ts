import { createHash } from 'node:crypto';
import { buildAuditEvent } from './audit-event';
import { canonicalBytes, canonicalJson, type AuditRecord } from './canonical';
import { commitmentSalt, commitToCanonical } from './commitment';
import { pseudonym, encryptEventBody, recordAad, type AuditKeys } from './crypto';
import { packEventBody } from './event-body';
import { retryOnConnectionLoss } from './connection-loss';
import { toBuffer, toNumber, type SqlClient, type SqlDriver } from './driver';
import { CompactRange, HASH_BYTES, leafHash } from './merkle';
import type { AuditInput, AuditReceipt } from './types';

/** Nodes at every NODE_STRIDE-th level are stored; others are rebuilt from at most 2^(stride-1) stored children. */
export const NODE_STRIDE = 4;

export interface ChainHead {
  readonly size: number;
  readonly range: CompactRange;
  readonly lastLeaf: Buffer;
}

export function splitFrontier(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += HASH_BYTES) out.push(bytes.subarray(i, i + HASH_BYTES));
  return out;
}

const headFrom = (row: Record<string, unknown>): ChainHead => {
  const size = toNumber(row.head_size);
  return {
    size,
    range: CompactRange.from(size, splitFrontier(toBuffer(row.head_frontier))),
    lastLeaf: toBuffer(row.head_last_leaf),
  };
};

export interface BuiltEvent {
  readonly record: AuditRecord;
  readonly bytes: Buffer;
  readonly leaf: Buffer;
  readonly sealed: Buffer;
}

export function buildRecord(
  input: AuditInput,
  seq: number,
  prev: Buffer,
  keys: AuditKeys,
  appId: string,
): BuiltEvent {
  const recorded = new Date((input.recorded ?? new Date()).getTime());
  const sessionHmac =
    input.sessionId !== undefined ? pseudonym(keys.hmacKey, 'session', input.sessionId) : undefined;
  const event = buildAuditEvent(input, recorded, { appId, sessionHmac });
  // Canonical (RFC 8785), so the commitment hashes the very bytes that are sealed: one
  // serialisation per event. Compressed before sealing (event-body.ts): AuditEvent JSON
  // repeats its code systems, which a shared dictionary takes out.
  const json = canonicalJson(event);
  const fields: Omit<AuditRecord, 'sealedSha256'> = {
    v: 3,
    tenant: input.tenant,
    seq,
    recorded: recorded.toISOString(),
    action: input.action,
    outcome: input.outcome,
    // Same test as the AuditEvent's agent and patient entity, so the record and its payload agree.
    userHmac: input.user ? pseudonym(keys.hmacKey, 'user', input.user) : null,
    patientHmac: input.patient ? pseudonym(keys.hmacKey, 'patient', input.patient) : null,
    resourceTypes: [...(input.resourceTypes ?? [])],
    prev: prev.toString('hex'),
    // Committed in the form a reader of the sealed or exported JSON sees (no undefined members).
    payloadCommitment: commitToCanonical(commitmentSalt(keys.hmacKey, input.tenant, seq), json),
  };
  // Sealed with the record's fields as associated data: the payload opens only with the record it was sealed with.
  const sealed = encryptEventBody(keys.encryptionKey, packEventBody(json), recordAad(fields));
  const record: AuditRecord = { ...fields, sealedSha256: createHash('sha256').update(sealed).digest('hex') };
  const bytes = canonicalBytes(record);
  return { record, bytes, leaf: leafHash(bytes), sealed };
}

/**
 * Offers events built on `head` to audit.append_events (one statement, one
 * round trip). Returns the new head once they are committed, or the current
 * head, with committed false, when `head` was stale and nothing was written.
 */
export async function submitBatch(
  db: SqlClient,
  tenant: string,
  head: ChainHead,
  built: readonly BuiltEvent[],
): Promise<{ readonly committed: boolean; readonly head: ChainHead }> {
  const range = head.range.clone();
  const nodes: { level: number; index: number; hash: Buffer }[] = [];
  for (const b of built)
    range.append(b.leaf, (level, index, hash) => {
      if (level % NODE_STRIDE === 0) nodes.push({ level, index, hash });
    });
  const col = <T>(f: (b: BuiltEvent) => T): T[] => built.map(f);
  const rows = await db.query(
    `SELECT head_size, head_frontier, head_last_leaf FROM audit.append_events(
       $1, $2, $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::smallint[], $14::bigint[], $15::text[], $16, $17, $18)`,
    [
      tenant,
      head.size,
      col((b) => b.record.seq),
      col((b) => b.record.recorded),
      col((b) => b.record.action),
      col((b) => b.record.outcome),
      col((b) => b.record.userHmac),
      col((b) => b.record.patientHmac),
      col((b) => JSON.stringify(b.record.resourceTypes)),
      col((b) => b.bytes.toString('hex')),
      col((b) => b.leaf.toString('hex')),
      col((b) => b.sealed.toString('hex')),
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash.toString('hex')),
      Buffer.concat([...range.frontier]),
      built[built.length - 1]?.leaf ?? head.lastLeaf,
      range.root(),
    ],
    // Parsed and planned once per connection: at one event a batch, doing that on every call was a tenth of the append.
    'audit_append_events',
  );
  if (rows[0]) return { committed: false, head: headFrom(rows[0]) };
  return {
    committed: true,
    head: { size: range.size, range, lastLeaf: built[built.length - 1]?.leaf ?? head.lastLeaf },
  };
}

/** What the app knows of each tenant's head: usually right, so a batch costs one round trip. */
export type HeadCache = Map<string, ChainHead>;

/** Optimistic offers before a writer takes the head's lock: each one lost means another writer committed. */
export const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Appends a batch for one tenant: built on the cached head and offered to the
 * database, which locks the head and accepts it only if it still continues
 * it; otherwise the batch is rebuilt on the head it returns. A writer that
 * keeps losing that race (several app instances on one PostgreSQL, each
 * building while the others commit) then holds the head's row lock while it
 * builds, so it commits next: concurrent writers stay gap-free, never fork,
 * and none is starved.
 *
 * A connection lost while a batch was on its way leaves its outcome unknown.
 * After a pause (the pool reconnects, or a standby takes over) the writer
 * looks for the batch's own leaves, which no other batch can have (each
 * sealed payload has its own random nonce): there, it committed and its
 * receipts stand; absent, nothing of it committed (a batch is one statement)
 * and it is offered once more, so a disclosure is recorded once, never twice.
 * A second loss, or one while looking, rejects.
 */
export async function appendBatch(
  db: SqlDriver,
  tenant: string,
  inputs: readonly AuditInput[],
  keys: AuditKeys,
  appId: string,
  heads: HeadCache,
): Promise<AuditReceipt[]> {
  const append: Append = { db, tenant, inputs, keys, appId, heads };
  const sent: { batch?: readonly BuiltEvent[] } = {};
  return retryOnConnectionLoss(() => appendOnce(append, sent), {
    retryWork: async () =>
      sent.batch && (await isCommitted(db, tenant, sent.batch))
        ? receiptsOf(tenant, sent.batch)
        : appendOnce(append, {}),
  });
}

/** What appendBatch was asked to do. */
interface Append {
  readonly db: SqlDriver;
  readonly tenant: string;
  readonly inputs: readonly AuditInput[];
  readonly keys: AuditKeys;
  readonly appId: string;
  readonly heads: HeadCache;
}

/** Whether a batch sent on a connection that was lost is in the log: its first and last leaves are. */
async function isCommitted(db: SqlDriver, tenant: string, batch: readonly BuiltEvent[]): Promise<boolean> {
  const ends = [batch[0], batch[batch.length - 1]].filter((b): b is BuiltEvent => b !== undefined);
  const rows = await db.query(
    `SELECT seq, leaf_hash FROM audit.events WHERE tenant = $1 AND seq = ANY($2::bigint[])`,
    [tenant, ends.map((b) => b.record.seq)],
  );
  const stored = new Map(rows.map((r) => [toNumber(r.seq), toBuffer(r.leaf_hash)]));
  return ends.every((b) => stored.get(b.record.seq)?.equals(b.leaf) === true);
}

/** One append, with `sent.batch` the batch on its way whenever a statement or commit could carry it. */
async function appendOnce(
  { db, tenant, inputs, keys, appId, heads }: Append,
  sent: { batch?: readonly BuiltEvent[] },
): Promise<AuditReceipt[]> {
  try {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const head = heads.get(tenant);
      // Unknown head: ask for it with an empty batch before sealing anything.
      const built = head ? buildBatch(inputs, head, keys, appId) : [];
      sent.batch = built.length > 0 ? built : undefined;
      const result = await submitBatch(db, tenant, head ?? UNKNOWN_HEAD, built);
      heads.set(tenant, result.head);
      if (result.committed && head) return receiptsOf(tenant, built);
      // Refused as stale: nothing of it was written.
      sent.batch = undefined;
    }
    const { head, built } = await db.transaction(async (tx) => {
      // An empty offer locks the head row (FOR UPDATE) until this transaction ends and returns it.
      const locked = (await submitBatch(tx, tenant, UNKNOWN_HEAD, [])).head;
      const batch = buildBatch(inputs, locked, keys, appId);
      // Committed with the transaction: on its way until COMMIT answers.
      sent.batch = batch;
      const result = await submitBatch(tx, tenant, locked, batch);
      if (!result.committed)
        throw Object.assign(new Error('the chain head moved while this writer held its lock'), {
          code: 'head-contention',
        });
      return { head: result.head, built: batch };
    });
    heads.set(tenant, head);
    return receiptsOf(tenant, built);
  } catch (e) {
    // A lost answer may or may not have committed: learn the head again next time.
    heads.delete(tenant);
    throw e;
  }
}

const receiptsOf = (tenant: string, built: readonly BuiltEvent[]): AuditReceipt[] =>
  built.map((b) => ({ tenant, seq: b.record.seq, leafHash: b.leaf.toString('hex') }));

/** A head no log has: offering an empty batch on it returns the current head. */
export const UNKNOWN_HEAD: ChainHead = { size: -1, range: CompactRange.empty(), lastLeaf: Buffer.alloc(0) };

function buildBatch(
  inputs: readonly AuditInput[],
  head: ChainHead,
  keys: AuditKeys,
  appId: string,
): BuiltEvent[] {
  let prev = head.lastLeaf;
  return inputs.map((input, i) => {
    const b = buildRecord(input, head.size + i, prev, keys, appId);
    prev = b.leaf;
    return b;
  });
}
