import 'server-only';
import { createPrivateKey } from 'node:crypto';
import type { AuditStore } from '../audit';
import type { Env, Secrets } from '../env';
import { clientAddress } from '../http/request';
import { discover, lastDiscoveryAt } from '../smart/discovery';
import type { EhrRegistration } from '../smart/registrations';

/** Discovery older than this is refreshed before it counts as "answered recently". */
const FRESH_MS = 5 * 60_000;
/** A probe never waits longer than this for an EHR: a slow EHR must not make the balancer's probe time out. */
const EHR_WAIT_MS = 2_000;

type EhrState = 'ok' | 'unreachable' | 'open';

export interface Readiness {
  readonly ready: boolean;
  readonly audit: 'ok' | 'unavailable';
  readonly launchStore?: 'ok' | 'unavailable';
  readonly keys?: 'ok' | 'invalid';
  /** Detail only: an EHR that does not answer is that EHR's outage, not this instance's. */
  readonly ehrs: Readonly<Record<string, EhrState>>;
}

/** What this instance itself needs besides the audit store. */
export interface InstanceChecks {
  /** Answers when the launch store does (sessions, used states, rate limits). */
  readonly launchStore?: () => Promise<unknown>;
  readonly secrets?: Secrets;
}

const answers = async (check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> => {
  try {
    await check();
    return 'ok';
  } catch {
    return 'unavailable';
  }
};

/** The keys load as the kinds of key they must be (a wrong PEM passes the variable's format check). */
export function keysUsable(s: Secrets): boolean {
  try {
    const bytes = (b64: string) => Buffer.from(b64, 'base64').length;
    const client = createPrivateKey(s.smartClientKey);
    return (
      createPrivateKey(s.auditSigningKey).asymmetricKeyType === 'ed25519' &&
      client.asymmetricKeyType === 'ec' &&
      client.asymmetricKeyDetails?.namedCurve === 'secp384r1' &&
      [s.sessionSecret, s.auditHmacKey, s.auditEncryptionKey].every((k) => bytes(k) === 32)
    );
  } catch {
    return false;
  }
}

async function ehrState(reg: EhrRegistration, now: number): Promise<EhrState> {
  if (reg.client.type === 'none') return 'open';
  const at = lastDiscoveryAt(reg.issuer);
  if (at !== undefined && now - at < FRESH_MS) return 'ok';
  // The discovery goes on after the wait and fills the cache for the next probe.
  const attempt = discover(reg, { fresh: true }).then(
    () => 'ok' as const,
    () => 'unreachable' as const,
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'unreachable'>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), EHR_WAIT_MS);
  });
  try {
    return await Promise.race([attempt, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ready when this instance can serve: its audit store answers and reports
 * itself healthy (every event checked and signed within the bound; no patient
 * data can leave without it), its launch store answers and its keys load.
 * Each registered EHR's SMART discovery is reported beside, per EHR: one
 * EHR's outage shows as that EHR not answering and never takes the instance
 * out of the balancer's rotation.
 */
export async function checkReadiness(
  audit: () => Promise<{ store: AuditStore }>,
  registrations: readonly EhrRegistration[],
  now: number = Date.now(),
  instance: InstanceChecks = {},
): Promise<Readiness> {
  const [auditState, launchStore, entries] = await Promise.all([
    answers(async () => {
      const { store } = await audit();
      await store.treeHead('app');
      // Answering is not enough: a stopped log or an unsigned tail past the bound makes the store unavailable.
      if (!store.health().ok) throw new Error('audit store unhealthy');
    }),
    instance.launchStore ? answers(instance.launchStore) : undefined,
    Promise.all(registrations.map(async (reg) => [reg.id, await ehrState(reg, now)] as const)),
  ]);
  const keys = instance.secrets ? (keysUsable(instance.secrets) ? 'ok' : 'invalid') : undefined;
  return {
    ready: auditState === 'ok' && launchStore !== 'unavailable' && keys !== 'invalid',
    audit: auditState,
    ...(launchStore ? { launchStore } : {}),
    ...(keys ? { keys } : {}),
    ehrs: Object.fromEntries(entries),
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
