import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest, readSmallJson, TOO_LARGE } from '../http/request';
import { localPath } from '../http/local-path';
import { jsonError, jsonResponse, redirect } from '../http/responses';
import { auditedPatient } from '../smart/audited-patient';
import { auditedOAuth } from '../smart/audited-oauth';
import { readCookies } from '../smart/cookies';
import { clearSessionCookie, launchIdsInCookies, readSession } from '../smart/session';
import { revokeLaunchToken } from '../smart/end-launch';
import { openActiveLaunch, refuseCrossSite, touchLaunch, withLaunch, type RouteDeps } from './launch-guard';
import { SERVER_WIDGETS, type ServerWidgets } from './widgets';

/** State-changing calls must come from our own pages: JSON only (forces a CORS preflight), and our origin. */
function sameOrigin(req: Request, appUrl: string): boolean {
  const type = req.headers.get('content-type') ?? '';
  return type.startsWith('application/json') && isSameOriginRequest(req, appUrl);
}

/** A view report names a widget of the registry; who and which patient come from the session. */
function viewSchema(panels: readonly string[]) {
  return z.strictObject({
    panel: z.string().refine((p) => panels.includes(p)),
    /** Optional claims the client may send; they must match the session or the request is refused. */
    patient: z.string().max(256).optional(),
    user: z.string().max(512).optional(),
  });
}

/**
 * The UI reports which panel a user viewed. Who, which patient and which
 * launch come from the session, never from the body; a body that names
 * anyone else is refused and the refusal recorded.
 */
export async function viewRoute(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  widgets: ServerWidgets = SERVER_WIDGETS,
): Promise<Response> {
  if (!sameOrigin(req, deps.env.APP_URL)) return refuseCrossSite(req, launchId, deps);
  const panels = Object.values(widgets).map((w) => w.id);
  const sent = await readSmallJson(req);
  if (sent === TOO_LARGE)
    return jsonError(new AppError('too-large', 'A view report is a few bytes, not this.'));
  const parsed = viewSchema(panels).safeParse(sent);
  if (!parsed.success)
    return jsonError(new AppError('bad-request', `The view report must name a panel: ${panels.join(', ')}.`));
  const body = parsed.data;
  return withLaunch(req, launchId, deps, async ({ session }) => {
    if (body.patient !== undefined && body.patient !== session.patient) {
      throw new AppError('forbidden', 'view-report-patient-mismatch');
    }
    if (body.user !== undefined && body.user !== session.user) {
      throw new AppError('forbidden', 'view-report-user-mismatch');
    }
    return { status: 201, body: { recorded: true }, disclosure: { action: 'view', detail: body.panel } };
  });
}

/**
 * How a sign-out was asked for: by the page's script, or by its plain form
 * before the scripts ran. `thisLaunchOnly`: a patient removing one health
 * system from their merged record keeps the others.
 */
type LogoutAsk =
  | { readonly form: false; readonly reason: 'user' | 'idle'; readonly thisLaunchOnly: boolean }
  | { readonly form: true; readonly reason: 'user'; readonly then: string; readonly thisLaunchOnly: false };

async function readLogoutAsk(req: Request, appUrl: string): Promise<LogoutAsk | undefined> {
  const type = req.headers.get('content-type') ?? '';
  if (sameOrigin(req, appUrl)) {
    const parsed = z
      .object({ reason: z.enum(['user', 'idle']), scope: z.enum(['browser', 'launch']).optional() })
      .safeParse(await readSmallJson(req));
    return {
      form: false,
      reason: parsed.success ? parsed.data.reason : 'user',
      thisLaunchOnly: parsed.success && parsed.data.scope === 'launch',
    };
  }
  // A form post carries no preflight; the browser's Origin (or Sec-Fetch-Site) says it is our own page.
  if (type.startsWith('application/x-www-form-urlencoded') && isSameOriginRequest(req, appUrl)) {
    const then = localPath((await req.formData().catch(() => undefined))?.get('then'), appUrl);
    return {
      form: true,
      reason: 'user',
      then: /^\/signed-out(\?|$)/.test(then) ? then : '/signed-out',
      thisLaunchOnly: false,
    };
  }
  return undefined;
}

/**
 * Signs out. A sign-out by the user ends every launch this browser holds a
 * cookie for, not only the chart it was asked from: "Sign out" at a shared
 * workstation must leave no other chart of this browser open to the next
 * person. An idle log-off ends only the launch that went idle (the others keep
 * their own clocks), and a patient removing one health system from their
 * merged record asks for that launch only. The page's script asks with JSON
 * and is told which launches this browser held, so that their other tabs leave
 * their charts too; a click before the scripts have run posts the page's form
 * and is sent on to the signed-out page.
 */
export async function logoutRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  const ask = await readLogoutAsk(req, deps.env.APP_URL);
  if (!ask) return refuseCrossSite(req, launchId, deps);
  const now = deps.now?.() ?? Date.now();
  const cookies = readCookies(req);
  const ids =
    ask.reason === 'idle' || ask.thisLaunchOnly
      ? [launchId]
      : [launchId, ...launchIdsInCookies(cookies).filter((id) => id !== launchId)];
  const results = await Promise.all(ids.map((id) => endLaunch(req, cookies, id, ask.reason, deps, now)));
  const headers = new Headers();
  for (const r of results) if (r) headers.append('set-cookie', r.clearCookie);
  const held = ids.filter((_, i) => results[i] !== undefined);
  return ask.form
    ? redirect(new URL(ask.then, deps.env.APP_URL).href, 303, headers)
    : jsonResponse({ signedOut: true, launches: held }, 200, headers);
}

/**
 * Ends one launch for good, when the browser holds its cookie: the launch
 * store marks it ended first (so requests still in flight disclose nothing
 * more and no later request is served, on any instance), then the EHR token is
 * revoked (best effort) and the log-off recorded. Only the request that ends
 * the launch does those; undefined when the cookie opens no launch.
 */
async function endLaunch(
  req: Request,
  cookies: Map<string, string>,
  launchId: string,
  reason: 'user' | 'idle',
  deps: RouteDeps,
  now: number,
): Promise<{ readonly clearCookie: string } | undefined> {
  const state = await readSession(cookies, launchId, deps, now);
  if (state.status === 'none') return undefined;
  const { session } = state;
  const ended = { clearCookie: clearSessionCookie(session, deps.env) };
  // A launch already past its idle or absolute limit timed out; it was not signed out.
  const ranOut = state.status === 'idle-timeout' || state.status === 'expired' ? state.status : undefined;
  if (!(await deps.launches.end(launchId, now, ranOut ?? reason))) return ended;
  await revokeLaunchToken(session, deps);
  try {
    await deps.audit.record({
      action: ranOut || reason === 'idle' ? 'session-timeout' : 'logout',
      outcome: '0',
      ...(ranOut ? { detail: ranOut } : {}),
      tenant: session.regId,
      user: session.user,
      ...(session.patient !== undefined ? { patient: auditedPatient(session.iss, session.patient) } : {}),
      sessionId: session.sid,
      launchId: session.launchId,
      ...auditedOAuth(session, {}),
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    /* signing out discloses nothing; it proceeds even when it cannot be recorded */
  }
  return ended;
}

/**
 * POST /api/chart/{launchId}/alive: the page says its user is still at work
 * on a chart that has not asked the EHR anything for a while (reading,
 * scrolling). It moves the launch's idle clock as a data request does and
 * discloses nothing, so it records nothing; an ended or timed-out launch gets
 * the same answer a data request would.
 */
export async function aliveRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!sameOrigin(req, deps.env.APP_URL)) return refuseCrossSite(req, launchId, deps);
  const now = deps.now?.() ?? Date.now();
  const opened = await openActiveLaunch(req, launchId, deps, now);
  if (opened instanceof Response) return opened;
  return (
    (await touchLaunch(launchId, deps, now)) ??
    jsonResponse({ idleSeconds: deps.env.SESSION_IDLE_MINUTES * 60 })
  );
}
