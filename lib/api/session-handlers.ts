import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { localPath } from '../http/local-path';
import { jsonError, jsonResponse, redirect } from '../http/responses';
import { auditedPatient } from '../smart/audited-patient';
import { readCookies } from '../smart/cookies';
import { discover } from '../smart/discovery';
import { findById } from '../smart/registrations';
import { clearSessionCookie, readSession } from '../smart/session';
import { oauthDepsFrom } from '../smart/oauth-client';
import { revokeToken } from '../smart/tokens';
import { openActiveLaunch, touchLaunch, withLaunch, type RouteDeps } from './launch-guard';
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
  if (!sameOrigin(req, deps.env.APP_URL))
    return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  const panels = Object.values(widgets).map((w) => w.id);
  const parsed = viewSchema(panels).safeParse(await req.json().catch(() => undefined));
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

/** How a sign-out was asked for: by the page's script, or by its plain form before the scripts ran. */
type LogoutAsk =
  | { readonly form: false; readonly reason: 'user' | 'idle' }
  | { readonly form: true; readonly reason: 'user'; readonly then: string };

async function readLogoutAsk(req: Request, appUrl: string): Promise<LogoutAsk | undefined> {
  const type = req.headers.get('content-type') ?? '';
  if (sameOrigin(req, appUrl)) {
    const parsed = z
      .object({ reason: z.enum(['user', 'idle']) })
      .safeParse(await req.json().catch(() => undefined));
    return { form: false, reason: parsed.success ? parsed.data.reason : 'user' };
  }
  // A form post carries no preflight; the browser's Origin (or Sec-Fetch-Site) says it is our own page.
  if (type.startsWith('application/x-www-form-urlencoded') && isSameOriginRequest(req, appUrl)) {
    const then = localPath((await req.formData().catch(() => undefined))?.get('then'), appUrl);
    return { form: true, reason: 'user', then: /^\/signed-out(\?|$)/.test(then) ? then : '/signed-out' };
  }
  return undefined;
}

/**
 * Ends the launch for good: the launch store marks it ended first (so requests
 * still in flight disclose nothing more and no later request is served, on any
 * instance), then the EHR token is revoked (best effort), the log-off
 * recorded and the cookie cleared. The page's script asks with JSON; a click
 * before the scripts have run posts the page's form and is sent on to the
 * signed-out page.
 */
export async function logoutRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  const ask = await readLogoutAsk(req, deps.env.APP_URL);
  if (!ask) return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  const done = (headers: HeadersInit = {}) =>
    ask.form
      ? redirect(new URL(ask.then, deps.env.APP_URL).href, 303, headers)
      : jsonResponse({ signedOut: true }, 200, headers);
  const now = deps.now?.() ?? Date.now();
  const state = await readSession(readCookies(req), launchId, deps, now);
  if (state.status === 'none') return done();
  const { session } = state;
  const { reason } = ask;
  const headers = new Headers({ 'set-cookie': clearSessionCookie(session, deps.env) });
  // Only the request that ends the launch records the log-off and revokes the token.
  if (!(await deps.launches.end(launchId, now, reason))) return done(headers);
  const reg = findById(session.regId, deps.registrations);
  if (reg && session.accessToken) {
    try {
      const config = await discover(reg, { fetch: deps.fetch });
      await revokeToken(
        reg,
        config,
        session.refreshToken ?? session.accessToken,
        oauthDepsFrom(deps.env, { fetch: deps.fetch }),
      );
    } catch {
      /* the session ends here either way */
    }
  }
  try {
    await deps.audit.record({
      action: reason === 'idle' ? 'session-timeout' : 'logout',
      outcome: '0',
      tenant: session.regId,
      user: session.user,
      ...(session.patient !== undefined ? { patient: auditedPatient(session.iss, session.patient) } : {}),
      sessionId: session.sid,
      launchId: session.launchId,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    /* signing out discloses nothing; it proceeds even when it cannot be recorded */
  }
  return done(headers);
}

/**
 * POST /api/chart/{launchId}/alive: the page says its user is still at work
 * on a chart that has not asked the EHR anything for a while (reading,
 * scrolling). It moves the launch's idle clock as a data request does and
 * discloses nothing, so it records nothing; an ended or timed-out launch gets
 * the same answer a data request would.
 */
export async function aliveRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!sameOrigin(req, deps.env.APP_URL))
    return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  const now = deps.now?.() ?? Date.now();
  const opened = await openActiveLaunch(req, launchId, deps, now);
  if (opened instanceof Response) return opened;
  return (
    (await touchLaunch(launchId, deps, now)) ??
    jsonResponse({ idleSeconds: deps.env.SESSION_IDLE_MINUTES * 60 })
  );
}
