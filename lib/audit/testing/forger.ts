import { createHash, randomBytes } from 'node:crypto';
import { NODE_STRIDE, lockHead } from '../append-batch';
import { parseRecord, type AuditRecord } from '../canonical';
import { insertEvent } from './attacker';
import { toBuffer, type SqlDriver } from '../driver';

/**
 * Test-only: what a compromised app login (no keys) can try. It can build
 * well-formed records that chain and hash correctly, but it cannot seal a
 * payload that decrypts under the tenant's key, nor sign a checkpoint.
 */

export interface ForgeOptions {
  /** The sealed bytes of each forged event (default random bytes). */
  readonly sealed?: (seq: number) => Buffer;
  /** Changes to the record copied from the last real event. */
  readonly change?: Partial<AuditRecord>;
}

/** Appends `n` forged events after the head, with columns copied from the last real one, and moves the head. */
export async function forgeTail(
  app: SqlDriver,
  tenant: string,
  n: number,
  o: ForgeOptions = {},
): Promise<number> {
  return app.transaction(async (tx) => {
    const head = await lockHead(tx, tenant);
    const model = (
      await tx.query(`SELECT canonical FROM audit.events WHERE tenant = $1 AND seq = $2`, [
        tenant,
        head.size - 1,
      ])
    )[0];
    if (!model) throw new Error('nothing to copy');
    const base = parseRecord(toBuffer(model.canonical));
    let prev = head.lastLeaf.toString('hex');
    const nodes: [number, number, Buffer][] = [];
    for (let i = 0; i < n; i++) {
      const seq = head.size + i;
      const sealed = o.sealed?.(seq) ?? randomBytes(200);
      const record: AuditRecord = {
        ...base,
        ...o.change,
        seq,
        prev,
        recorded: new Date().toISOString(),
        sealedSha256: createHash('sha256').update(sealed).digest('hex'),
      };
      const leaf = await insertEvent(tx, record, sealed);
      head.range.append(leaf, (level, idx, hash) => {
        if (level % NODE_STRIDE === 0) nodes.push([level, idx, hash]);
      });
      prev = leaf.toString('hex');
    }
    for (const [level, idx, hash] of nodes)
      await tx.query(`INSERT INTO audit.nodes (tenant, level, idx, hash) VALUES ($1, $2, $3, $4)`, [
        tenant,
        level,
        idx,
        hash,
      ]);
    await tx.query(
      `UPDATE audit.heads SET size = $2, frontier = $3, last_leaf = $4, root = $5 WHERE tenant = $1`,
      [
        tenant,
        head.range.size,
        Buffer.concat([...head.range.frontier]),
        Buffer.from(prev, 'hex'),
        head.range.root(),
      ],
    );
    return head.size;
  });
}

/** Inserts copies of the note signed at `size` under every tree size in (size, upTo]. */
export async function poisonCheckpoints(
  app: SqlDriver,
  tenant: string,
  size: number,
  upTo: number,
): Promise<void> {
  const row = (
    await app.query(
      `SELECT root, signed_at, note FROM audit.checkpoints WHERE tenant = $1 AND tree_size = $2`,
      [tenant, size],
    )
  )[0];
  if (!row) throw new Error(`no checkpoint at ${size}`);
  for (let s = size + 1; s <= upTo; s++)
    await app.query(
      `INSERT INTO audit.checkpoints (tenant, tree_size, root, signed_at, note) VALUES ($1, $2, $3, $4, $5)`,
      [tenant, s, row.root, row.signed_at, row.note],
    );
}
