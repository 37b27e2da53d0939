import type { AuditIntegrityCode } from './errors';

export type AuditHealthCode = AuditIntegrityCode | 'unsigned-tail';

export interface AuditHealthProblem {
  readonly tenant: string;
  readonly code: AuditHealthCode;
  /** For an unsigned tail: how long its oldest event has waited for a signature. */
  readonly ageMs?: number;
}

export interface AuditHealth {
  /** False: the store refuses appends (data routes answer 503) and readiness is red. */
  readonly ok: boolean;
  readonly problems: readonly AuditHealthProblem[];
}

/**
 * Whether every committed event is covered by a signed checkpoint within the
 * bound, and which tenants the signer stopped (a row it could not check).
 * Time is read when asked, so a signer that stops silently still turns the
 * store unavailable once the bound passes.
 */
export class Coverage {
  /** Per tenant, commits not yet covered, oldest first: the log reached `size` at time `at`. */
  private readonly pending = new Map<string, { size: number; at: number }[]>();
  private readonly halted = new Map<string, AuditIntegrityCode>();

  constructor(
    private readonly boundMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A batch committed: the log of `tenant` now holds at least `size` events. */
  appended(tenant: string, size: number): void {
    const list = this.pending.get(tenant) ?? [];
    list.push({ size, at: this.now() });
    this.pending.set(tenant, list);
  }

  /** A checkpoint over `size` events was signed and stored. */
  covered(tenant: string, size: number): void {
    const list = this.pending.get(tenant);
    if (!list) return;
    // A signer that keeps up, even behind a steady stream, keeps the oldest uncovered commit young.
    while (list.length > 0 && (list[0]?.size ?? 0) <= size) list.shift();
    if (list.length === 0) this.pending.delete(tenant);
  }

  halt(tenant: string, code: AuditIntegrityCode): void {
    this.halted.set(tenant, code);
  }

  haltedCode(tenant: string): AuditIntegrityCode | undefined {
    return this.halted.get(tenant);
  }

  health(): AuditHealth {
    const problems: AuditHealthProblem[] = [...this.halted].map(([tenant, code]) => ({ tenant, code }));
    const now = this.now();
    for (const [tenant, list] of this.pending) {
      const ageMs = now - (list[0]?.at ?? now);
      if (ageMs > this.boundMs) problems.push({ tenant, code: 'unsigned-tail', ageMs });
    }
    return { ok: problems.length === 0, problems };
  }
}
