import type { AuditInput, AuditLog, AuditReceipt } from '../lib/audit/types';

/** An AuditLog that keeps records in memory, and can be switched off to play a database that is down. */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditInput[] = [];
  down = false;

  async record(input: AuditInput): Promise<AuditReceipt> {
    if (this.down) throw new Error('audit store unavailable');
    this.records.push(input);
    return { tenant: input.tenant, seq: this.records.length - 1, leafHash: '00'.repeat(32) };
  }

  last(): AuditInput | undefined {
    return this.records.at(-1);
  }
}
