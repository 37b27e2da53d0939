/**
 * The SMART context bound to each oidc-provider grant: who, which patient, which FHIR base. The
 * grant id travels with every code, access token and refresh token, so the token endpoint and the
 * FHIR server find the context from any of them.
 */
import type { FaultSpec, Personality } from '../contract';
import type { UserReference } from '../launch/launch-store';

export interface GrantContext {
  readonly user: UserReference;
  readonly patient?: string;
  readonly encounter?: string;
  readonly personality: Personality;
  /** The FHIR base the token is for (SMART `aud`). */
  readonly aud: string;
  readonly needPatientBanner: boolean;
  readonly smartStyleUrl: string;
  readonly faults?: readonly FaultSpec[];
}

export class GrantContexts {
  readonly #contexts = new Map<string, { readonly context: GrantContext; readonly expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  /** `ttlSeconds` matches the grant's own lifetime so the context never outlives it by much. */
  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#now = now;
  }

  set(grantId: string, context: GrantContext): void {
    const now = this.#now();
    for (const [id, entry] of this.#contexts) {
      if (entry.expiresAt <= now) this.#contexts.delete(id);
    }
    this.#contexts.set(grantId, { context, expiresAt: now + this.#ttlMs });
  }

  get(grantId: string | undefined): GrantContext | undefined {
    if (grantId === undefined) return undefined;
    const entry = this.#contexts.get(grantId);
    if (!entry || entry.expiresAt <= this.#now()) return undefined;
    return entry.context;
  }
}
