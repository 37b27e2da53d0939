import 'server-only';
import type { AuditStore } from '../audit';
import type { Env } from '../env';
import { clientAddress } from '../http/request';
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
 * Ready when the audit store answers (no patient data can leave without it)
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
    auditState = 'ok';
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

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * A request from this machine itself (a local health check, an operator's
 * shell): the client address is a loopback address. Behind a proxy on the
 * same host, set TRUST_PROXY=true (as for the audit records) so that the
 * forwarded address counts, not the proxy's.
 */
export function isLocalRequest(req: Request, env: Pick<Env, 'trustProxy'>): boolean {
  return LOOPBACK.test(clientAddress(req, env));
}

/**
 * GET /api/ready. Load balancers need only the status code; which EHRs are
 * registered (and which are down) is for local requests and signed-in console
 * admins, never the world.
 */
export async function readyResponse(
  req: Request,
  env: Pick<Env, 'trustProxy'>,
  readiness: () => Promise<Readiness>,
  isOperator: () => Promise<boolean>,
): Promise<Response> {
  const r = await readiness();
  const detail = isLocalRequest(req, env) || (await isOperator());
  return Response.json(detail ? r : { ready: r.ready }, {
    status: r.ready ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
