/**
 * oidc-provider storage for one sandbox instance. The library's bundled adapter keeps its data in
 * module-level state shared by every provider in the process; integration tests start several
 * sandboxes in one process, so each gets its own store here. Expired entries are dropped on read.
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch milliseconds; Infinity when the model gave no lifetime. */
  readonly expiresAt: number;
}

/** Models whose entries are removed together when their grant is revoked. */
const GRANT_BOUND = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export function createMemoryAdapterFactory(now: () => number = Date.now): AdapterFactory {
  const entries = new Map<string, Entry>();
  const byGrant = new Map<string, Set<string>>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();

  const read = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyFor = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        const expiresAt = typeof expiresIn === 'number' ? now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        entries.set(key, { payload: structuredClone(payload), expiresAt });
        if (GRANT_BOUND.has(model) && typeof payload.grantId === 'string') {
          const members = byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          byGrant.set(payload.grantId, members);
        }
        if (typeof payload.uid === 'string') byUid.set(payload.uid, id);
        if (typeof payload.userCode === 'string') byUserCode.set(payload.userCode, id);
      },
      async find(id) {
        const payload = read(keyFor(id));
        return payload ? structuredClone(payload) : undefined;
      },
      async findByUid(uid) {
        const id = byUid.get(uid);
        return id === undefined ? undefined : this.find(id);
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : this.find(id);
      },
      async consume(id) {
        const key = keyFor(id);
        const entry = entries.get(key);
        if (entry)
          entries.set(key, { ...entry, payload: { ...entry.payload, consumed: Math.floor(now() / 1000) } });
      },
      async destroy(id) {
        entries.delete(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        const members = byGrant.get(grantId);
        if (!members) return;
        for (const key of members) entries.delete(key);
        byGrant.delete(grantId);
      },
    };
  };
}
