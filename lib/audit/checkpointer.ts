import type { KeyObject } from 'node:crypto';
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointSink } from './checkpoint-dir';
import type { Coverage } from './coverage';
import { toBuffer, toNumber, type SqlClient, type SqlDriver } from './driver';
import { AuditIntegrityError, AuditSignerError } from './errors';
import type { EventChecker } from './check-pool';
import { scanEvents } from './event-scan';
import { CompactRange, consistencyProof } from './merkle';
import { withPrefetch } from './node-source';
import { cosignaturesOf } from '@/lib/witness/cosignature';
import { collectCosignatures, rememberCosigned, type WitnessMemory, type WitnessPolicy } from './witnesses';

const PAGE = 2048;
/** First key of the per-tenant signer lock (the second is hashtext(tenant)); migrations use 727170001. */
const SIGNER_LOCK = 727170002;

/** Another instance is signing this tenant right now: not a failure, retried shortly. */
class SignerBusy extends Error {
  constructor() {
    super('another instance is signing this log');
    this.name = 'SignerBusy';
  }
}

/** The prefix of a log this process checked event by event, ending at a head it signed or trusts. */
interface Checked {
  readonly range: CompactRange;
  readonly lastLeaf: string;
}

export interface CheckpointerOptions {
  readonly db: SqlDriver;
  /** Opens and checks each event before it is signed (checking threads or this one). */
  readonly checker: EventChecker;
  readonly signingKey: KeyObject;
  /** The current public key first, then earlier ones (key rotation). */
  readonly trusted: readonly KeyObject[];
  readonly sink: CheckpointSink | undefined;
  readonly delayMs: number;
  readonly coverage: Coverage;
  /** Witnesses whose quorum of cosignatures makes a checkpoint final; none: the log's signature alone. */
  readonly witnesses?: WitnessPolicy | undefined;
  /** Every failure, as an AuditIntegrityError or AuditSignerError naming the tenant and a code. */
  readonly onError: (e: AuditIntegrityError | AuditSignerError) => void;
}

/** (level, index) of the perfect subtrees that make up a tree of `size` leaves, largest first. */
function frontierNodes(size: number): [number, number][] {
  const out: [number, number][] = [];
  let offset = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (Math.floor(size / width) % 2 === 1) {
      out.push([level, offset / width]);
      offset += width;
    }
  }
  return out;
}

/**
 * Signs the chain head shortly after appends (debounced) and on close, but
 * only after opening and checking every event it has not checked before
 * (see event-check.ts) and recomputing the root from them. It writes only
 * notes it signed itself: first to the external sink, then to the database,
 * and a database row that is not its own note for that head is an alarm.
 * Any integrity failure stops the tenant (Coverage.halt): no signature, no
 * further appends, the store reports itself unavailable.
 */
export class Checkpointer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<SignedCheckpoint | undefined>>();
  private stopped = false;
  private readonly checked = new Map<string, Checked>();
  private readonly lastSigned = new Map<string, SignedCheckpoint>();
  private readonly failures = new Map<string, number>();
  /** Per tenant, the largest size each witness is known to have cosigned (from stored notes, then its answers). */
  private readonly witnessMemory = new Map<string, WitnessMemory>();

  constructor(private readonly o: CheckpointerOptions) {}

  notify(tenant: string): void {
    if (this.stopped || this.timers.has(tenant)) return;
    // Retries back off to once a second: the store turns unavailable at the bound either way.
    const failures = this.failures.get(tenant) ?? 0;
    const delay = failures === 0 ? this.o.delayMs : Math.min(this.o.delayMs * 2 ** failures, 1000);
    const timer = setTimeout(() => {
      this.timers.delete(tenant);
      this.checkpoint(tenant).then(
        () => this.failures.delete(tenant),
        (e: unknown) => {
          // A database or file system hiccup is retried; an integrity failure halts the tenant for good.
          this.failures.set(tenant, failures + 1);
          if (!(e instanceof AuditIntegrityError)) this.notify(tenant);
        },
      );
    }, delay);
    timer.unref();
    this.timers.set(tenant, timer);
  }

  /** Signs the current head of a tenant unless it is already signed; one run per tenant at a time. */
  checkpoint(tenant: string): Promise<SignedCheckpoint | undefined> {
    const previous = this.running.get(tenant) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.sign(tenant));
    this.running.set(tenant, next);
    return next.finally(() => {
      if (this.running.get(tenant) === next) this.running.delete(tenant);
    });
  }

  private async sign(tenant: string): Promise<SignedCheckpoint | undefined> {
    const halted = this.o.coverage.haltedCode(tenant);
    if (halted)
      throw new AuditIntegrityError(`${tenant} is stopped: an earlier check failed (${halted})`, {
        code: halted,
        tenant,
      });
    try {
      return await this.exclusively(tenant, (db) => this.checkAndSign(db, tenant));
    } catch (e) {
      if (e instanceof SignerBusy) {
        // Not ours to sign now: what the other instances signed already covers these appends (or
        // soon will); look again shortly.
        await this.learnCoverage(tenant).catch((found: unknown) => {
          if (!(found instanceof AuditIntegrityError)) return;
          this.o.coverage.halt(tenant, found.code);
          this.o.onError(found);
        });
        this.notify(tenant);
        return undefined;
      }
      const failure =
        e instanceof AuditIntegrityError
          ? e
          : new AuditSignerError(tenant, e instanceof Error ? e : new Error(String(e)));
      if (failure instanceof AuditIntegrityError) this.o.coverage.halt(tenant, failure.code);
      else this.o.coverage.signerFailed(tenant, failure.causeCode ?? failure.code);
      this.o.onError(failure);
      throw failure;
    }
  }

  /**
   * Another instance's newest checkpoint covers this one's appends up to its size, once it is
   * final: signed by a trusted key and, with witnesses, cosigned by a quorum of them. Without this,
   * an instance that kept finding another one signing would count its own appends as unsigned and,
   * past the bound, withhold data although a checkpoint covered them. Nothing is signed here and
   * nothing is taken as checked; a note the log's key did not sign, or that names another size than
   * its row, counts for nothing (verify reports it).
   */
  private async learnCoverage(tenant: string): Promise<void> {
    const row = (
      await this.o.db.query(
        `SELECT tree_size, note FROM audit.checkpoints WHERE tenant = $1 ORDER BY tree_size DESC LIMIT 1`,
        [tenant],
      )
    )[0];
    if (!row) return;
    const cp = openCheckpoint(String(row.note), this.o.trusted);
    if (!cp || cp.tenant !== tenant || cp.size !== toNumber(row.tree_size)) return;
    const policy = this.o.witnesses;
    if (policy) {
      const cosigners = policy.witnesses.map((w) => w.cosigner);
      if (cosignaturesOf(cp.note, cosigners).valid.size < policy.quorum) return;
    }
    await this.confirmAcknowledged(this.o.db, tenant, cp.size);
    this.o.coverage.covered(tenant, cp.size);
  }

  /**
   * Before appends count as covered by a checkpoint over `size` events: the log holds, at each sequence number the
   * database acknowledged to this process, the very leaf it acknowledged. A database that answered "committed" for
   * a batch it did not keep (a function replaced by someone with its owner's rights, or a tail deleted before it
   * was signed) has then had another event signed in that place, or none: the tenant stops, as for any event that
   * fails its check. `seen`: leaves the signer itself just read, by sequence number.
   */
  private async confirmAcknowledged(
    db: SqlClient,
    tenant: string,
    size: number,
    seen: ReadonlyMap<number, Buffer> = new Map(),
  ): Promise<void> {
    const wanted = this.o.coverage.acknowledged(tenant, size);
    if (wanted.length === 0) return;
    const stored = new Map(seen);
    const unseen = [...new Set(wanted.map((w) => w.seq))].filter((seq) => !stored.has(seq));
    if (unseen.length > 0)
      for (const r of await db.query(
        `SELECT seq, leaf_hash FROM audit.events WHERE tenant = $1 AND seq = ANY($2::bigint[])`,
        [tenant, unseen],
      ))
        stored.set(toNumber(r.seq), toBuffer(r.leaf_hash));
    for (const { seq, leaf } of wanted)
      if (stored.get(seq)?.equals(leaf) !== true)
        throw new AuditIntegrityError(
          `${tenant}: event ${seq} is not the one the database acknowledged to this app${stored.has(seq) ? '' : ' (no event there)'}`,
          { code: 'acknowledged-missing', tenant, seq },
        );
  }

  /**
   * One signer per tenant across app instances: on PostgreSQL the whole check-and-sign runs in
   * one transaction holding a per-tenant advisory lock. When another instance holds it, this run
   * is skipped (undefined) and retried: that instance's checkpoint covers these appends too.
   */
  private async exclusively(
    tenant: string,
    fn: (db: SqlClient) => Promise<SignedCheckpoint | undefined>,
  ): Promise<SignedCheckpoint | undefined> {
    const { db } = this.o;
    if (db.kind !== 'postgres') return fn(db);
    const result = await db.transaction(async (tx) => {
      const lock = await tx.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok`, [
        SIGNER_LOCK,
        tenant,
      ]);
      return lock[0]?.ok === true ? { signed: await fn(tx) } : undefined;
    });
    if (!result) throw new SignerBusy();
    return result.signed;
  }

  private async checkAndSign(db: SqlClient, tenant: string): Promise<SignedCheckpoint | undefined> {
    const head = (await db.query(`SELECT size, root FROM audit.heads WHERE tenant = $1`, [tenant]))[0];
    if (!head) return undefined;
    const size = toNumber(head.size);
    const root = toBuffer(head.root);
    const last = this.lastSigned.get(tenant);
    if (last && last.size === size && last.root.equals(root)) {
      await this.confirmAcknowledged(db, tenant, size);
      this.o.coverage.covered(tenant, size);
      return last;
    }
    if (size === 0) return undefined;
    const base = this.checked.get(tenant) ?? (await this.anchor(db, tenant, size));
    if (size < base.range.size)
      throw new AuditIntegrityError(
        `refusing to sign ${tenant}: the log shrank from ${base.range.size} to ${size}`,
        {
          code: 'fork',
          tenant,
          seq: size,
        },
      );
    // The leaves read at the sequence numbers acknowledged so far, to hold them against the receipts.
    const watched = new Set(this.o.coverage.acknowledged(tenant, size).map((w) => w.seq));
    const seen = new Map<number, Buffer>();
    const checked = await this.checkEvents(db, tenant, base, size, (seq, leaf) => {
      if (watched.has(seq)) seen.set(seq, leaf);
    });
    if (!checked.range.root().equals(root))
      throw new AuditIntegrityError(
        `refusing to sign ${tenant}: the chain head at size ${size} does not match the root of its events`,
        { code: 'head-mismatch', tenant, seq: base.range.size },
      );
    await this.confirmAcknowledged(db, tenant, size, seen);
    const signed = await this.cosigned(
      db,
      signCheckpoint({ tenant, size, root, time: new Date().toISOString() }, this.o.signingKey),
    );
    await this.externalStoreKept(tenant, last);
    // Outside first: the database never holds a checkpoint the external store lacks.
    await this.o.sink?.put(tenant, size, signed.note);
    await this.store(db, signed);
    this.checked.set(tenant, checked);
    this.lastSigned.set(tenant, signed);
    // Appends acknowledged while this run signed: held against the log too before they count as covered.
    await this.confirmAcknowledged(db, tenant, size, seen);
    this.o.coverage.covered(tenant, size);
    return signed;
  }

  /**
   * The external store still holds the last checkpoint this process put there (or a later one): a directory deleted,
   * emptied or put back from an older copy under a running app would otherwise be filled again from here on, and the
   * next instance to start would find nothing missing.
   */
  private async externalStoreKept(tenant: string, last: SignedCheckpoint | undefined): Promise<void> {
    const { sink } = this.o;
    if (!sink || !last) return;
    const newest = (await sink.entries(tenant, 1))[0];
    if (newest !== undefined && newest.size >= last.size) return;
    throw new AuditIntegrityError(
      `refusing to sign ${tenant}: the external checkpoint store no longer holds the checkpoint at tree size ${last.size} ` +
        `this app stored there (${newest ? `its newest is at tree size ${newest.size}` : 'it holds none'}): deleted or rolled back`,
      { code: 'external-store-missing', tenant },
    );
  }

  /**
   * With witnesses configured, a checkpoint is final only with a quorum of their cosignatures
   * (appended to the note, so the database and the external store keep them). A refusal that
   * shows this log is not the one they cosigned halts the tenant; too few answers is retried.
   */
  private async cosigned(db: SqlClient, signed: SignedCheckpoint): Promise<SignedCheckpoint> {
    const policy = this.o.witnesses;
    if (!policy) return signed;
    const { tenant, size } = signed;
    let memory = this.witnessMemory.get(tenant);
    if (!memory) {
      memory = new Map();
      const rows = await db.query(
        `SELECT note FROM audit.checkpoints WHERE tenant = $1 ORDER BY tree_size DESC LIMIT 32`,
        [tenant],
      );
      const external = (await this.o.sink?.entries(tenant, 32))?.map((e) => e.note) ?? [];
      const notes = [...rows.map((r) => String(r.note)), ...external]
        .map((n) => openCheckpoint(n, this.o.trusted))
        .filter((cp): cp is SignedCheckpoint => cp?.tenant === tenant);
      rememberCosigned(memory, notes, policy);
      this.witnessMemory.set(tenant, memory);
    }
    const { note, failures } = await collectCosignatures(policy, signed, memory, (old) =>
      withPrefetch(db, tenant, (src) => consistencyProof(src, old, size)),
    );
    if (failures.length > 0)
      this.o.onError(
        new AuditSignerError(
          tenant,
          Object.assign(new Error(failures.join('; ')), { code: 'witness-degraded' }),
        ),
      );
    return { ...signed, note };
  }

  /** Checks events [base.size, size) one by one (on the checking threads) and extends the tree with them, in order. */
  private async checkEvents(
    db: SqlClient,
    tenant: string,
    base: Checked,
    size: number,
    onLeaf: (seq: number, leaf: Buffer) => void = () => undefined,
  ): Promise<Checked> {
    const range = base.range.clone();
    const missing = () =>
      new AuditIntegrityError(`refusing to sign ${tenant}: event ${range.size} is missing`, {
        code: 'event-unreadable',
        tenant,
        seq: range.size,
      });
    const lastLeaf = await scanEvents(
      db,
      this.o.checker,
      tenant,
      { from: range.size, to: size, pageSize: PAGE, prevLeaf: base.lastLeaf },
      (c) => {
        if (c.seq !== range.size) throw missing();
        const finding = c.findings[0];
        if (finding)
          throw new AuditIntegrityError(`refusing to sign ${tenant}: ${finding.problem}`, {
            code: 'event-mismatch',
            tenant,
            seq: finding.seq,
          });
        range.append(c.leaf);
        onLeaf(c.seq, c.leaf);
      },
    );
    if (range.size < size) throw missing();
    return { range, lastLeaf };
  }

  /** Writes the note to the database and checks that the row at that size is ours (or an identical head's). */
  private async store(db: SqlClient, signed: SignedCheckpoint): Promise<void> {
    const row = (
      await db.query(`SELECT audit.add_checkpoint($1, $2, $3, $4, $5) AS note`, [
        signed.tenant,
        signed.size,
        signed.root,
        signed.time,
        signed.note,
      ])
    )[0];
    const theirs = typeof row?.note === 'string' ? openCheckpoint(row.note, this.o.trusted) : undefined;
    if (
      !theirs ||
      theirs.tenant !== signed.tenant ||
      theirs.size !== signed.size ||
      !theirs.root.equals(signed.root)
    )
      throw new AuditIntegrityError(
        `the database holds a checkpoint row at tree size ${signed.size} of ${signed.tenant} that is not a signed note for that head`,
        { code: 'checkpoint-foreign', tenant: signed.tenant, seq: signed.size },
      );
  }

  /**
   * Where checking starts in a fresh process: the newest note in the
   * external store (read by the size inside it, which must equal its file
   * name), with the tree at that size rebuilt from stored nodes and matched
   * against the signed root. The database cannot move this anchor.
   */
  private async anchor(db: SqlClient, tenant: string, headSize: number): Promise<Checked> {
    const { sink } = this.o;
    const empty: Checked = { range: CompactRange.empty(), lastLeaf: '' };
    if (!sink) return empty;
    // The newest note only: every older one is verify's to check, and a log signed every few hundred
    // milliseconds has millions of them.
    const [newest] = await sink.entries(tenant, 1);
    if (!newest) {
      const row = (
        await db.query(`SELECT max(tree_size) AS n FROM audit.checkpoints WHERE tenant = $1`, [tenant])
      )[0];
      if (row?.n !== null && row?.n !== undefined)
        throw new AuditIntegrityError(
          `refusing a first signature for ${tenant}: the database holds checkpoints up to tree size ${toNumber(row.n)} but the external store has none`,
          { code: 'external-store-missing', tenant },
        );
      return empty;
    }
    const anchor = openCheckpoint(newest.note, this.o.trusted);
    if (!anchor || anchor.tenant !== tenant || anchor.size !== newest.size)
      throw new AuditIntegrityError(
        `external checkpoint ${newest.file} does not verify or does not hold tree size ${newest.size}`,
        { code: 'external-checkpoint-invalid', tenant, seq: newest.size },
      );
    const fork = (why: string) =>
      new AuditIntegrityError(`refusing to sign ${tenant}: ${why} checkpoint ${anchor.size}`, {
        code: 'fork',
        tenant,
        seq: Math.min(anchor.size, headSize),
      });
    if (headSize < anchor.size) throw fork(`the log (${headSize} events) is shorter than`);
    let range: CompactRange;
    let lastLeaf: string;
    try {
      const frontier = await withPrefetch(db, tenant, (src) =>
        Promise.all(frontierNodes(anchor.size).map(([level, index]) => src.perfect(level, index))),
      );
      range = CompactRange.from(anchor.size, frontier);
      const leaf = (
        await db.query(`SELECT leaf_hash FROM audit.events WHERE tenant = $1 AND seq = $2`, [
          tenant,
          anchor.size - 1,
        ])
      )[0];
      lastLeaf = leaf ? toBuffer(leaf.leaf_hash).toString('hex') : '';
    } catch {
      throw fork('the stored tree is incomplete up to');
    }
    if (!range.root().equals(anchor.root)) throw fork('the log no longer extends');
    return { range, lastLeaf };
  }

  /** Signs every tenant with pending appends now and stops (used by close()). */
  async flush(): Promise<void> {
    this.stopped = true;
    const tenants = [...this.timers.keys()];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(tenants.map((t) => this.checkpoint(t)));
    await Promise.allSettled([...this.running.values()]);
  }
}
