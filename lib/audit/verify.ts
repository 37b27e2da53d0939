import type { KeyObject } from 'node:crypto';
import { parseRecord } from './canonical';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointSink } from './checkpoint-dir';
import { toBuffer, toNumber, type SqlClient } from './driver';
import { CompactRange, consistencyProof, leafHash, verifyConsistency } from './merkle';
import { withPrefetch } from './node-source';

export interface VerifyOptions {
  /** Verify one tenant; default every tenant found in the database or the external sink. */
  readonly tenant?: string;
  /** Rows fetched per round trip. */
  readonly pageSize?: number;
  /** Compare against the external checkpoints (default true). False shows what the database alone can prove. */
  readonly external?: boolean;
}

export interface TenantVerifyReport {
  readonly tenant: string;
  readonly events: number;
  readonly root: string;
  readonly checkpointsInDb: number;
  readonly checkpointsExternal: number;
  readonly checkpointsMatched: number;
  readonly consistencyProofsChecked: number;
  /** The first sequence number that is missing, altered or not covered by a matching checkpoint. */
  readonly firstBadSeq?: number;
  readonly problems: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly tenants: readonly TenantVerifyReport[];
  readonly firstBad?: { readonly tenant: string; readonly seq: number };
}

interface Deps {
  readonly db: SqlClient;
  /** The current signing key's public half first, then earlier ones. */
  readonly publicKeys: readonly KeyObject[];
  readonly sink: CheckpointSink | undefined;
}

export async function verifyTenant(deps: Deps, tenant: string, pageSize = 5000): Promise<TenantVerifyReport> {
  const problems: string[] = [];
  // An event-level finding names the exact event; a checkpoint mismatch only bounds where history changed.
  let firstBadEvent: number | undefined;
  let firstBadBound: number | undefined;
  const bad = (seq: number | undefined, problem: string, precise = true): void => {
    if (problems.length < 50) problems.push(problem);
    if (seq === undefined) return;
    if (precise) firstBadEvent = Math.min(firstBadEvent ?? seq, seq);
    else firstBadBound = Math.min(firstBadBound ?? seq, seq);
  };

  // Every checkpoint, from the database and from outside it, keyed by tree size.
  const bySize = new Map<number, { cp: SignedCheckpoint; external: boolean }[]>();
  const addNotes = (notes: readonly string[], external: boolean): number => {
    for (const note of notes) {
      const cp = openCheckpoint(note, deps.publicKeys);
      if (!cp || cp.tenant !== tenant) {
        bad(undefined, `${external ? 'external' : 'database'} checkpoint with a bad signature or format`);
        continue;
      }
      bySize.set(cp.size, [...(bySize.get(cp.size) ?? []), { cp, external }]);
    }
    return notes.length;
  };
  const dbNotes = await deps.db.query(
    `SELECT note FROM audit.checkpoints WHERE tenant = $1 ORDER BY tree_size`,
    [tenant],
  );
  const checkpointsInDb = addNotes(
    dbNotes.map((r) => String(r.note)),
    false,
  );
  const checkpointsExternal = deps.sink ? addNotes(await deps.sink.list(tenant), true) : 0;

  const range = CompactRange.empty();
  let prev = '';
  let expected = 0;
  let checkpointsMatched = 0;
  let lastGood = 0;
  const checkRoot = (): void => {
    for (const { cp, external } of bySize.get(range.size) ?? []) {
      if (cp.root.equals(range.root())) {
        checkpointsMatched++;
        lastGood = Math.max(lastGood, range.size);
      } else {
        bad(
          lastGood,
          `${external ? 'external' : 'database'} checkpoint at size ${cp.size} does not match the recomputed root: history was rewritten`,
          false,
        );
      }
    }
  };

  // Fetch the next page while hashing this one: the database and the CPU work side by side.
  const page = (from: number) =>
    deps.db.query(
      // Columns arrive in the form the record holds them (hex, ISO text, JSON) and the sealed
      // event as its SHA-256, so the comparison is plain string equality and the transfer small.
      `SELECT seq, action, outcome, canonical,
              to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded,
              encode(user_hmac, 'hex') AS user_hmac, encode(patient_hmac, 'hex') AS patient_hmac,
              array_to_json(resource_types)::text AS resource_types,
              encode(leaf_hash, 'hex') AS leaf_hash, encode(sha256(sealed), 'hex') AS sealed_sha256
       FROM audit.events WHERE tenant = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [tenant, from, pageSize],
    );
  let pending = page(0);
  for (;;) {
    const rows = await pending;
    const lastRow = rows[rows.length - 1];
    if (rows.length === pageSize && lastRow) pending = page(toNumber(lastRow.seq) + 1);
    for (const row of rows) {
      const seq = toNumber(row.seq);
      if (seq !== expected) bad(expected, `events ${expected}..${seq - 1} are missing`);
      const bytes = toBuffer(row.canonical);
      const leaf = leafHash(bytes);
      if (leaf.toString('hex') !== row.leaf_hash)
        bad(seq, `event ${seq}: stored leaf hash does not match its bytes`);
      try {
        const r = parseRecord(bytes, { strict: false });
        const columnsMatch =
          r.tenant === tenant &&
          r.seq === seq &&
          row.recorded === r.recorded &&
          row.action === r.action &&
          row.outcome === r.outcome &&
          (row.user_hmac ?? null) === r.userHmac &&
          (row.patient_hmac ?? null) === r.patientHmac &&
          row.resource_types === JSON.stringify(r.resourceTypes) &&
          row.sealed_sha256 === r.sealedSha256;
        if (!columnsMatch) bad(seq, `event ${seq}: indexed columns differ from the signed record`);
        // A broken link blames this event if it is itself wrong, otherwise its predecessor's bytes changed.
        if (r.prev !== prev)
          bad(columnsMatch ? Math.max(seq - 1, 0) : seq, `event ${seq}: does not chain to event ${seq - 1}`);
      } catch {
        bad(seq, `event ${seq}: stored bytes are not an audit record`);
      }
      prev = leaf.toString('hex');
      range.append(leaf);
      expected = seq + 1;
      checkRoot();
    }
    if (rows.length < pageSize) break;
  }

  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  for (const size of sizes.filter((s) => s > range.size)) {
    const where = bySize.get(size)?.some((c) => c.external) ? 'external' : 'database';
    bad(
      range.size,
      `${where} checkpoint at size ${size} but the log holds ${range.size} events: events were removed (tail truncated or history cut)`,
      false,
    );
  }

  const head = (await deps.db.query(`SELECT size, root FROM audit.heads WHERE tenant = $1`, [tenant]))[0];
  if (head && (toNumber(head.size) !== range.size || !toBuffer(head.root).equals(range.root()))) {
    bad(
      Math.min(toNumber(head.size), range.size),
      `chain head (size ${toNumber(head.size)}) does not match the events`,
      false,
    );
  }

  // Consecutive checkpoints must be consistent through the stored tree, as an auditor would check.
  let consistencyProofsChecked = 0;
  const matched = sizes.filter((s) => s <= range.size);
  for (let i = 1; i < matched.length && problems.length === 0; i++) {
    const a = bySize.get(matched[i - 1] as number)?.[0]?.cp;
    const b = bySize.get(matched[i] as number)?.[0]?.cp;
    if (!a || !b) continue;
    try {
      const proof = await withPrefetch(deps.db, tenant, (src) => consistencyProof(src, a.size, b.size));
      if (!verifyConsistency(a.size, b.size, a.root, b.root, proof))
        bad(a.size, `stored tree nodes between checkpoints ${a.size} and ${b.size} are wrong`, false);
    } catch {
      bad(a.size, `stored tree nodes between checkpoints ${a.size} and ${b.size} are missing`, false);
    }
    consistencyProofsChecked++;
  }

  return {
    tenant,
    events: range.size,
    root: range.root().toString('hex'),
    checkpointsInDb,
    checkpointsExternal,
    checkpointsMatched,
    consistencyProofsChecked,
    ...(firstBadEvent !== undefined || firstBadBound !== undefined
      ? { firstBadSeq: firstBadEvent ?? firstBadBound }
      : {}),
    problems,
  };
}

export async function verifyAll(deps: Deps, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  let tenants: string[];
  if (opts.tenant !== undefined) tenants = [opts.tenant];
  else {
    const rows = await deps.db.query(
      `SELECT tenant FROM audit.heads UNION SELECT DISTINCT tenant FROM audit.checkpoints`,
    );
    // A tenant known only outside the database had its whole log removed: it must be verified too.
    const outside = deps.sink && opts.external !== false ? await deps.sink.tenants() : [];
    tenants = [...new Set([...rows.map((r) => String(r.tenant)), ...outside])].sort();
  }
  const reports: TenantVerifyReport[] = [];
  const d = opts.external === false ? { ...deps, sink: undefined } : deps;
  for (const t of tenants) reports.push(await verifyTenant(d, t, opts.pageSize));
  const seconds = (performance.now() - started) / 1000;
  const events = reports.reduce((n, r) => n + r.events, 0);
  const firstBadReport = reports.find((r) => r.problems.length > 0);
  return {
    ok: reports.every((r) => r.problems.length === 0),
    events,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
    tenants: reports,
    ...(firstBadReport
      ? { firstBad: { tenant: firstBadReport.tenant, seq: firstBadReport.firstBadSeq ?? 0 } }
      : {}),
  };
}
