import 'server-only';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Env } from '../env';
import { AppError, isAppError } from '../errors';
import { VENDORS, type Vendor } from '../fhir/types';
import type { LaunchStore, OverdueLaunch } from '../state/launch-store';
import { appCookieName, serializeCookie, withoutHostPrefix, type CookieOptions } from './cookies';
import { randomId, sealRecord, unsealRecord } from './seal';

/**
 * One launch = one context. Each launch has its own id, named in every chart
 * URL and API call. The session (tokens included) lives on the server in the
 * launch store, sealed; the browser holds one small HttpOnly cookie per launch
 * with a random handle, so two tabs or two embedded instances never share a
 * patient, and a day of launches never outgrows the browser's header limits:
 * old and idle launches' cookies are evicted when a new launch begins.
 */

const SessionSchema = z.object({
  launchId: z.string(),
  /** Audit session id (not the cookie value). */
  sid: z.string(),
  regId: z.string(),
  iss: z.string(),
  vendor: z.enum(VENDORS as [Vendor, ...Vendor[]]),
  /**
   * Patient id at the EHR. Kept in the launch store beside the sealed session (never
   * inside it), and absent while a clinician who launched without one has not chosen one.
   */
  patient: z.string().optional(),
  encounter: z.string().optional(),
  /** fhirUser, absolute; or console-user/<id> in open-server mode. */
  user: z.string().optional(),
  userName: z.string().optional(),
  /** The id_token's issuer and subject, for the audit record (BALP OAUTHaccessTokenUse). */
  idIssuer: z.string().optional(),
  idSubject: z.string().optional(),
  needPatientBanner: z.boolean(),
  /** How the launch began: in the EHR, or a standalone sign-in of a patient or a clinician. */
  mode: z.enum(['ehr', 'patient', 'provider']).optional(),
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
/** A launch bound to its patient: what every data route works with. */
export type BoundSession = LaunchSession & { readonly patient: string };

export function isBound(session: LaunchSession): session is BoundSession {
  return session.patient !== undefined;
}

export interface SessionDeps {
  readonly env: Env;
  readonly launches: LaunchStore;
}

const PURPOSE = 'launch-session';
const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const COOKIE_PREFIX = 'sc_s_';
/** Launch cookies kept per browser: far more tabs than anyone keeps open, under 2 KB of headers. */
export const MAX_LAUNCH_COOKIES = 20;

/** A launch's handle cookie's bare name: its name over plain http (`launchCookieName` is the one set and read). */
export function sessionCookieName(launchId: string): string {
  return `${COOKIE_PREFIX}${launchId}`;
}

/**
 * The name of a launch's handle cookie as the app sets and reads it: `__Host-sc_s_<id>` over https, so that
 * a sibling subdomain cannot plant its own launch's handle for a victim to open (cookies.ts `appCookieName`).
 */
export function launchCookieName(env: Pick<Env, 'APP_URL'>, launchId: string): string {
  return appCookieName(env, sessionCookieName(launchId));
}

export function isLaunchId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * The launches whose handle cookies a browser sent, by either name (well-formed ids only, once each). Only
 * candidates: `readSession` opens a launch by the cookie of the name the app sets, so an id listed from a
 * cookie of the other name (a bare one planted by a sibling subdomain over https) opens nothing.
 */
export function launchIdsInCookies(cookies: Map<string, string>): string[] {
  const ids = [...cookies.keys()]
    .map(withoutHostPrefix)
    .filter((n) => n.startsWith(COOKIE_PREFIX))
    .map((n) => n.slice(COOKIE_PREFIX.length))
    .filter(isLaunchId);
  return [...new Set(ids)];
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
  /** Signed out (or timed out) earlier: final, whatever cookie arrives. */
  | {
      readonly status: 'ended';
      readonly session: LaunchSession;
      readonly reason?: string;
      /** Epoch ms of the end. */
      readonly endedAt: number;
    }
  | { readonly status: 'none' };

async function unsealSession(sealed: string, env: Env): Promise<LaunchSession | undefined> {
  const parsed = SessionSchema.safeParse(await unsealRecord(sealed, env.secrets.sessionSecret, PURPOSE));
  return parsed.success ? parsed.data : undefined;
}

/**
 * The session a stored launch holds, as the app wrote it: sealed for this launch id, its patient the one the
 * app bound (the store's, with a MAC the database cannot forge), its last use the store's. Undefined otherwise.
 */
async function storedSession(stored: OverdueLaunch, env: Env): Promise<LaunchSession | undefined> {
  const parsed = await unsealSession(stored.sealed, env);
  // A record sealed for another launch id is not this launch's session.
  if (!parsed || parsed.launchId !== stored.launchId) return undefined;
  // A patient the app did not bind (written into the database by other hands) opens nothing.
  if (
    stored.patientId !== undefined &&
    !patientMacMatches(env, stored.launchId, stored.patientId, stored.patientMac)
  )
    return undefined;
  const { patient: _sealedPatient, ...sealedSession } = parsed;
  return {
    ...sealedSession,
    ...(stored.patientId !== undefined ? { patient: stored.patientId } : {}),
    lastSeenAt: stored.lastSeenAt,
  };
}

export async function readSession(
  cookies: Map<string, string>,
  launchId: string,
  deps: SessionDeps,
  now: number = Date.now(),
): Promise<SessionState> {
  if (!isLaunchId(launchId)) return { status: 'none' };
  const handle = cookies.get(launchCookieName(deps.env, launchId));
  if (!handle) return { status: 'none' };
  const stored = await deps.launches.open(launchId, handle);
  if (!stored) return { status: 'none' };
  const session = await storedSession(stored, deps.env);
  if (!session) return { status: 'none' };
  if (stored.endedAt !== undefined)
    return {
      status: 'ended',
      session,
      endedAt: stored.endedAt,
      ...(stored.endedReason ? { reason: stored.endedReason } : {}),
    };
  if (now - session.createdAt > deps.env.SESSION_MAX_HOURS * 3_600_000) return { status: 'expired', session };
  if (now - session.lastSeenAt > deps.env.SESSION_IDLE_MINUTES * 60_000)
    return { status: 'idle-timeout', session };
  return { status: 'active', session };
}

/**
 * The session of a launch the store lists as overdue (no cookie: the app ends it on its own), checked as a
 * request's would be: sealed for this launch, and its patient bound by the app. Undefined otherwise.
 */
export async function overdueSession(
  stored: OverdueLaunch,
  env: Env,
  now: number,
): Promise<{ readonly session: LaunchSession; readonly reason: 'expired' | 'idle-timeout' } | undefined> {
  const session = await storedSession(stored, env).catch(() => undefined);
  if (!session) return undefined;
  const reason = session.createdAt + env.SESSION_MAX_HOURS * 3_600_000 < now ? 'expired' : 'idle-timeout';
  return { session, reason };
}

function absoluteEnd(session: LaunchSession, env: Env): number {
  return session.createdAt + env.SESSION_MAX_HOURS * 3_600_000;
}

/** HMAC over (launch, patient) with a key derived from the session secret: the database cannot forge it. */
function patientMac(env: Env, launchId: string, patientId: string): Buffer {
  const key = createHash('sha256')
    .update('launch-patient')
    .update(Buffer.from(env.secrets.sessionSecret, 'base64'))
    .digest();
  return createHmac('sha256', key).update(`${launchId}\n${patientId}`).digest();
}

function patientMacMatches(env: Env, launchId: string, patientId: string, mac: Buffer | undefined): boolean {
  const expected = patientMac(env, launchId, patientId);
  return mac !== undefined && mac.length === expected.length && timingSafeEqual(mac, expected);
}

/** Binds a launch that has no patient yet to the one chosen; false when it already has one or has ended. */
export function bindLaunchPatient(deps: SessionDeps, launchId: string, patientId: string): Promise<boolean> {
  return deps.launches.bindPatient(launchId, patientId, patientMac(deps.env, launchId, patientId));
}

async function sealSession(session: LaunchSession, env: Env, now: number): Promise<string> {
  const ttl = Math.max(1, Math.floor((absoluteEnd(session, env) - now) / 1000));
  // The patient lives in its own column, bound once: a reseal (new tokens) can never change it.
  const { patient: _patient, ...sealed } = session;
  return sealRecord(sealed, env.secrets.sessionSecret, PURPOSE, ttl);
}

/**
 * Stores a new launch and returns its Set-Cookie headers: the launch's own
 * cookie, and expiries for the cookies of launches that ended, went idle or
 * are the least recently used beyond MAX_LAUNCH_COOKIES. The launches still
 * live whose cookies go (`displaced`) can no longer be reached from this
 * browser, and no sign-out would find them: the caller ends them
 * (lib/smart/end-launch.ts `beginSession`).
 */
export async function createSession(
  session: LaunchSession,
  deps: SessionDeps,
  existing: Map<string, string>,
  now: number = Date.now(),
): Promise<{ readonly setCookies: string[]; readonly displaced: string[] }> {
  const handle = randomId(32);
  await deps.launches.create({
    launchId: session.launchId,
    handle,
    sealed: await sealSession(session, deps.env, now),
    ...(session.patient !== undefined
      ? { patientId: session.patient, patientMac: patientMac(deps.env, session.launchId, session.patient) }
      : {}),
    framed: session.framed,
    createdAt: session.createdAt,
    expiresAt: absoluteEnd(session, deps.env),
  });
  // Expired launches and states are forgotten as new launches arrive (an indexed delete).
  await deps.launches.purge(now).catch(() => undefined);
  const maxAge = Math.floor((absoluteEnd(session, deps.env) - now) / 1000);
  const evicted = await evictedCookies(deps, existing, session.framed, now);
  return {
    setCookies: [
      serializeCookie(
        launchCookieName(deps.env, session.launchId),
        handle,
        cookieOptions(deps.env, session, maxAge),
      ),
      ...evicted.setCookies,
    ],
    displaced: evicted.displaced,
  };
}

async function evictedCookies(
  deps: SessionDeps,
  existing: Map<string, string>,
  framed: boolean,
  now: number,
): Promise<{ readonly setCookies: string[]; readonly displaced: string[] }> {
  // Only the cookies of the name the app sets: one of the other name is not the app's to count or clear.
  const own = appCookieName(deps.env, COOKIE_PREFIX);
  const names = [...existing.keys()].filter((n) => n.startsWith(own));
  if (names.length === 0) return { setCookies: [], displaced: [] };
  const ids = names.map((n) => n.slice(own.length)).filter(isLaunchId);
  const known = new Map((await deps.launches.summaries(ids)).map((s) => [s.launchId, s]));
  const idleMs = deps.env.SESSION_IDLE_MINUTES * 60_000;
  const live = [...known.values()]
    .filter((s) => s.endedAt === undefined && s.expiresAt > now && now - s.lastSeenAt <= idleMs)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  const kept = live.slice(0, MAX_LAUNCH_COOKIES - 1);
  const keep = new Set(kept.map((s) => launchCookieName(deps.env, s.launchId)));
  return {
    setCookies: names
      .filter((n) => !keep.has(n))
      .map((n) => {
        const s = known.get(n.slice(own.length));
        return serializeCookie(n, '', cookieOptions(deps.env, { framed: s?.framed ?? framed }, 0));
      }),
    displaced: live.slice(MAX_LAUNCH_COOKIES - 1).map((s) => s.launchId),
  };
}

const LAUNCH_ENDED = 'Your session has ended. Please relaunch the app from your EHR.';

/**
 * Renews a launch's tokens with no other instance doing the same at once: the
 * launch is locked in the store, `renew` gets its latest session (another
 * instance may have refreshed it while this one waited) and what `renew`
 * returns is stored before the lock is released. Throws `session-expired` when
 * the launch ended, `unavailable` when the launch store does not answer.
 */
export async function renewLocked(
  launchId: string,
  deps: SessionDeps,
  now: number,
  renew: (latest: LaunchSession) => Promise<LaunchSession>,
): Promise<LaunchSession> {
  try {
    return await deps.launches.withLock(launchId, async (locked) => {
      const latest =
        locked.sealed && !locked.ended ? await unsealSession(locked.sealed, deps.env) : undefined;
      if (!latest || latest.launchId !== launchId) throw new AppError('session-expired', LAUNCH_ENDED);
      const next = await renew(latest);
      if (next !== latest && !(await locked.reseal(await sealSession(next, deps.env, now)))) {
        throw new AppError('session-expired', LAUNCH_ENDED);
      }
      return next;
    });
  } catch (e) {
    // Our own refusals pass; anything else is the launch store failing.
    if (isAppError(e)) throw e;
    throw new AppError(
      'unavailable',
      'The app cannot check your session right now. Please try again shortly.',
      {
        cause: e,
      },
    );
  }
}

/** The Set-Cookie header that removes a launch's cookie from the browser. */
export function clearSessionCookie(session: Pick<LaunchSession, 'launchId' | 'framed'>, env: Env): string {
  return serializeCookie(launchCookieName(env, session.launchId), '', cookieOptions(env, session, 0));
}
