import 'server-only';
import { env } from '../env';
import { clientAddress } from '../http/request';
import { consoleUsers, getAuditLog, signInThrottle } from './deps';
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS, knownDeviceValue } from './known-device';
import { recordRateLimited } from './sign-in';

/** The username a body names, in the form next-auth's client posts or as JSON; undefined if unread. */
async function usernameIn(req: Request): Promise<string | undefined> {
  try {
    const copy = req.clone();
    const value = /^application\/json\b/i.test(copy.headers.get('content-type') ?? '')
      ? ((await copy.json()) as { username?: unknown } | null)?.username
      : (await copy.formData()).get('username');
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A password sign-in to next-auth's credentials callback, with the username it names (read from a copy, so the
 * body is left for next-auth); undefined for every other auth route.
 */
export async function passwordSignIn(
  req: Request,
  segments: readonly string[] | undefined,
): Promise<{ readonly username: string | undefined } | undefined> {
  if (req.method !== 'POST' || segments?.[0] !== 'callback' || segments[1] !== 'credentials')
    return undefined;
  return { username: await usernameIn(req) };
}

/**
 * After a password sign-in (`passwordSignIn`) that opened a session, the browser is known to that account from then on
 * (lib/console/known-device.ts): a later sign-in from it is not slowed down by others' failures. The cookie goes
 * only to the sign-in route, and only from the console's own pages.
 */
export function rememberKnownDevice(username: string | undefined, res: Response): Response {
  const opened = res.headers
    .getSetCookie()
    .some((c) => /^(?:__Secure-)?console\.session-token=[^;]+/.test(c));
  if (!opened || username === undefined) return res;
  const e = env();
  const cookie = [
    `${KNOWN_DEVICE_COOKIE}=${knownDeviceValue(e.secrets.sessionSecret, username)}`,
    'Path=/api/auth/callback/credentials',
    `Max-Age=${KNOWN_DEVICE_DAYS * 86_400}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(e.secureCookies ? ['Secure'] : []),
  ].join('; ');
  const headers = new Headers(res.headers);
  headers.append('set-cookie', cookie);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/**
 * Answers a password sign-in with HTTP 429 when the address has too many
 * recent failures, before next-auth (or the password hash) is reached. The
 * body is what next-auth's client expects, pointing back to the sign-in page
 * with the reason. Every such refusal is audited, with the targeted account.
 */
export async function rateLimitedSignIn(
  req: Request,
  username: string | undefined,
): Promise<Response | undefined> {
  const e = env();
  const sourceIp = clientAddress(req, e);
  if (!(await signInThrottle().addressBlocked(sourceIp))) return undefined;
  await recordRateLimited(
    { users: await consoleUsers(), audit: await getAuditLog() },
    { username: username ?? '', sourceIp },
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
