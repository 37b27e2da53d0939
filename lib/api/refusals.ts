import 'server-only';
import type { AuditInput, AuditLog } from '../audit/types';
import type { RequestCounter } from '../http/request-limits';
import { getRequestCounter } from '../state';

/**
 * Records the refusal of a request that came with no session or from another
 * site. Such requests cost their sender nothing and each record is a durable
 * append, so they are recorded one by one only up to the `refused` limit of
 * an address a minute (lib/http/request-limits.ts); the first one past it is
 * recorded as `rate-limited` for the rest of the window, and the others not.
 * The answer is the same either way, and stands when it cannot be recorded.
 */
export async function recordRefusal(
  deps: { readonly audit: AuditLog; readonly limiter?: RequestCounter; readonly now?: () => number },
  input: AuditInput & { readonly sourceIp: string },
): Promise<void> {
  let hit: Awaited<ReturnType<RequestCounter['hit']>> = { ok: true };
  try {
    hit = await (deps.limiter ?? getRequestCounter()).hit('refused', input.sourceIp, deps.now?.());
  } catch {
    /* uncounted, it is recorded */
  }
  const record = hit.ok
    ? input
    : hit.firstOver
      ? ({
          action: 'rate-limited',
          outcome: '4',
          outcomeDesc: 'refused',
          detail: `past-limit:${input.outcomeDesc ?? input.action}`,
          tenant: 'app',
          sourceIp: input.sourceIp,
        } as const)
      : undefined;
  if (record === undefined) return;
  try {
    await deps.audit.record(record);
  } catch {
    /* the refusal stands */
  }
}
