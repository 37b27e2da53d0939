import type { AuditIntegrityCode } from './errors';

export type AuditHealthCode = AuditIntegrityCode | 'unsigned-tail' | 'append-stalled';

/** An event the database acknowledged: its sequence number and leaf hash. */
export interface AcknowledgedLeaf {
  readonly seq: number;
  readonly leaf: Buffer;
}

export interface AuditHealthProblem {
  readonly tenant: string;
  readonly code: AuditHealthCode;
  /** For an unsigned tail: how long its oldest event has waited for a signature; for a stalled append, its batch. */
  readonly ageMs?: number;
}

export interface AuditHealth {
  /** False: the store refuses appends (data routes answer 503) and readiness is red. */
  readonly ok: boolean;
  readonly problems: readonly AuditHealthProblem[];
}

/** A tenant's log turned unavailable for lack of a signed checkpoint within the bound, or came back. */
export type CoverageChange =
  | {
      readonly kind: 'lost';
      readonly tenant: string;
      /** When the oldest uncovered commit passed the bound. */
      readonly since: Date;
      /** The signer's last failure for this tenant (a code, never a message), if any. */
      readonly lastError?: string;
    }
  | {
      readonly kind: 'restored';
      readonly tenant: string;
      readonly since: Date;
      /** When a signed checkpoint covered the log again. */
      readonly until: Date;
      readonly lastError?: string;
    };

/**
 * Whether every committed event is covered by a signed checkpoint within the
 * bound, and which tenants the signer stopped (a row it could not check).
 * Time is read when asked, so a signer that stops silently still turns the
 * store unavailable once the bound passes.
 */
export class Coverage {
  /**
   * Per tenant, commits not yet covered, oldest first: the log reached `size` at time `at`, with these events'
   * leaf hashes (the receipts the database acknowledged).
   */
  private readonly pending = new Map<
    string,
    { size: number; at: number; leaves: readonly AcknowledgedLeaf[] }[]
  >();
  private readonly halted = new Map<string, AuditIntegrityCode>();
  /** Per tenant, since when it has been past the bound (ms), once noticed. */
  private readonly lateSince = new Map<string, number>();
  private readonly lastError = new Map<string, string>();

  constructor(
    private readonly boundMs: number,
    private readonly now: () => number = Date.now,
    /** Told once when a tenant passes the bound and once when a signed checkpoint covers it again. */
    private readonly onChange: (change: CoverageChange) => void = () => undefined,
  ) {}

  /** The signer failed for `tenant` (a code such as a SQLSTATE or witness-quorum); kept for the alerts. */
  signerFailed(tenant: string, code: string): void {
    this.lastError.set(tenant, code);
  }

  /** When the tenant's oldest uncovered commit is past the bound, the moment it passed it. */
  private lateAt(tenant: string, now: number): number | undefined {
    const oldest = this.pending.get(tenant)?.[0];
    return oldest !== undefined && now - oldest.at > this.boundMs ? oldest.at + this.boundMs : undefined;
  }

  /** Notes a tenant found past the bound; the first time, says so. */
  private noticeLate(tenant: string, at: number): void {
    if (this.lateSince.has(tenant)) return;
    this.lateSince.set(tenant, at);
    const lastError = this.lastError.get(tenant);
    this.onChange({ kind: 'lost', tenant, since: new Date(at), ...(lastError ? { lastError } : {}) });
  }

  /**
   * A batch committed: the log of `tenant` now holds at least `size` events, among them `leaves` as the database
   * acknowledged them.
   */
  appended(tenant: string, size: number, leaves: readonly AcknowledgedLeaf[] = []): void {
    const list = this.pending.get(tenant) ?? [];
    list.push({ size, at: this.now(), leaves });
    this.pending.set(tenant, list);
  }

  /**
   * The acknowledged events a checkpoint over `size` events would count as covered: before it does, the signer makes
   * sure the log holds exactly them. A database that acknowledged a batch and kept another (or none) must not have
   * its tree signed as if it held this one's; two receipts for one sequence number are such a case.
   */
  acknowledged(tenant: string, size: number): AcknowledgedLeaf[] {
    const wanted: AcknowledgedLeaf[] = [];
    for (const entry of this.pending.get(tenant) ?? []) {
      if (entry.size > size) break;
      wanted.push(...entry.leaves);
    }
    return wanted;
  }

  /** A checkpoint over `size` events was signed and stored. */
  covered(tenant: string, size: number): void {
    const list = this.pending.get(tenant);
    if (!list) return;
    const now = this.now();
    // Past the bound until now, even if nobody asked: appends were refused from then on.
    const late = this.lateAt(tenant, now);
    if (late !== undefined) this.noticeLate(tenant, late);
    // A signer that keeps up, even behind a steady stream, keeps the oldest uncovered commit young.
    while (list.length > 0 && (list[0]?.size ?? 0) <= size) list.shift();
    if (list.length === 0) this.pending.delete(tenant);
    const since = this.lateSince.get(tenant);
    if (since === undefined) {
      if (!this.pending.has(tenant)) this.lastError.delete(tenant);
      return;
    }
    if (this.lateAt(tenant, now) !== undefined) return;
    const lastError = this.lastError.get(tenant);
    this.lateSince.delete(tenant);
    this.lastError.delete(tenant);
    this.onChange({
      kind: 'restored',
      tenant,
      since: new Date(since),
      until: new Date(now),
      ...(lastError ? { lastError } : {}),
    });
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
      if (ageMs > this.boundMs) {
        problems.push({ tenant, code: 'unsigned-tail', ageMs });
        this.noticeLate(tenant, now - ageMs + this.boundMs);
      }
    }
    return { ok: problems.length === 0, problems };
  }
}
