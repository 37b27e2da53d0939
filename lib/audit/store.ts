import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { appendBatch, type HeadCache } from './append-batch';
import { isValidTenant, openCheckpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointSink } from './checkpoint-dir';
import { SMALL_PAGE_BYTES, START_PAGE_BYTES, threadedChecker } from './check-pool';
import { Checkpointer } from './checkpointer';
import { Coverage, type AuditHealth } from './coverage';
import type { AuditKeys } from './crypto';
import { toBuffer, toNumber, type SqlDriver } from './driver';
import { auditAlert, AuditCoverageAlert, AuditUnavailableError } from './errors';
import { GroupCommitter } from './group-commit';
import { retryOnConnectionLoss } from './connection-loss';
import { consistencyProof, inclusionProof } from './merkle';
import { withPrefetch } from './node-source';
import { findPatients, patientIndexer, type PatientSearchResult } from './patient-index';
import { queryEvents, type AuditPage, type AuditQueryFilter, type AuditQueryResult } from './query';
import type { AuditInput, AuditReceipt } from './types';
import { verifyAll, type VerifyOptions, type VerifyReport } from './verify';
import type { WitnessPolicy } from './witnesses';

export interface TreeHead {
  readonly tenant: string;
  readonly size: number;
  /** Hex root hash. */
  readonly root: string;
  /** The newest signed checkpoint (it may lag the head by up to the checkpoint delay). */
  readonly checkpoint?: SignedCheckpoint;
}

export interface InclusionProof {
  readonly tenant: string;
  readonly seq: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly path: readonly string[];
}

/** Append-only: there is deliberately no update and no delete. */
export interface AuditStore {
  append(inputs: readonly AuditInput[]): Promise<AuditReceipt[]>;
  query(filter: AuditQueryFilter, page?: AuditPage): Promise<AuditQueryResult>;
  /**
   * Patients recorded with every term of `text` (name words, a birth date YYYY-MM-DD, an MRN),
   * through the keyed blind index, confirmed against their sealed events. RangeError when `text`
   * holds nothing searchable.
   */
  findPatients(
    text: string,
    opts?: { readonly tenant?: string; readonly limit?: number },
  ): Promise<PatientSearchResult>;
  treeHead(tenant: string): Promise<TreeHead>;
  proveInclusion(tenant: string, seq: number, treeSize: number): Promise<InclusionProof>;
  /** Inclusion proofs of several events in one tree, read together (an export page's): hex hashes by seq. */
  proveInclusions(
    tenant: string,
    seqs: readonly number[],
    treeSize: number,
  ): Promise<ReadonlyMap<number, readonly string[]>>;
  proveConsistency(tenant: string, from: number, to: number): Promise<readonly string[]>;
  /** Signs the current head of a tenant now instead of waiting for the debounce. */
  checkpoint(tenant: string): Promise<SignedCheckpoint | undefined>;
  verify(opts?: VerifyOptions): Promise<VerifyReport>;
  /**
   * Whether the store may be used: false when a tenant was stopped by a
   * failed check or appends are not covered by a signed checkpoint within
   * the bound. While false, append() rejects with AuditUnavailableError.
   */
  health(): AuditHealth;
  readonly publicKey: KeyObject;
  close(): Promise<void>;
}

export interface SqlStoreOptions {
  readonly driver: SqlDriver;
  readonly keys: AuditKeys;
  /** Where checkpoints are copied outside the database; undefined only in tests that say so. */
  readonly sink: CheckpointSink | undefined;
  /** Identifies this app in AuditEvent.source, e.g. APP_URL. */
  readonly appId: string;
  /** Debounce before signing a checkpoint after appends; default 250 ms (must stay well under 1 s). */
  readonly checkpointDelayMs?: number;
  readonly maxBatch?: number;
  readonly onBackgroundError?: (e: unknown) => void;
  /** How long committed events may wait for a signed checkpoint before the store is unavailable; default 5 s. */
  readonly coverageBoundMs?: number;
  /** Public keys of earlier signing keys, so checkpoints signed before a rotation still verify. */
  readonly previousPublicKeys?: readonly KeyObject[];
  /** Witnesses that must cosign each checkpoint (a quorum of them) before it counts. */
  readonly witnesses?: WitnessPolicy | undefined;
  /** Threads that open and check events for the signer and verify; default one per core, at most 4; 0: none. */
  readonly checkThreads?: number;
}

export const DEFAULT_COVERAGE_BOUND_MS = 5000;

/** The audit record of an outage: the log was unavailable from `since` to `until`. */
const restoredEvent = (
  o: { readonly tenant: string; readonly since: Date; readonly until: Date; readonly lastError?: string },
  boundMs: number,
): AuditInput => ({
  action: 'audit-restored',
  outcome: '0',
  tenant: o.tenant,
  detail:
    `unavailable from ${o.since.toISOString()} to ${o.until.toISOString()}: ` +
    `no signed checkpoint within ${boundMs} ms${o.lastError ? ` (signer error ${o.lastError})` : ''}`,
});

export function createSqlAuditStore(opts: SqlStoreOptions): AuditStore {
  const { driver, keys } = opts;
  const signingKey = createPrivateKey(keys.signingKey);
  const publicKey = createPublicKey(signingKey);
  const trusted = [publicKey, ...(opts.previousPublicKeys ?? [])];
  const onError = opts.onBackgroundError ?? ((e: unknown) => console.error(JSON.stringify(auditAlert(e))));
  const coverageBoundMs = opts.coverageBoundMs ?? DEFAULT_COVERAGE_BOUND_MS;
  const coverage = new Coverage(coverageBoundMs, Date.now, (change) => {
    const until = change.kind === 'restored' ? change.until : undefined;
    onError(new AuditCoverageAlert(change.tenant, change.since, until, change.lastError));
    // The outage goes on the tenant's own record once it is covered again (appends were refused
    // until now); straight to the committer, as another tenant may still be unavailable.
    if (until)
      committer.submit(change.tenant, [restoredEvent({ ...change, until }, coverageBoundMs)]).catch(onError);
  });
  // Checking a few hundred events in this thread, even a slice at a time, leaves its garbage and its
  // share of the thread to the appends waiting here: at a steady 1,000 events/s on PostgreSQL their
  // p99 was 6–10 ms with the checks here and 3–6 ms with them on threads. A hospital's server on
  // PostgreSQL has the memory for the threads (about 17 MiB each) from its first busy checkpoint;
  // the embedded default, one clinician's machine, starts them only for large pages.
  const checker = threadedChecker(
    keys,
    opts.checkThreads,
    driver.kind === 'postgres' ? SMALL_PAGE_BYTES : START_PAGE_BYTES,
  );
  const indexingInFlight = new Set<Promise<void>>();
  const checkpointer = new Checkpointer({
    db: driver,
    checker,
    signingKey,
    trusted,
    sink: opts.sink,
    delayMs: opts.checkpointDelayMs ?? 250,
    coverage,
    onError,
    witnesses: opts.witnesses,
  });
  const heads: HeadCache = new Map();
  const indexPatients = patientIndexer(driver, keys);
  const committer = new GroupCommitter(
    (tenant, inputs) => appendBatch(driver, tenant, inputs, keys, opts.appId, heads),
    (tenant, receipts) => {
      const leaves = receipts.map((r) => ({ seq: r.seq, leaf: Buffer.from(r.leafHash, 'hex') }));
      coverage.appended(tenant, Math.max(...receipts.map((r) => r.seq)) + 1, leaves);
      checkpointer.notify(tenant);
    },
    opts.maxBatch,
  );

  const headOf = async (tenant: string): Promise<{ size: number; root: Buffer }> => {
    const row = (await driver.query(`SELECT size, root FROM audit.heads WHERE tenant = $1`, [tenant]))[0];
    return row ? { size: toNumber(row.size), root: toBuffer(row.root) } : { size: 0, root: Buffer.alloc(0) };
  };

  const treeHeadOf = async (tenant: string): Promise<TreeHead> => {
    const head = await headOf(tenant);
    const row = (
      await driver.query(
        `SELECT note FROM audit.checkpoints WHERE tenant = $1 ORDER BY tree_size DESC LIMIT 1`,
        [tenant],
      )
    )[0];
    const checkpoint = typeof row?.note === 'string' ? openCheckpoint(row.note, trusted) : undefined;
    return {
      tenant,
      size: head.size,
      root: head.root.toString('hex'),
      ...(checkpoint ? { checkpoint } : {}),
    };
  };
  const inclusionOf = async (tenant: string, seq: number, treeSize: number): Promise<InclusionProof> => {
    const head = await headOf(tenant);
    if (treeSize > head.size) throw new RangeError(`tree size ${treeSize} is beyond the log (${head.size})`);
    const [path, leaf] = await withPrefetch(driver, tenant, async (src) =>
      Promise.all([inclusionProof(src, seq, treeSize), src.perfect(0, seq)] as const),
    );
    return {
      tenant,
      seq,
      treeSize,
      leafHash: leaf.toString('hex'),
      path: path.map((h) => h.toString('hex')),
    };
  };
  const inclusionsOf = async (
    tenant: string,
    seqs: readonly number[],
    treeSize: number,
  ): Promise<ReadonlyMap<number, readonly string[]>> => {
    const head = await headOf(tenant);
    if (treeSize > head.size) throw new RangeError(`tree size ${treeSize} is beyond the log (${head.size})`);
    const paths = await withPrefetch(driver, tenant, (src) =>
      Promise.all(seqs.map((seq) => inclusionProof(src, seq, treeSize))),
    );
    return new Map(seqs.map((seq, i) => [seq, (paths[i] ?? []).map((h) => h.toString('hex'))]));
  };
  const consistencyOf = async (tenant: string, from: number, to: number): Promise<readonly string[]> => {
    const head = await headOf(tenant);
    if (to > head.size) throw new RangeError(`tree size ${to} is beyond the log (${head.size})`);
    return (await withPrefetch(driver, tenant, (src) => consistencyProof(src, from, to))).map((h) =>
      h.toString('hex'),
    );
  };

  /**
   * The signer's coverage, and appends waiting for the database past the bound (the chain head's lock held by a
   * session that never ends): either way the store refuses appends and readiness turns red.
   */
  const healthNow = (): AuditHealth => {
    const signed = coverage.health();
    const stalled = committer.stalled(coverageBoundMs);
    if (stalled.length === 0) return signed;
    return {
      ok: false,
      problems: [
        ...signed.problems,
        ...stalled.map((s) => ({ tenant: s.tenant, code: 'append-stalled' as const, ageMs: s.ageMs })),
      ],
    };
  };

  return {
    publicKey,
    health: healthNow,
    async append(inputs) {
      const health = healthNow();
      if (!health.ok) {
        const first = health.problems[0];
        return Promise.reject(
          new AuditUnavailableError({
            cause: Object.assign(
              new Error(`audit store unavailable: ${first?.code ?? 'unknown'} in ${first?.tenant ?? '?'}`),
              { code: first?.code ?? 'unavailable' },
            ),
          }),
        );
      }
      // Not retried here: a batch whose connection was lost is looked for in the log before it is
      // offered again (appendBatch), so a disclosure is never recorded twice. When that fails too,
      // the caller withholds the data (503); a repeated request is recorded as a second disclosure.
      // Keep each tenant's inputs in order; different tenants commit independently.
      const byTenant = new Map<string, AuditInput[]>();
      for (const input of inputs) {
        if (!isValidTenant(input.tenant)) {
          return Promise.reject(new AuditUnavailableError({ cause: new TypeError('invalid tenant name') }));
        }
        byTenant.set(input.tenant, [...(byTenant.get(input.tenant) ?? []), input]);
      }
      // A patient's blind tokens are stored before the event that names them, so every event is findable.
      // close() waits for appends still storing them, so an accepted append is never cut off.
      if (inputs.some((i) => i.patientIdentity !== undefined)) {
        // Storing the same tokens twice leaves one copy (ON CONFLICT DO NOTHING): run again after a lost connection.
        const indexing = retryOnConnectionLoss(() => indexPatients(inputs));
        indexingInFlight.add(indexing);
        try {
          await indexing;
        } catch (cause) {
          throw new AuditUnavailableError({ cause });
        } finally {
          indexingInFlight.delete(indexing);
        }
      }
      const results = new Map<string, AuditReceipt[]>();
      await Promise.all(
        [...byTenant].map(async ([t, list]) => results.set(t, await committer.submit(t, list))),
      );
      const cursor = new Map<string, number>();
      return inputs.map((input) => {
        const at = cursor.get(input.tenant) ?? 0;
        cursor.set(input.tenant, at + 1);
        return results.get(input.tenant)?.[at] as AuditReceipt;
      });
    },
    // Reads are run once more on the new primary after a connection loss; appends never are (above).
    query: (filter, page = {}) => retryOnConnectionLoss(() => queryEvents(driver, keys, filter, page)),
    treeHead: (tenant) => retryOnConnectionLoss(() => treeHeadOf(tenant)),
    proveInclusion: (tenant, seq, treeSize) =>
      retryOnConnectionLoss(() => inclusionOf(tenant, seq, treeSize)),
    proveInclusions: (tenant, seqs, treeSize) =>
      retryOnConnectionLoss(() => inclusionsOf(tenant, seqs, treeSize)),
    proveConsistency: (tenant, from, to) => retryOnConnectionLoss(() => consistencyOf(tenant, from, to)),
    findPatients: (text, fopts) => retryOnConnectionLoss(() => findPatients(driver, keys, text, fopts)),
    checkpoint: (tenant) => checkpointer.checkpoint(tenant),
    async verify(vopts) {
      // A deep verification has checking threads of its own, which compare every payload field by field.
      const deepChecker = vopts?.deep
        ? threadedChecker(keys, opts.checkThreads, SMALL_PAGE_BYTES, true)
        : undefined;
      try {
        return await verifyAll(
          {
            db: driver,
            checker: deepChecker ?? checker,
            publicKeys: trusted,
            sink: opts.sink,
            coverageBoundMs,
            witnesses: opts.witnesses,
          },
          vopts,
        );
      } finally {
        await deepChecker?.close();
      }
    },
    async close() {
      await Promise.allSettled([...indexingInFlight]);
      await committer.close();
      await checkpointer.flush();
      await checker.close();
      await driver.close();
    },
  };
}
