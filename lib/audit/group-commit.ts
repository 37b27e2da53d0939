import { AuditUnavailableError } from './errors';
import type { AuditInput, AuditReceipt } from './types';

interface Pending {
  readonly inputs: readonly AuditInput[];
  readonly resolve: (r: AuditReceipt[]) => void;
  readonly reject: (e: unknown) => void;
}

export type CommitFn = (tenant: string, inputs: readonly AuditInput[]) => Promise<AuditReceipt[]>;

/**
 * Group commit: concurrent appends queue per tenant; one writer per tenant
 * drains the queue into a single transaction, commits, then settles every
 * waiter. Nothing resolves before its commit; if the commit fails, every
 * waiter of that batch rejects with AuditUnavailableError.
 */
export class GroupCommitter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly writers = new Map<string, Promise<void>>();
  /** Per tenant, since when its batch in flight has been waiting for the database (ms). */
  private readonly inFlightSince = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly commit: CommitFn,
    /** Called after each commit with its receipts, in order. */
    private readonly onCommitted: (tenant: string, receipts: readonly AuditReceipt[]) => void,
    private readonly maxBatch = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tenants whose batch has waited for the database longer than `boundMs`, and how long. */
  stalled(boundMs: number): { readonly tenant: string; readonly ageMs: number }[] {
    const now = this.now();
    return [...this.inFlightSince]
      .map(([tenant, since]) => ({ tenant, ageMs: now - since }))
      .filter((s) => s.ageMs > boundMs);
  }

  submit(tenant: string, inputs: readonly AuditInput[]): Promise<AuditReceipt[]> {
    if (this.closed)
      return Promise.reject(new AuditUnavailableError({ cause: new Error('audit store closed') }));
    if (inputs.length === 0) return Promise.resolve([]);
    return new Promise<AuditReceipt[]>((resolve, reject) => {
      const queue = this.queues.get(tenant) ?? [];
      queue.push({ inputs, resolve, reject });
      this.queues.set(tenant, queue);
      if (!this.writers.has(tenant)) {
        this.writers.set(tenant, this.drain(tenant));
      }
    });
  }

  private async drain(tenant: string): Promise<void> {
    const queue = this.queues.get(tenant);
    while (queue && queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (
        queue.length > 0 &&
        (batch.length === 0 || count + (queue[0]?.inputs.length ?? 0) <= this.maxBatch)
      ) {
        const next = queue.shift() as Pending;
        batch.push(next);
        count += next.inputs.length;
      }
      this.inFlightSince.set(tenant, this.now());
      try {
        const receipts = await this.commit(
          tenant,
          batch.flatMap((p) => p.inputs),
        );
        let at = 0;
        for (const p of batch) {
          p.resolve(receipts.slice(at, at + p.inputs.length));
          at += p.inputs.length;
        }
        if (receipts.length > 0) this.onCommitted(tenant, receipts);
      } catch (cause) {
        for (const p of batch)
          p.reject(cause instanceof AuditUnavailableError ? cause : new AuditUnavailableError({ cause }));
      } finally {
        this.inFlightSince.delete(tenant);
      }
      // Let other work on the same connection (the signer, reads) in between batches: an embedded
      // database serves one query at a time, and a busy writer must not starve the signer.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Synchronously after the last batch, so a submit arriving now starts a new writer.
    this.queues.delete(tenant);
    this.writers.delete(tenant);
  }

  /** Stops accepting appends and waits for queued ones to settle. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writers.size > 0) await Promise.allSettled([...this.writers.values()]);
  }
}
