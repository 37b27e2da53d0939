import 'server-only';
import type { AuditLog } from '../audit/types';
import type { Env } from '../env';
import { clientAddress } from '../http/request';
import { rateLimiter, type Bucket, type RateLimiter } from '../http/rate-limit';

/**
 * Applies the per-address limit of a bucket. Over the limit: 429 with
 * Retry-After, and the refusal is recorded in the audit log.
 */
export async function overLimit(
  req: Request,
  bucket: Bucket,
  deps: { env: Env; audit: AuditLog; limiter?: RateLimiter; now?: () => number },
  asJson: boolean,
): Promise<Response | undefined> {
  const address = clientAddress(req, deps.env);
  const r = (deps.limiter ?? rateLimiter).hit(bucket, address, deps.now?.());
  if (r.ok) return undefined;
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
