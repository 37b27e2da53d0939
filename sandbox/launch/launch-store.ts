/**
 * Launch codes handed to the app in `/launch?iss=…&launch=…`. A code names one context (user,
 * patient, encounter, personality, banner, style, faults) and is spent by the authorization that
 * binds it, so one launch yields exactly one context.
 */
import { randomBytes } from 'node:crypto';
import type { FaultSpec, Personality } from '../contract';

/** `Practitioner/<id>` for a clinician, `Patient/<id>` for a portal user. */
export type UserReference = `Practitioner/${string}` | `Patient/${string}`;

export interface LaunchContext {
  readonly user: UserReference;
  readonly patient?: string;
  readonly encounter?: string;
  readonly personality: Personality;
  readonly needPatientBanner: boolean;
  readonly faults?: readonly FaultSpec[];
  /** Resource types whose scopes the EHR does not grant to the app in this sign-in. */
  readonly withheldScopes?: readonly string[];
  /** The EHR does not grant `profile`: the id_token names nobody. */
  readonly withholdProfile?: boolean;
}

/** Ten minutes: enough to open the app and sign in, short enough that old links die. */
const LAUNCH_TTL_MS = 10 * 60 * 1000;

export class LaunchStore {
  readonly #codes = new Map<string, { readonly context: LaunchContext; readonly expiresAt: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  create(context: LaunchContext): string {
    this.#sweep();
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, { context, expiresAt: this.#now() + LAUNCH_TTL_MS });
    return code;
  }

  /** Reads a live code without spending it (the framing page needs its personality). */
  peek(code: string): LaunchContext | undefined {
    const entry = this.#codes.get(code);
    if (!entry || entry.expiresAt <= this.#now()) return undefined;
    return entry.context;
  }

  /** Returns the context and spends the code. */
  take(code: string): LaunchContext | undefined {
    const context = this.peek(code);
    this.#codes.delete(code);
    return context;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [code, entry] of this.#codes) {
      if (entry.expiresAt <= now) this.#codes.delete(code);
    }
  }
}
