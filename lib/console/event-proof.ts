import 'server-only';
import type { AuditStore, StoredAuditEvent } from '../audit';
import { verifyInclusion } from '../audit/merkle';

export interface EventWithProof {
  readonly event: StoredAuditEvent;
  readonly proof:
    | {
        readonly status: 'verified' | 'failed';
        readonly treeSize: number;
        readonly root: string;
        readonly checkpointTime: string;
        readonly path: readonly string[];
      }
    | { readonly status: 'pending'; readonly treeSize: number };
}

/**
 * One event and its RFC 6962 inclusion proof against the latest signed
 * checkpoint of its chain, checked here on the server: the proof's leaf must
 * be the stored leaf hash and lead to the checkpoint's signed root.
 */
export async function eventWithProof(
  store: Pick<AuditStore, 'query' | 'treeHead' | 'proveInclusion'>,
  tenant: string,
  seq: number,
  recorded: Date,
): Promise<EventWithProof | undefined> {
  const page = await store.query(
    { tenant, from: recorded, to: new Date(recorded.getTime() + 1) },
    { limit: 500 },
  );
  const event = page.items.find((e) => e.seq === seq);
  if (!event) return undefined;
  const head = await store.treeHead(tenant);
  const cp = head.checkpoint;
  if (!cp || cp.size <= seq) return { event, proof: { status: 'pending', treeSize: cp?.size ?? 0 } };
  const proof = await store.proveInclusion(tenant, seq, cp.size);
  const ok =
    proof.leafHash === event.leafHash &&
    verifyInclusion(
      Buffer.from(event.leafHash, 'hex'),
      seq,
      cp.size,
      proof.path.map((h) => Buffer.from(h, 'hex')),
      cp.root,
    );
  return {
    event,
    proof: {
      status: ok ? 'verified' : 'failed',
      treeSize: cp.size,
      root: cp.root.toString('hex'),
      checkpointTime: cp.time,
      path: proof.path,
    },
  };
}
