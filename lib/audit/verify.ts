import type { KeyObject } from 'node:crypto';
import type { CheckpointSink } from './checkpoint-dir';
import { toBuffer, toNumber, type SqlClient } from './driver';
import type { EventChecker } from './check-pool';
import { CompactRange, consistencyProof, verifyConsistency } from './merkle';
import { withPrefetch } from './node-source';
import { lastSeq, scanEvents } from './event-scan';
import { crossCheck, gatherCheckpoints, type FoundCheckpoint } from './verify-checkpoints';
import { witnessCheckpoints } from './verify-witnesses';
import type { WitnessPolicy } from './witnesses';

export interface VerifyOptions {
  /** Verify one tenant; default every tenant found in the database or the external sink. */
  readonly tenant?: string;
  /** Seq numbers per page read in one round trip (several pages are in flight). */
  readonly pageSize?: number;
  /** Compare against the external checkpoints (default true). False shows what the database alone can prove. */
  readonly external?: boolean;
  /**
   * Also inflate every event's payload and compare it with its record field by field (time, action, outcome,
   * resource types, the user and patient HMACs recomputed, the commitment), as events stored before record format 3
   * always are. A format 3 payload opens only with the record it was sealed with, which the default check proves;
   * this checks what the key holder sealed as well, and takes about 2.5 times as long.
   */
  readonly deep?: boolean;
}

export interface TenantVerifyReport {
  readonly tenant: string;
  readonly events: number;
  readonly root: string;
  readonly checkpointsInDb: number;
  readonly checkpointsExternal: number;
  readonly checkpointsMatched: number;
  /** Checkpoints outside with no database row (an interrupted write; they still pin the history). */
  readonly checkpointsOnlyExternal: number;
  readonly consistencyProofsChecked: number;
  /** The first sequence number that is missing, altered or not covered by a matching checkpoint. */
  readonly firstBadSeq?: number;
  /** True when firstBadSeq is only a bound (history changed at or after it), not the exact event. */
  readonly firstBadIsBound?: boolean;
  /** Events after the newest matching checkpoint, still within the signing bound (not a problem yet). */
  readonly unsignedTail?: { readonly from: number; readonly to: number; readonly ageMs: number };
  readonly problems: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly tenants: readonly TenantVerifyReport[];
  /** The first log with a problem, and its first bad sequence number when one is known. */
  readonly firstBad?: { readonly tenant: string; readonly seq?: number };
  /** True when firstBad.seq is only a bound (history changed at or after it), not the exact event. */
  readonly firstBadIsBound?: boolean;
  /** Failures not tied to one log (the external store cannot be listed). */
  readonly storeProblems: readonly string[];
}

interface Deps {
  readonly db: SqlClient;
  /** Opens every sealed event and recomputes its HMACs (checking threads or this one): verify checks payloads, not only hashes. */
  readonly checker: EventChecker;
  /** The current signing key's public half first, then earlier ones. */
  readonly publicKeys: readonly KeyObject[];
  readonly sink: CheckpointSink | undefined;
  /** Events may wait this long for a signed checkpoint; an older unsigned tail is a failure. */
  readonly coverageBoundMs: number;
  /** Witnesses whose cosignatures and latest cosigned checkpoints are checked too. */
  readonly witnesses?: WitnessPolicy | undefined;
}

class Findings {
  readonly problems: string[] = [];
  // An event-level finding names the exact event; a checkpoint mismatch only bounds where history changed.
  private exact: number | undefined;
  private bound: number | undefined;
  add(seq: number | undefined, problem: string, precise = true): void {
    if (this.problems.length < 50) this.problems.push(problem);
    if (seq === undefined) return;
    if (precise) this.exact = Math.min(this.exact ?? seq, seq);
    else this.bound = Math.min(this.bound ?? seq, seq);
  }
  firstBad(): { firstBadSeq?: number; firstBadIsBound?: boolean } {
    if (this.exact !== undefined) return { firstBadSeq: this.exact, firstBadIsBound: false };
    if (this.bound !== undefined) return { firstBadSeq: this.bound, firstBadIsBound: true };
    return {};
  }
}

export async function verifyTenant(deps: Deps, tenant: string, pageSize = 2048): Promise<TenantVerifyReport> {
  const f = new Findings();
  // A log of several pages is opened on the checking threads: they start while the checkpoints are gathered.
  if ((await lastSeq(deps.db, tenant)) >= pageSize) void deps.checker.warm();
  const g = await gatherCheckpoints(deps.db, deps.sink, deps.publicKeys, tenant);
  for (const p of g.problems) f.add(undefined, p);
  const cross = deps.sink ? crossCheck(g, tenant) : { problems: [], onlyExternal: 0 };
  for (const p of cross.problems) f.add(undefined, p);
  const { bySize } = g;
  if (deps.witnesses) {
    const w = await witnessCheckpoints(deps.witnesses, deps.publicKeys, tenant, bySize);
    for (const p of w.problems) f.add(undefined, p);
    for (const c of w.found) bySize.set(c.cp.size, [...(bySize.get(c.cp.size) ?? []), c]);
  }

  const range = CompactRange.empty();
  let prev = '';
  let expected = 0;
  let checkpointsMatched = 0;
  let lastGood = 0;
  const checkRoot = (): void => {
    for (const { cp, place } of bySize.get(range.size) ?? []) {
      if (cp.root.equals(range.root())) {
        checkpointsMatched++;
        lastGood = Math.max(lastGood, range.size);
      } else {
        f.add(
          lastGood,
          `${place} does not match the root recomputed from events 0..${cp.size - 1}: history was rewritten at or after event ${lastGood}`,
          false,
        );
      }
    }
  };

  // Pages are read and checked several at a time (checking threads); rows are chained and
  // hashed into the tree here, in order. Events appended meanwhile are read in a further round.
  for (
    let from = 0, last = await lastSeq(deps.db, tenant);
    last >= from;
    last = await lastSeq(deps.db, tenant)
  ) {
    prev = await scanEvents(
      deps.db,
      deps.checker,
      tenant,
      { from, to: last + 1, pageSize, prevLeaf: prev },
      (c) => {
        if (c.seq !== expected) f.add(expected, `events ${expected}..${c.seq - 1} are missing`);
        for (const finding of c.findings) f.add(finding.seq, finding.problem);
        range.append(c.leaf);
        expected = c.seq + 1;
        checkRoot();
      },
    );
    from = last + 1;
  }

  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  for (const size of sizes.filter((s) => s > range.size)) {
    const where = bySize.get(size)?.[0]?.place ?? 'checkpoint';
    f.add(
      range.size,
      `${where} covers ${size} events but the log holds ${range.size}: events were removed (${range.size}..${size - 1}; tail truncated or history cut)`,
      false,
    );
  }

  const head = (await deps.db.query(`SELECT size, root FROM audit.heads WHERE tenant = $1`, [tenant]))[0];
  if (!head && range.size > 0) {
    f.add(undefined, `${tenant} has ${range.size} events but no chain head row: every append to it fails`);
  } else if (head && (toNumber(head.size) !== range.size || !toBuffer(head.root).equals(range.root()))) {
    f.add(
      Math.min(toNumber(head.size), range.size),
      `chain head (size ${toNumber(head.size)}) does not match the events`,
      false,
    );
  }

  const unsignedTail = await unsigned(deps, tenant, lastGood, range.size, f);
  const consistencyProofsChecked = await checkConsistency(deps.db, tenant, bySize, range.size, f);

  return {
    tenant,
    events: range.size,
    root: range.root().toString('hex'),
    checkpointsInDb: g.inDb,
    checkpointsExternal: g.external,
    checkpointsMatched,
    checkpointsOnlyExternal: cross.onlyExternal,
    consistencyProofsChecked,
    ...f.firstBad(),
    ...(unsignedTail ? { unsignedTail } : {}),
    problems: f.problems,
  };
}

/** Events after the newest matching checkpoint: reported while young, a problem past the bound. */
async function unsigned(
  deps: Deps,
  tenant: string,
  signed: number,
  size: number,
  f: Findings,
): Promise<TenantVerifyReport['unsignedTail']> {
  if (size <= signed) return undefined;
  const row = (
    await deps.db.query(
      `SELECT extract(epoch FROM (now() - committed_at)) * 1000 AS age FROM audit.events WHERE tenant = $1 AND seq = $2`,
      [tenant, signed],
    )
  )[0];
  const ageMs = Math.max(0, Math.round(Number(row?.age ?? Number.POSITIVE_INFINITY)));
  if (ageMs > deps.coverageBoundMs) {
    f.add(
      signed,
      `events ${signed}..${size - 1} of ${tenant} are not covered by any signed checkpoint; the first was committed ${(ageMs / 1000).toFixed(1)} s ago, past the ${(deps.coverageBoundMs / 1000).toFixed(1)} s bound (is the signer stopped?)`,
      false,
    );
    return undefined;
  }
  return { from: signed, to: size, ageMs };
}

/** Consecutive checkpoints must be consistent through the stored tree, as an auditor would check. */
async function checkConsistency(
  db: SqlClient,
  tenant: string,
  bySize: Map<number, FoundCheckpoint[]>,
  size: number,
  f: Findings,
): Promise<number> {
  let checked = 0;
  const matched = [...bySize.keys()].filter((s) => s <= size).sort((a, b) => a - b);
  for (let i = 1; i < matched.length && f.problems.length === 0; i++) {
    const a = bySize.get(matched[i - 1] as number)?.[0]?.cp;
    const b = bySize.get(matched[i] as number)?.[0]?.cp;
    if (!a || !b) continue;
    try {
      const proof = await withPrefetch(db, tenant, (src) => consistencyProof(src, a.size, b.size));
      if (!verifyConsistency(a.size, b.size, a.root, b.root, proof))
        f.add(a.size, `stored tree nodes between checkpoints ${a.size} and ${b.size} are wrong`, false);
    } catch {
      f.add(a.size, `stored tree nodes between checkpoints ${a.size} and ${b.size} are missing`, false);
    }
    checked++;
  }
  return checked;
}

/** Every tenant with events, a head, or checkpoints inside or outside the database. */
async function allTenants(deps: Deps, external: boolean): Promise<string[]> {
  const rows = await deps.db.query(
    // A loose index scan over the primary key: one probe per tenant, not a pass over every event.
    `WITH RECURSIVE t AS (
       SELECT min(tenant) AS tenant FROM audit.events
       UNION ALL SELECT (SELECT min(tenant) FROM audit.events WHERE tenant > t.tenant) FROM t WHERE t.tenant IS NOT NULL
     )
     SELECT tenant FROM t WHERE tenant IS NOT NULL
     UNION SELECT tenant FROM audit.heads UNION SELECT DISTINCT tenant FROM audit.checkpoints`,
  );
  // A tenant known only outside the database had its whole log removed: it must be verified too.
  const outside = deps.sink && external ? await deps.sink.tenants() : [];
  return [...new Set([...rows.map((r) => String(r.tenant)), ...outside])].sort();
}

export async function verifyAll(deps: Deps, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const storeProblems: string[] = [];
  let tenants: string[] = [];
  if (opts.tenant !== undefined) tenants = [opts.tenant];
  else {
    try {
      tenants = await allTenants(deps, opts.external !== false);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      storeProblems.push(
        `the external checkpoint store cannot be listed (${typeof code === 'string' ? code : 'error'}): is the directory missing, replaced or unreadable?`,
      );
      tenants = await allTenants(deps, false);
    }
  }
  const reports: TenantVerifyReport[] = [];
  const d = opts.external === false ? { ...deps, sink: undefined } : deps;
  for (const t of tenants) reports.push(await verifyTenant(d, t, opts.pageSize));
  const seconds = (performance.now() - started) / 1000;
  const events = reports.reduce((n, r) => n + r.events, 0);
  const firstBadReport = reports.find((r) => r.problems.length > 0);
  return {
    ok: storeProblems.length === 0 && reports.every((r) => r.problems.length === 0),
    events,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
    tenants: reports,
    ...(firstBadReport
      ? {
          firstBad: {
            tenant: firstBadReport.tenant,
            ...(firstBadReport.firstBadSeq !== undefined ? { seq: firstBadReport.firstBadSeq } : {}),
          },
          firstBadIsBound: firstBadReport.firstBadIsBound ?? false,
        }
      : {}),
    storeProblems,
  };
}
