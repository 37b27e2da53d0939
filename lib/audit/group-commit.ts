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
  private closed = false;

  constructor(
    private readonly commit: CommitFn,
    /** Called after each commit with the log size it reached. */
    private readonly onCommitted: (tenant: string, size: number) => void,
    private readonly maxBatch = 1000,
  ) {}

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
        const last = receipts[receipts.length - 1];
        if (last) this.onCommitted(tenant, last.seq + 1);
      } catch (cause) {
        for (const p of batch)
          p.reject(cause instanceof AuditUnavailableError ? cause : new AuditUnavailableError({ cause }));
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
