import { processSingleton } from '../process-singleton';

/**
 * A counting semaphore. One per EHR (keyed by FHIR base) so that a chart with
 * many parallel searches cannot flood one EHR from this process.
 */
export class Semaphore {
  #available: number;
  readonly #waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.#available = Math.max(1, size);
  }

  get inFlight(): number {
    return this.size - this.#available;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#available > 0) {
      this.#available--;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(grant);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      this.#waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Hand the permit straight to the next waiter; otherwise return it.
      if (next) next();
      else this.#available++;
    };
  }
}

const perEhr = processSingleton('ehr-concurrency', () => new Map<string, Semaphore>());

/** The process-wide semaphore for one FHIR base (the only module-level state in lib/fhir). */
export function semaphoreFor(fhirBaseUrl: string, size: number): Semaphore {
  const key = `${fhirBaseUrl}#${size}`;
  let s = perEhr.get(key);
  if (!s) {
    s = new Semaphore(size);
    perEhr.set(key, s);
  }
  return s;
}
