import { NODE_STRIDE } from '../append-batch';
import { canonicalBytes, parseRecord, type AuditRecord } from '../canonical';
import { toBuffer, toNumber, type SqlClient, type SqlDriver } from '../driver';
import { CompactRange, leafHash } from '../merkle';

/**
 * Test-only: what a database superuser could do to the audit tables once the
 * triggers are out of the way. verify() must notice every one of these.
 */

const TABLES = ['events', 'nodes', 'checkpoints', 'heads'] as const;

export async function disableTriggers(admin: SqlDriver): Promise<void> {
  for (const t of TABLES) await admin.query(`ALTER TABLE audit.${t} DISABLE TRIGGER USER`);
}

interface Row {
  readonly record: AuditRecord;
  readonly sealed: Buffer;
}

/** The indexed columns that repeat a record: recorded, action, outcome, HMACs, resource types. */
const indexedColumns = (record: AuditRecord): unknown[] => [
  record.recorded,
  record.action,
  record.outcome,
  record.userHmac === null ? null : Buffer.from(record.userHmac, 'hex'),
  record.patientHmac === null ? null : Buffer.from(record.patientHmac, 'hex'),
  [...record.resourceTypes],
];

async function writeRecord(
  admin: SqlDriver,
  tenant: string,
  atSeq: number,
  { record, sealed }: Row,
): Promise<void> {
  const bytes = canonicalBytes(record);
  await admin.query(
    `UPDATE audit.events SET canonical = $3, leaf_hash = $4, recorded = $5, action = $6, outcome = $7,
       user_hmac = $8, patient_hmac = $9, resource_types = $10, sealed = $11 WHERE tenant = $1 AND seq = $2`,
    [tenant, atSeq, bytes, leafHash(bytes), ...indexedColumns(record), sealed],
  );
}

async function readRecord(admin: SqlDriver, tenant: string, seq: number): Promise<Row> {
  const row = (
    await admin.query(`SELECT canonical, sealed FROM audit.events WHERE tenant = $1 AND seq = $2`, [
      tenant,
      seq,
    ])
  )[0];
  if (!row) throw new Error(`no event ${seq}`);
  return { record: parseRecord(toBuffer(row.canonical)), sealed: toBuffer(row.sealed) };
}

/** Rewrites one event consistently (bytes, leaf hash, columns): hides that it was a failure. */
export async function editEvent(admin: SqlDriver, tenant: string, seq: number): Promise<void> {
  const { record, sealed } = await readRecord(admin, tenant, seq);
  await writeRecord(admin, tenant, seq, {
    record: { ...record, outcome: record.outcome === '0' ? '8' : '0' },
    sealed,
  });
}

export async function deleteEvent(admin: SqlDriver, tenant: string, seq: number): Promise<void> {
  await admin.query(`DELETE FROM audit.events WHERE tenant = $1 AND seq = $2`, [tenant, seq]);
}

/** Exchanges the contents of two rows, keeping their sequence numbers. */
export async function swapEvents(admin: SqlDriver, tenant: string, a: number, b: number): Promise<void> {
  const [ra, rb] = [await readRecord(admin, tenant, a), await readRecord(admin, tenant, b)];
  await writeRecord(admin, tenant, a, rb);
  await writeRecord(admin, tenant, b, ra);
}

/** Inserts one event row for `record` (columns, bytes, leaf hash) as written; returns its leaf hash. */
export async function insertEvent(db: SqlClient, record: AuditRecord, sealed: Buffer): Promise<Buffer> {
  const bytes = canonicalBytes(record);
  const leaf = leafHash(bytes);
  await db.query(
    `INSERT INTO audit.events (tenant, seq, recorded, action, outcome, user_hmac, patient_hmac, resource_types, canonical, leaf_hash, sealed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [record.tenant, record.seq, ...indexedColumns(record), bytes, leaf, sealed],
  );
  return leaf;
}

/** Recomputes stored nodes and the chain head from whatever events are left, as a careful attacker would. */
async function rebuildTree(admin: SqlClient, tenant: string): Promise<void> {
  const rows = await admin.query(`SELECT leaf_hash FROM audit.events WHERE tenant = $1 ORDER BY seq`, [
    tenant,
  ]);
  const range = CompactRange.empty();
  const nodes: [number, number, Buffer][] = [];
  for (const r of rows)
    range.append(
      toBuffer(r.leaf_hash),
      (level, idx, hash) => level % NODE_STRIDE === 0 && nodes.push([level, idx, hash]),
    );
  await admin.query(`DELETE FROM audit.nodes WHERE tenant = $1`, [tenant]);
  for (const [level, idx, hash] of nodes) {
    await admin.query(`INSERT INTO audit.nodes (tenant, level, idx, hash) VALUES ($1, $2, $3, $4)`, [
      tenant,
      level,
      idx,
      hash,
    ]);
  }
  const last = rows[rows.length - 1];
  await admin.query(
    `UPDATE audit.heads SET size = $2, frontier = $3, last_leaf = $4, root = $5 WHERE tenant = $1`,
    [
      tenant,
      range.size,
      Buffer.concat([...range.frontier]),
      last ? toBuffer(last.leaf_hash) : Buffer.alloc(0),
      range.root(),
    ],
  );
}

/** Removes the newest events and every trace of them inside the database. */
export async function truncateTail(db: SqlDriver, tenant: string, keep: number): Promise<void> {
  await db.transaction(async (admin) => {
    await admin.query(`DELETE FROM audit.events WHERE tenant = $1 AND seq >= $2`, [tenant, keep]);
    await admin.query(`DELETE FROM audit.checkpoints WHERE tenant = $1 AND tree_size > $2`, [tenant, keep]);
    await rebuildTree(admin, tenant);
  });
}

/**
 * Drops one event and rebuilds the whole log after it with fresh sequence
 * numbers, chain links, leaf hashes, nodes and head. Without the signing key
 * the attacker can only remove the database's checkpoints.
 */
export async function rebuildWithout(db: SqlDriver, tenant: string, drop: number): Promise<void> {
  await db.transaction((admin) => rebuild(admin, tenant, drop));
}

async function rebuild(admin: SqlClient, tenant: string, drop: number): Promise<void> {
  const rows = await admin.query(
    `SELECT seq, canonical, sealed FROM audit.events WHERE tenant = $1 ORDER BY seq`,
    [tenant],
  );
  const kept = rows
    .filter((r) => toNumber(r.seq) !== drop)
    .map((r) => ({ old: parseRecord(toBuffer(r.canonical)), sealed: toBuffer(r.sealed) }));
  await admin.query(`DELETE FROM audit.events WHERE tenant = $1`, [tenant]);
  await admin.query(`DELETE FROM audit.checkpoints WHERE tenant = $1`, [tenant]);
  let prev = '';
  for (const [seq, { old, sealed }] of kept.entries()) {
    const record: AuditRecord = { ...old, seq, prev };
    const leaf = await insertEvent(admin, record, sealed);
    prev = leaf.toString('hex');
  }
  await rebuildTree(admin, tenant);
}

/**
 * Replaces the append function, keeping its name, owner and grants, by one that answers "committed" for any batch
 * naming the patient with this HMAC and keeps nothing of it: what a superuser (or the schema's owner) can do.
 * `restoreTriggers` (the migration) puts the real one back.
 */
export async function acknowledgeWithoutKeeping(admin: SqlDriver, patientHmac: string): Promise<void> {
  const rows = await admin.query<{ d: string }>(
    `SELECT pg_get_functiondef('audit.append_events'::regproc) AS d`,
  );
  const def = rows[0]?.d ?? '';
  const patched = def.replace(
    /\bBEGIN\b/,
    `BEGIN\n IF '${patientHmac.replace(/'/g, "''")}' = ANY(p_ph) THEN RETURN; END IF;`,
  );
  if (patched === def) throw new Error('append_events has no body to patch');
  await admin.query(patched);
}
