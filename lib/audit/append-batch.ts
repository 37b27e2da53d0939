import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { buildAuditEvent } from './audit-event';
import { canonicalBytes, type AuditRecord } from './canonical';
import { pseudonym, seal, sealAad, type AuditKeys } from './crypto';
import { toBuffer, toNumber, type SqlClient } from './driver';
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

/** Locks the tenant's chain head for this transaction (creating it on first use). */
export async function lockHead(tx: SqlClient, tenant: string): Promise<ChainHead> {
  const select = () =>
    tx.query(`SELECT size, frontier, last_leaf FROM audit.heads WHERE tenant = $1 FOR UPDATE`, [tenant]);
  let row = (await select())[0];
  if (!row) {
    await tx.query(
      `INSERT INTO audit.heads (tenant, size, frontier, last_leaf, root) VALUES ($1, 0, ''::bytea, ''::bytea, sha256(''::bytea))
       ON CONFLICT (tenant) DO NOTHING`,
      [tenant],
    );
    row = (await select())[0];
  }
  if (!row) throw new Error('chain head missing');
  const size = toNumber(row.size);
  return {
    size,
    range: CompactRange.from(size, splitFrontier(toBuffer(row.frontier))),
    lastLeaf: toBuffer(row.last_leaf),
  };
}

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
  // Deflated before sealing: AuditEvent JSON repeats its code systems and shrinks about 3.5 times.
  const sealed = seal(
    keys.encryptionKey,
    deflateRawSync(JSON.stringify(event), { level: 1 }),
    sealAad(input.tenant, seq),
  );
  const record: AuditRecord = {
    v: 1,
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
    sealedSha256: createHash('sha256').update(sealed).digest('hex'),
  };
  const bytes = canonicalBytes(record);
  return { record, bytes, leaf: leafHash(bytes), sealed };
}

/**
 * Appends a batch for one tenant inside the caller's transaction: sequence
 * numbers continue from the locked head, so concurrent writers (several app
 * instances on one PostgreSQL) stay gap-free and never fork.
 */
export async function appendBatch(
  tx: SqlClient,
  tenant: string,
  inputs: readonly AuditInput[],
  keys: AuditKeys,
  appId: string,
): Promise<AuditReceipt[]> {
  const head = await lockHead(tx, tenant);
  const range = head.range;
  let prev = head.lastLeaf;
  const built: BuiltEvent[] = [];
  const nodes: { level: number; index: number; hash: Buffer }[] = [];
  for (const [i, input] of inputs.entries()) {
    const b = buildRecord(input, head.size + i, prev, keys, appId);
    built.push(b);
    range.append(b.leaf, (level, index, hash) => {
      if (level % NODE_STRIDE === 0) nodes.push({ level, index, hash });
    });
    prev = b.leaf;
  }
  const col = <T>(f: (b: BuiltEvent) => T): T[] => built.map(f);
  // One statement writes the events, the new tree nodes and the moved head: a batch costs
  // four round trips (BEGIN, lock, write, COMMIT) whatever its size.
  await tx.query(
    `WITH new_events AS (
       INSERT INTO audit.events (tenant, seq, recorded, action, outcome, user_hmac, patient_hmac, resource_types, canonical, leaf_hash, sealed)
       SELECT $1, u.seq, u.recorded, u.action, u.outcome, decode(u.uh, 'hex'), decode(u.ph, 'hex'),
              ARRAY(SELECT json_array_elements_text(u.types::json)), decode(u.canonical, 'hex'), decode(u.leaf, 'hex'), decode(u.sealed, 'hex')
       FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS u(seq, recorded, action, outcome, uh, ph, types, canonical, leaf, sealed)
       RETURNING 1
     ), new_nodes AS (
       INSERT INTO audit.nodes (tenant, level, idx, hash)
       SELECT $1, n.level, n.idx, decode(n.hash, 'hex') FROM unnest($12::smallint[], $13::bigint[], $14::text[]) AS n(level, idx, hash)
       RETURNING 1
     )
     UPDATE audit.heads SET size = $15, frontier = $16, last_leaf = $17, root = $18, updated_at = now() WHERE tenant = $1`,
    [
      tenant,
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
      range.size,
      Buffer.concat([...range.frontier]),
      prev,
      range.root(),
    ],
  );
  return built.map((b) => ({ tenant, seq: b.record.seq, leafHash: b.leaf.toString('hex') }));
}
