import 'server-only';
import { z } from 'zod';
import type { Env } from '../env';
import { VENDORS, type Vendor } from '../fhir/types';
import { clearChunked, readChunked, serializeChunked, type CookieOptions } from './cookies';
import { seal, unseal } from './seal';

/**
 * One launch = one context. Each launch has its own id, named in every chart
 * URL and API call, and its own encrypted HttpOnly cookie, so two tabs or two
 * embedded instances never share a patient. Tokens live only inside the
 * sealed cookie value and in server memory while a request runs.
 */

const SessionSchema = z.object({
  launchId: z.string(),
  /** Audit session id (not the cookie value). */
  sid: z.string(),
  regId: z.string(),
  iss: z.string(),
  vendor: z.enum(VENDORS as [Vendor, ...Vendor[]]),
  /** Patient id at the EHR. */
  patient: z.string(),
  encounter: z.string().optional(),
  /** fhirUser, absolute; or console-user/<id> in open-server mode. */
  user: z.string().optional(),
  userName: z.string().optional(),
  needPatientBanner: z.boolean(),
  styleUrl: z.string().optional(),
  framed: z.boolean(),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  /** Epoch ms when the access token expires. */
  expiresAt: z.number().optional(),
  /** Epoch ms when the current access token was obtained. */
  tokenObtainedAt: z.number().optional(),
  scope: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
});

export type LaunchSession = z.infer<typeof SessionSchema>;

const PURPOSE = 'launch-session';
const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export function sessionCookieName(launchId: string): string {
  return `sc_s_${launchId}`;
}

export function isLaunchId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function cookieOptions(
  env: Env,
  session: Pick<LaunchSession, 'framed'>,
  maxAgeSeconds?: number,
): CookieOptions {
  return { secure: env.secureCookies, crossSite: session.framed, maxAgeSeconds };
}

export type SessionState =
  | { readonly status: 'active'; readonly session: LaunchSession }
  | { readonly status: 'idle-timeout' | 'expired'; readonly session: LaunchSession }
  | { readonly status: 'none' };

export async function readSession(
  cookies: Map<string, string>,
  launchId: string,
  env: Env,
  now: number = Date.now(),
): Promise<SessionState> {
  if (!isLaunchId(launchId)) return { status: 'none' };
  const raw = readChunked(cookies, sessionCookieName(launchId));
  if (!raw) return { status: 'none' };
  const payload = await unseal(raw, env.secrets.sessionSecret, PURPOSE);
  const parsed = SessionSchema.safeParse(payload);
  // A cookie sealed for another launch id is not this launch's session.
  if (!parsed.success || parsed.data.launchId !== launchId) return { status: 'none' };
  const session = parsed.data;
  if (now - session.createdAt > env.SESSION_MAX_HOURS * 3_600_000) return { status: 'expired', session };
  if (now - session.lastSeenAt > env.SESSION_IDLE_MINUTES * 60_000)
    return { status: 'idle-timeout', session };
  return { status: 'active', session };
}

/** Set-Cookie headers that store the session, for the rest of its absolute lifetime. */
export async function writeSession(
  session: LaunchSession,
  env: Env,
  existing: Map<string, string>,
  now: number = Date.now(),
): Promise<string[]> {
  const remaining = Math.max(
    1,
    Math.floor((session.createdAt + env.SESSION_MAX_HOURS * 3_600_000 - now) / 1000),
  );
  const value = await seal(session, env.secrets.sessionSecret, PURPOSE, remaining);
  return serializeChunked(
    sessionCookieName(session.launchId),
    value,
    cookieOptions(env, session, remaining),
    existing,
  );
}

export function clearSession(
  session: Pick<LaunchSession, 'launchId' | 'framed'>,
  env: Env,
  existing: Map<string, string>,
): string[] {
  return clearChunked(sessionCookieName(session.launchId), cookieOptions(env, session, 0), existing);
}
