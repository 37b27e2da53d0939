import { createPublicKey, type KeyObject } from 'node:crypto';
import { openCheckpoint, signCheckpoint, type Checkpoint, type SignedCheckpoint } from './checkpoint';
import type { CheckpointSink } from './checkpoint-dir';
import { toBuffer, toNumber, type SqlDriver } from './driver';
import { AuditIntegrityError } from './errors';
import { consistencyProof, verifyConsistency } from './merkle';
import { withPrefetch } from './node-source';

/**
 * Signs the chain head shortly after appends (debounced, so every event is
 * covered by a signed checkpoint within about a second) and on close. Each
 * checkpoint goes to the database and to the external sink.
 */
export class Checkpointer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<SignedCheckpoint | undefined>>();
  private stopped = false;
  /** The newest checkpoint this process trusts per tenant: the signer is also a witness. */
  private readonly lastSigned = new Map<string, Checkpoint>();

  constructor(
    private readonly db: SqlDriver,
    private readonly signingKey: KeyObject,
    private readonly sink: CheckpointSink | undefined,
    private readonly delayMs: number,
    private readonly onError: (e: unknown) => void,
    /** Public keys that signed earlier checkpoints before a key rotation. */
    private readonly previousKeys: readonly KeyObject[] = [],
  ) {}

  notify(tenant: string): void {
    if (this.stopped || this.timers.has(tenant)) return;
    const timer = setTimeout(() => {
      this.timers.delete(tenant);
      this.checkpoint(tenant).catch((e: unknown) => {
        this.onError(e);
        // A database hiccup is retried; a fork is an alarm, raised again on the next append only.
        if (!(e instanceof AuditIntegrityError)) this.notify(tenant);
      });
    }, this.delayMs);
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
    const head = (await this.db.query(`SELECT size, root FROM audit.heads WHERE tenant = $1`, [tenant]))[0];
    if (!head) return undefined;
    const size = toNumber(head.size);
    const root = toBuffer(head.root);
    if (size === 0) return undefined;
    await this.refuseFork(tenant, size, root);
    const existing = await this.db.query(
      `SELECT note FROM audit.checkpoints WHERE tenant = $1 AND tree_size = $2`,
      [tenant, size],
    );
    const signed = signCheckpoint({ tenant, size, root, time: new Date().toISOString() }, this.signingKey);
    const note = typeof existing[0]?.note === 'string' ? existing[0].note : signed.note;
    if (existing.length === 0) {
      // Only while that head is still the current one: never record a checkpoint for a head replaced meanwhile.
      await this.db.query(
        `INSERT INTO audit.checkpoints (tenant, tree_size, root, signed_at, note)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM audit.heads WHERE tenant = $1 AND size = $2 AND root = $3)
         ON CONFLICT DO NOTHING`,
        [tenant, size, signed.root, signed.time, signed.note],
      );
    }
    // Written even when the database already had it: a crash between the two writes must not leave a gap outside.
    await this.sink?.put(tenant, size, note);
    this.lastSigned.set(tenant, signed);
    return signed;
  }

  /**
   * Never sign a head that does not extend the last signed one: if the
   * database was rewritten underneath (truncated or rebuilt), signing would
   * bless the forgery. The trusted checkpoint comes from the external sink,
   * which the database cannot touch.
   */
  private async refuseFork(tenant: string, size: number, root: Buffer): Promise<void> {
    let last = this.lastSigned.get(tenant);
    if (!last && this.sink) {
      const note = await this.sink.latest(tenant);
      last =
        note === undefined
          ? undefined
          : openCheckpoint(note, [createPublicKey(this.signingKey), ...this.previousKeys]);
      if (note !== undefined && !last)
        throw new AuditIntegrityError(`the newest external checkpoint of ${tenant} does not verify`);
    }
    if (!last) return;
    if (size < last.size)
      throw new AuditIntegrityError(
        `refusing to sign ${tenant}: the log shrank from ${last.size} to ${size}`,
      );
    const proof = await withPrefetch(this.db, tenant, (src) => consistencyProof(src, last.size, size));
    if (!verifyConsistency(last.size, size, last.root, root, proof)) {
      throw new AuditIntegrityError(
        `refusing to sign ${tenant}: the log no longer extends checkpoint ${last.size}`,
      );
    }
  }

  /** Signs every tenant with pending appends now and stops (used by close()). */
  async flush(): Promise<void> {
    this.stopped = true;
    const tenants = [...this.timers.keys()];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(tenants.map((t) => this.checkpoint(t)));
    await Promise.allSettled([...this.running.values()]);
  }
}
