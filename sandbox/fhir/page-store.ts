/**
 * Holds the full, sorted result list of recent searches so that `next` links
 * (opaque or query-based, per personality) page through a stable snapshot.
 * Entries are bound to the token's client, patient and scopes, expire, and are capped.
 */
import { randomUUID } from 'node:crypto';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

export interface StoredSearch {
  readonly id: string;
  readonly owner: string;
  readonly resourceType: string;
  /** The query that produced the results, without paging parameters. */
  readonly query: URLSearchParams;
  readonly results: readonly Resource[];
  /** Warnings that travel with every page (e.g. suppressed sub-types). */
  readonly outcome?: OperationOutcome;
  readonly createdAt: number;
}

const TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 500;

export class PageStore {
  private readonly byId = new Map<string, StoredSearch>();
  private readonly byQuery = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  private queryKey(owner: string, resourceType: string, query: URLSearchParams): string {
    const sorted = [...query].sort(([a, av], [b, bv]) =>
      a === b ? av.localeCompare(bv) : a.localeCompare(b),
    );
    return `${owner}\n${resourceType}\n${new URLSearchParams(sorted).toString()}`;
  }

  save(
    owner: string,
    resourceType: string,
    query: URLSearchParams,
    results: readonly Resource[],
    outcome?: OperationOutcome,
  ): StoredSearch {
    this.evict();
    const stored: StoredSearch = {
      id: randomUUID(),
      owner,
      resourceType,
      query,
      results,
      ...(outcome ? { outcome } : {}),
      createdAt: this.now(),
    };
    this.byId.set(stored.id, stored);
    this.byQuery.set(this.queryKey(owner, resourceType, query), stored.id);
    return stored;
  }

  /** A stored search by id, only for the owner that made it. */
  get(id: string, owner: string): StoredSearch | undefined {
    const stored = this.byId.get(id);
    if (!stored || stored.owner !== owner || this.now() - stored.createdAt > TTL_MS) {
      return undefined;
    }
    return stored;
  }

  /** The latest stored search for the same owner and query (query-based paging). */
  find(owner: string, resourceType: string, query: URLSearchParams): StoredSearch | undefined {
    const id = this.byQuery.get(this.queryKey(owner, resourceType, query));
    return id ? this.get(id, owner) : undefined;
  }

  private evict(): void {
    const now = this.now();
    for (const [id, stored] of this.byId) {
      if (now - stored.createdAt > TTL_MS || this.byId.size >= MAX_ENTRIES) {
        this.byId.delete(id);
        this.byQuery.delete(this.queryKey(stored.owner, stored.resourceType, stored.query));
      } else {
        break;
      }
    }
  }
}
