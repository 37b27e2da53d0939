import type { KeyObject } from 'node:crypto';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointSink } from './checkpoint-dir';
import { toNumber, type SqlClient } from './driver';

/** A signed checkpoint and where it was found (for reports: a file path, or the database row). */
export interface FoundCheckpoint {
  readonly cp: SignedCheckpoint;
  readonly external: boolean;
  readonly place: string;
}

export interface GatheredCheckpoints {
  /** Every checkpoint whose note verifies and holds the size its row or file name claims, by tree size. */
  readonly bySize: Map<number, FoundCheckpoint[]>;
  readonly inDb: number;
  readonly external: number;
  readonly problems: readonly string[];
}

const errCode = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown error';
};

/**
 * Reads a tenant's checkpoints from the database and from the external
 * store. A note is trusted only under the size it holds: a row or a file
 * that claims another size (a copied note) is a problem, as is a file that
 * does not verify, reported by its name.
 */
export async function gatherCheckpoints(
  db: SqlClient,
  sink: CheckpointSink | undefined,
  keys: readonly KeyObject[],
  tenant: string,
): Promise<GatheredCheckpoints> {
  const bySize = new Map<number, FoundCheckpoint[]>();
  const problems: string[] = [];
  const add = (note: string, claimed: number, external: boolean, place: string): void => {
    const cp = openCheckpoint(note, keys);
    if (!cp || cp.tenant !== tenant) {
      problems.push(`${place}: corrupted, or not signed by a trusted key`);
    } else if (cp.size !== claimed) {
      problems.push(`${place}: holds a note for tree size ${cp.size}, not ${claimed} (a copied note)`);
    } else {
      bySize.set(cp.size, [...(bySize.get(cp.size) ?? []), { cp, external, place }]);
    }
  };
  const rows = await db.query(
    `SELECT tree_size, note FROM audit.checkpoints WHERE tenant = $1 ORDER BY tree_size`,
    [tenant],
  );
  for (const r of rows) {
    const size = toNumber(r.tree_size);
    add(String(r.note), size, false, `database checkpoint row of ${tenant} at tree size ${size}`);
  }
  let external = 0;
  if (sink) {
    try {
      const entries = await sink.entries(tenant);
      external = entries.length;
      for (const e of entries) add(e.note, e.size, true, `external checkpoint file ${e.file}`);
    } catch (e) {
      problems.push(`external checkpoints of ${tenant} cannot be read (${errCode(e)})`);
    }
  }
  return { bySize, inDb: rows.length, external, problems };
}

/**
 * Every checkpoint in the database must also be in the external store: if
 * not, the external copy was deleted or rolled back. (The other way, every
 * external checkpoint must match the log the database holds: verify
 * recomputes its root or finds events missing. One only outside is not a
 * failure by itself: the signer writes outside first, so an interrupted
 * write or a concurrent signer leaves exactly that, and the outside copy
 * still pins the history.)
 */
export function crossCheck(
  g: GatheredCheckpoints,
  tenant: string,
): { problems: string[]; onlyExternal: number } {
  const problems: string[] = [];
  let onlyExternal = 0;
  const has = (size: number, external: boolean) => g.bySize.get(size)?.some((c) => c.external === external);
  for (const size of [...g.bySize.keys()].sort((a, b) => a - b)) {
    if (has(size, false) && !has(size, true))
      problems.push(
        `checkpoint of ${tenant} at tree size ${size} is in the database but missing from the external store: the external copy was deleted or rolled back`,
      );
    if (has(size, true) && !has(size, false)) onlyExternal++;
  }
  return { problems, onlyExternal };
}
