import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { readCookies } from '../smart/cookies';
import { discover } from '../smart/discovery';
import { findById } from '../smart/registrations';
import { clearSession, readSession } from '../smart/session';
import { revokeToken } from '../smart/tokens';
import { withLaunch, type RouteDeps } from './launch-guard';

/** State-changing calls must come from our own pages: JSON only (forces a CORS preflight), and our origin. */
function sameOrigin(req: Request, appUrl: string): boolean {
  const type = req.headers.get('content-type') ?? '';
  return type.startsWith('application/json') && isSameOriginRequest(req, appUrl);
}

const ViewSchema = z.strictObject({
  panel: z.enum(['banner', 'vitals', 'labs', 'problems']),
  /** Optional claims the client may send; they must match the session or the request is refused. */
  patient: z.string().max(256).optional(),
  user: z.string().max(512).optional(),
});

/**
 * The UI reports which panel a user viewed. Who, which patient and which
 * launch come from the session, never from the body; a body that names
 * anyone else is refused and the refusal recorded.
 */
export async function viewRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!sameOrigin(req, deps.env.APP_URL))
    return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  let body: z.infer<typeof ViewSchema>;
  try {
    body = ViewSchema.parse(await req.json());
  } catch {
    return jsonError(
      new AppError('bad-request', 'The view report must name a panel: banner, vitals, labs or problems.'),
    );
  }
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

/** Ends the launch: revokes the EHR token (best effort), records the log-off, clears the cookie. */
export async function logoutRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!sameOrigin(req, deps.env.APP_URL))
    return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  const cookies = readCookies(req);
  const state = await readSession(cookies, launchId, deps.env, deps.now?.() ?? Date.now());
  if (state.status === 'none') return jsonResponse({ signedOut: true });
  const { session } = state;
  const reg = findById(session.regId, deps.registrations);
  let reason = 'user';
  try {
    const parsed = z.object({ reason: z.enum(['user', 'idle']) }).safeParse(await req.json());
    if (parsed.success) reason = parsed.data.reason;
  } catch {
    /* no body: a plain sign-out */
  }
  if (reg && session.accessToken) {
    try {
      const config = await discover(reg, { fetch: deps.fetch });
      await revokeToken(reg, config, session.refreshToken ?? session.accessToken, {
        fetch: deps.fetch,
        clientKeyPem: deps.env.secrets.smartClientKey,
      });
    } catch {
      /* the session ends here either way */
    }
  }
  const headers = new Headers();
  for (const c of clearSession(session, deps.env, cookies)) headers.append('set-cookie', c);
  try {
    await deps.audit.record({
      action: reason === 'idle' ? 'session-timeout' : 'logout',
      outcome: '0',
      tenant: session.regId,
      user: session.user,
      patient: `${session.iss}/Patient/${session.patient}`,
      sessionId: session.sid,
      launchId: session.launchId,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    /* signing out discloses nothing; it proceeds even when it cannot be recorded */
  }
  return jsonResponse({ signedOut: true }, 200, headers);
}
