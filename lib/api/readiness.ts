import 'server-only';
import type { AuditStore } from '../audit';
import { discover, lastDiscoveryAt } from '../smart/discovery';
import type { EhrRegistration } from '../smart/registrations';

/** Discovery older than this is refreshed before it counts as "answered recently". */
const FRESH_MS = 5 * 60_000;

export interface Readiness {
  readonly ready: boolean;
  readonly audit: 'ok' | 'unavailable';
  readonly ehrs: Readonly<Record<string, 'ok' | 'unreachable' | 'open'>>;
}

/**
 * Ready when the audit store answers and reports itself healthy (every event
 * checked and signed within the bound; no patient data can leave without it)
 * and every registered EHR's SMART discovery answered within five minutes.
 */
export async function checkReadiness(
  audit: () => Promise<{ store: AuditStore }>,
  registrations: readonly EhrRegistration[],
  now: number = Date.now(),
): Promise<Readiness> {
  let auditState: Readiness['audit'] = 'unavailable';
  try {
    const { store } = await audit();
    await store.treeHead('app');
    // Answering is not enough: a stopped log or an unsigned tail past the bound makes the store unavailable.
    auditState = store.health().ok ? 'ok' : 'unavailable';
  } catch {
    auditState = 'unavailable';
  }
  const entries = await Promise.all(
    registrations.map(async (reg): Promise<[string, 'ok' | 'unreachable' | 'open']> => {
      if (reg.client.type === 'none') return [reg.id, 'open'];
      const at = lastDiscoveryAt(reg.issuer);
      if (at !== undefined && now - at < FRESH_MS) return [reg.id, 'ok'];
      try {
        await discover(reg, { fresh: true });
        return [reg.id, 'ok'];
      } catch {
        return [reg.id, 'unreachable'];
      }
    }),
  );
  const ehrs = Object.fromEntries(entries);
  return {
    ready: auditState === 'ok' && entries.every(([, s]) => s !== 'unreachable'),
    audit: auditState,
    ehrs,
  };
}
