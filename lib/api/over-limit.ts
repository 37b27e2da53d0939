import 'server-only';
import type { AuditLog } from '../audit/types';
import type { Env } from '../env';
import { clientAddress } from '../http/request';
import type { Bucket, RequestCounter } from '../http/request-limits';
import { getRequestCounter } from '../state';

/**
 * Applies the per-address limit of a bucket, counted across every instance
 * that shares the launch store. Over the limit: 429 with Retry-After. The
 * first refusal of a window is recorded in the audit log, not each one: a
 * flood is recorded once a window instead of filling the log.
 */
export async function overLimit(
  req: Request,
  bucket: Bucket,
  deps: { env: Env; audit: AuditLog; limiter?: RequestCounter; now?: () => number },
  asJson: boolean,
): Promise<Response | undefined> {
  const address = clientAddress(req, deps.env);
  const r = await (deps.limiter ?? getRequestCounter()).hit(bucket, address, deps.now?.());
  if (r.ok) return undefined;
  if (r.firstOver)
    try {
      await deps.audit.record({
        action: 'rate-limited',
        outcome: '4',
        outcomeDesc: bucket,
        tenant: 'app',
        sourceIp: address,
      });
    } catch {
      /* the refusal stands without its record */
    }
  const headers = { 'retry-after': String(r.retryAfterSeconds), 'cache-control': 'no-store' };
  const message = 'Too many requests from this address. Please wait a moment and try again.';
  return asJson
    ? Response.json({ error: { code: 'rate-limited', message } }, { status: 429, headers })
    : new Response(message, {
        status: 429,
        headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      });
}
