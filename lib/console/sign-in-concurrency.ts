import 'server-only';
import { Semaphore } from '../fhir/semaphore';
import { processSingleton } from '../process-singleton';

export type GateRefusal = 'attempt-in-flight' | 'busy';

/** Thrown inside an attempt when the process has no room for its password check. */
class Busy extends Error {}

/**
 * How many password sign-ins this process works on at once. A password check is a deliberately
 * slow scrypt on Node's small shared thread pool, where the audit store also writes its
 * checkpoints: unbounded, a burst of guesses from anywhere starved the store until it
 * refused every chart (fail closed). So:
 *
 * - one attempt at a time per address: a parallel burst cannot race the failure count, whose
 *   limit each attempt sees only after the one before it was counted;
 * - one attempt at a time per account, in arrival order, so the account's slow-down is worked
 *   out after the failures before it were counted; an attempt from a browser known to the account
 *   (lib/console/known-device.ts) is not slowed down, so it neither waits for that turn nor is refused
 *   when others have taken every one;
 * - one password check at a time in the process, with a short queue; beyond it, a refusal
 *   (HTTP 429) instead of more work.
 *
 * Per process: behind a balancer each instance keeps its own gate, the failure counts are shared.
 */
export class SignInGate {
  private readonly addresses = new Set<string>();
  private readonly accounts = new Map<string, { tail: Promise<void>; count: number }>();
  private readonly checks = new Semaphore(1);
  private waitingForCheck = 0;

  constructor(
    /** Attempts that may wait for the password check. */
    private readonly maxWaiting = 8,
    /** Attempts on one account that may be under way or wait for their turn. */
    private readonly maxPerAccount = 4,
  ) {}

  /**
   * Runs `attempt` alone for its address and its account, or refuses it; `check` runs the password
   * check when the process has room for it, else refuses the attempt there.
   */
  async run<T>(
    address: string,
    account: string,
    attempt: (check: <C>(work: () => Promise<C>) => Promise<C>) => Promise<T>,
    options: { readonly knownDevice?: boolean } = {},
  ): Promise<T | GateRefusal> {
    if (this.addresses.has(address)) return 'attempt-in-flight';
    const key = account.trim().toLowerCase();
    const queued = !options.knownDevice;
    const turn = this.accounts.get(key) ?? { tail: Promise.resolve(), count: 0 };
    if (queued && turn.count >= this.maxPerAccount) return 'busy';
    this.addresses.add(address);
    const before = queued ? turn.tail : Promise.resolve();
    let done: () => void = () => undefined;
    if (queued) {
      turn.tail = new Promise<void>((resolve) => (done = resolve));
      turn.count++;
      this.accounts.set(key, turn);
    }
    try {
      await before;
      return await attempt(async (work) => {
        const free = this.checks.inFlight < this.checks.size;
        if (!free && this.waitingForCheck >= this.maxWaiting) throw new Busy();
        if (!free) this.waitingForCheck++;
        let release: () => void;
        try {
          release = await this.checks.acquire();
        } finally {
          if (!free) this.waitingForCheck--;
        }
        try {
          return await work();
        } finally {
          release();
        }
      });
    } catch (e) {
      if (e instanceof Busy) return 'busy';
      throw e;
    } finally {
      if (queued) {
        done();
        if (--turn.count === 0) this.accounts.delete(key);
      }
      this.addresses.delete(address);
    }
  }
}

export const signInGate = (): SignInGate => processSingleton('console-sign-in-gate', () => new SignInGate());
