import 'server-only';
import { z } from 'zod';
import type { Env } from '../env';
import { isFramedNavigation } from '../http/request';
import { errorPage, redirect } from '../http/responses';
import { appCookieName, readCookies, serializeCookie } from './cookies';
import { sealRecord, unsealRecord } from './seal';

/**
 * A failed callback must not leave `code` and `state` in the address bar or
 * the history: the callback answers with a redirect to /sign-in-error and the
 * page's words travel in a short-lived sealed cookie (`__Host-` over https,
 * as the app's other cookies: cookies.ts `appCookieName`).
 */

const COOKIE = 'sc_err';
const PURPOSE = 'sign-in-error';
const TTL_SECONDS = 120;
export const SIGN_IN_ERROR_PATH = '/sign-in-error';

const FlashSchema = z.object({
  status: z.number().int().min(400).max(599),
  title: z.string(),
  message: z.string(),
  /** Set in an EHR's frame (SameSite=None; Partitioned): cleared with the same attributes. */
  framed: z.boolean(),
});

function flashCookie(env: Env, value: string, framed: boolean, maxAgeSeconds: number): string {
  return serializeCookie(appCookieName(env, COOKIE), value, {
    secure: env.secureCookies,
    crossSite: framed,
    maxAgeSeconds,
  });
}

export async function redirectToSignInError(
  env: Env,
  framed: boolean,
  status: number,
  title: string,
  message: string,
  headers: HeadersInit = {},
): Promise<Response> {
  const flash = await sealRecord(
    { status, title, message, framed },
    env.secrets.sessionSecret,
    PURPOSE,
    TTL_SECONDS,
  );
  const h = new Headers(headers);
  h.append('set-cookie', flashCookie(env, flash, framed, TTL_SECONDS));
  return redirect(SIGN_IN_ERROR_PATH, 303, h);
}

/** The error page a failed callback redirected to; a plain relaunch hint when the cookie is gone. */
export async function signInErrorPage(req: Request, env: Env): Promise<Response> {
  const sealed = readCookies(req).get(appCookieName(env, COOKIE));
  const flash = FlashSchema.safeParse(
    sealed ? await unsealRecord(sealed, env.secrets.sessionSecret, PURPOSE) : undefined,
  );
  // A cookie that no longer opens was set by the same frame this page is shown in.
  const framed = flash.success ? flash.data.framed : isFramedNavigation(req);
  const clear = { 'set-cookie': flashCookie(env, '', framed, 0) };
  if (!flash.success)
    return errorPage(400, 'Sign-in could not be completed', 'Please relaunch the app from your EHR.', clear);
  return errorPage(flash.data.status, flash.data.title, flash.data.message, clear);
}
