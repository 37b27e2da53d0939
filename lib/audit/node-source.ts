import { NODE_STRIDE } from './append-batch';
import { toBuffer, toNumber, type SqlClient } from './driver';
import { nodeHash, type HashSource } from './merkle';

/**
 * Perfect-subtree hashes read from the database: leaf hashes at level 0,
 * stored nodes at every NODE_STRIDE-th level, and anything in between folded
 * from at most 2^(NODE_STRIDE-1) stored children.
 */

interface Request {
  readonly level: number;
  readonly index: number;
}

const baseOf = (level: number): number => level - (level % NODE_STRIDE);

function fold(layer: Buffer[]): Buffer {
  while (layer.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i] as Buffer, layer[i + 1] as Buffer));
    layer = next;
  }
  const only = layer[0];
  if (!only) throw new Error('audit tree node missing');
  return only;
}

/** Fetches every stored hash the requests need in two queries (leaves, nodes). */
async function fetchAll(
  db: SqlClient,
  tenant: string,
  requests: readonly Request[],
): Promise<Map<string, Buffer>> {
  const leaves: number[] = [];
  const levels: number[] = [];
  const indexes: number[] = [];
  for (const { level, index } of requests) {
    const base = baseOf(level);
    const width = 2 ** (level - base);
    for (let i = index * width; i < (index + 1) * width; i++) {
      if (base === 0) leaves.push(i);
      else {
        levels.push(base);
        indexes.push(i);
      }
    }
  }
  const found = new Map<string, Buffer>();
  if (leaves.length > 0) {
    const rows = await db.query(
      `SELECT seq, leaf_hash FROM audit.events WHERE tenant = $1 AND seq = ANY($2::bigint[])`,
      [tenant, leaves],
    );
    for (const r of rows) found.set(`0:${toNumber(r.seq)}`, toBuffer(r.leaf_hash));
  }
  if (levels.length > 0) {
    const rows = await db.query(
      `SELECT n.level, n.idx, n.hash FROM audit.nodes n JOIN unnest($2::smallint[], $3::bigint[]) AS w(level, idx)
         ON n.level = w.level AND n.idx = w.idx WHERE n.tenant = $1`,
      [tenant, levels, indexes],
    );
    for (const r of rows) found.set(`${toNumber(r.level)}:${toNumber(r.idx)}`, toBuffer(r.hash));
  }
  return found;
}

function hashFrom(found: Map<string, Buffer>, level: number, index: number): Buffer {
  const base = baseOf(level);
  const width = 2 ** (level - base);
  const layer: Buffer[] = [];
  for (let i = index * width; i < (index + 1) * width; i++) {
    const h = found.get(`${base}:${i}`);
    if (!h) throw new Error(`audit tree node missing at level ${base}`);
    layer.push(h);
  }
  return fold(layer);
}

/** One perfect subtree at a time (a few indexed reads each). */
export function dbHashSource(db: SqlClient, tenant: string): HashSource {
  return {
    perfect: async (level, index) => hashFrom(await fetchAll(db, tenant, [{ level, index }]), level, index),
  };
}

/**
 * Runs a proof computation twice: first against a recorder to learn which
 * subtrees it needs (the algorithms' control flow depends only on sizes),
 * then against those hashes fetched in two queries. A proof over a million
 * events costs two round trips instead of 2·log2(n).
 */
export async function withPrefetch<T>(
  db: SqlClient,
  tenant: string,
  compute: (src: HashSource) => Promise<T>,
): Promise<T> {
  const requests: Request[] = [];
  const blank = Buffer.alloc(32);
  await compute({
    perfect: async (level, index) => {
      requests.push({ level, index });
      return blank;
    },
  });
  const found = await fetchAll(db, tenant, requests);
  return compute({ perfect: async (level, index) => hashFrom(found, level, index) });
}
