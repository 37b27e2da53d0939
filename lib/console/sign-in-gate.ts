import 'server-only';
import { env } from '../env';
import { clientAddress } from '../http/request';
import { consoleUsers, getAuditLog, signInThrottle } from './deps';
import { recordRateLimited } from './sign-in';

/**
 * Answers a password sign-in with HTTP 429 when the address has too many
 * recent failures, before next-auth (or the password hash) is reached. The
 * body is what next-auth's client expects, pointing back to the sign-in page
 * with the reason. Every such refusal is audited, with the targeted account.
 */
export async function rateLimitedSignIn(
  req: Request,
  segments: readonly string[] | undefined,
): Promise<Response | undefined> {
  if (req.method !== 'POST' || segments?.[0] !== 'callback' || segments[1] !== 'credentials')
    return undefined;
  let username = '';
  try {
    const value = (await req.clone().formData()).get('username');
    username = typeof value === 'string' ? value : '';
  } catch {
    return undefined;
  }
  const e = env();
  const sourceIp = clientAddress(req, e);
  if (!(await signInThrottle().addressBlocked(sourceIp))) return undefined;
  await recordRateLimited(
    { users: await consoleUsers(), audit: await getAuditLog() },
    { username, sourceIp },
  );
  const url = new URL('/console/sign-in?error=RateLimited', e.APP_URL).href;
  return new Response(JSON.stringify({ url }), {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'retry-after': String(e.CONSOLE_LOGIN_WINDOW_MINUTES * 60),
      'cache-control': 'no-store',
    },
  });
}
