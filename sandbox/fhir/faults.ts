/**
 * Fault injection: per launch (faults carried by the token's grant) and process-wide
 * (set by tests). Count-based faults fire for the first `count` matching requests.
 */
import type { FaultSpec, TokenGrant } from '../contract';

export type FaultAction =
  | { readonly kind: 'none'; readonly delayMs: number }
  | { readonly kind: 'status-429'; readonly delayMs: number; readonly retryAfterSeconds: number }
  | { readonly kind: 'status-500'; readonly delayMs: number }
  | { readonly kind: 'timeout'; readonly delayMs: number }
  | { readonly kind: 'revoked'; readonly delayMs: number }
  | { readonly kind: 'foreign-subject'; readonly delayMs: number; readonly every: number }
  | { readonly kind: 'bare-entry'; readonly delayMs: number; readonly every: number };

class FaultCounters {
  private readonly used = new Map<string, number>();

  /** Consumes one use of the fault if any are left. */
  take(key: string, count: number): boolean {
    const used = this.used.get(key) ?? 0;
    if (used >= count) {
      return false;
    }
    this.used.set(key, used + 1);
    return true;
  }

  /** Counts one request and returns how many came before it. */
  tick(key: string): number {
    const seen = this.used.get(key) ?? 0;
    this.used.set(key, seen + 1);
    return seen;
  }

  clear(): void {
    this.used.clear();
  }
}

let globalFaults: readonly FaultSpec[] = [];
const globalCounters = new FaultCounters();

/** Replaces the process-wide faults (and resets their counters); `[]` switches them off. */
export function setGlobalFaults(faults: readonly FaultSpec[]): void {
  globalFaults = [...faults];
  globalCounters.clear();
}

function applies(fault: FaultSpec, resourceType: string | undefined): boolean {
  return (
    fault.kind === 'revoke-after' || fault.resourceType === undefined || fault.resourceType === resourceType
  );
}

/** Per-handler state for grant-bound faults (request counts per grant id). */
export class FaultInjector {
  private readonly counters = new FaultCounters();

  decide(grant: TokenGrant, resourceType: string | undefined): FaultAction {
    const sources: { faults: readonly FaultSpec[]; counters: FaultCounters; scope: string }[] = [
      { faults: grant.faults ?? [], counters: this.counters, scope: grant.grantId },
      { faults: globalFaults, counters: globalCounters, scope: 'global' },
    ];
    let delayMs = 0;
    let action: FaultAction | undefined;
    for (const { faults, counters, scope } of sources) {
      faults.forEach((fault, index) => {
        if (!applies(fault, resourceType)) {
          return;
        }
        const key = `${scope}#${index}`;
        switch (fault.kind) {
          case 'latency':
            delayMs += fault.ms;
            return;
          case 'revoke-after':
            // Per the contract, the nth request itself is the first to be refused.
            if (counters.tick(key) + 1 >= fault.requests) {
              action ??= { kind: 'revoked', delayMs: 0 };
            }
            return;
          case 'status-429':
            if (!action && counters.take(key, fault.count)) {
              action = { kind: 'status-429', delayMs: 0, retryAfterSeconds: fault.retryAfterSeconds };
            }
            return;
          case 'foreign-subject':
          case 'bare-entry':
            action ??= { kind: fault.kind, delayMs: 0, every: fault.every };
            return;
          case 'status-500':
          case 'timeout':
            if (!action && counters.take(key, fault.count)) {
              action = { kind: fault.kind, delayMs: 0 };
            }
            return;
          default: {
            const unreachable: never = fault;
            throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
          }
        }
      });
    }
    return { ...(action ?? { kind: 'none' }), delayMs };
  }
}
