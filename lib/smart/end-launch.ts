import 'server-only';
import type { AuditLog } from '../audit/types';
import { auditedPatient } from './audited-patient';
import { auditedOAuth } from './audited-oauth';
import { discover } from './discovery';
import { oauthDepsFrom } from './oauth-client';
import { findById, type EhrRegistration } from './registrations';
import { createSession, readSession, type LaunchSession, type SessionDeps } from './session';
import { revokeToken } from './tokens';

export interface EndLaunchDeps extends SessionDeps {
  readonly audit: AuditLog;
  readonly registrations: readonly EhrRegistration[];
  readonly fetch?: typeof fetch;
}

/** Revokes the launch's EHR token (its refresh token when it has one), best effort: the launch ends either way. */
export async function revokeLaunchToken(
  session: LaunchSession,
  deps: Pick<EndLaunchDeps, 'env' | 'registrations' | 'fetch'>,
): Promise<void> {
  const reg = findById(session.regId, deps.registrations);
  if (!reg || !session.accessToken) return;
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

/**
 * Stores a new launch and returns its Set-Cookie headers (lib/smart/session.ts
 * `createSession`). A browser keeps the cookies of its most recently used
 * launches only; a launch still live whose cookie goes is ended here, as a
 * sign-out would end it: no cookie reaches it any more, so no sign-out in this
 * browser would find it, and its tokens would otherwise wait on the server
 * until it idled out. It is recorded as an automatic log-off ("displaced")
 * and its EHR token revoked. The new launch opens whatever becomes of the
 * older ones.
 */
export async function beginSession(
  session: LaunchSession,
  deps: EndLaunchDeps,
  existing: Map<string, string>,
  now: number,
  sourceIp?: string,
): Promise<string[]> {
  const { setCookies, displaced } = await createSession(session, deps, existing, now);
  await Promise.all(
    displaced.map((id) => endDisplaced(id, deps, existing, now, sourceIp).catch(() => undefined)),
  );
  return setCookies;
}

async function endDisplaced(
  launchId: string,
  deps: EndLaunchDeps,
  cookies: Map<string, string>,
  now: number,
  sourceIp: string | undefined,
): Promise<void> {
  const state = await readSession(cookies, launchId, deps, now);
  if (state.status !== 'active') return;
  if (!(await deps.launches.end(launchId, now, 'displaced'))) return;
  const { session } = state;
  // Not awaited: an EHR slow to revoke must not hold up the chart being opened.
  void revokeLaunchToken(session, deps);
  try {
    await deps.audit.record({
      action: 'session-timeout',
      outcome: '0',
      detail: 'displaced',
      tenant: session.regId,
      user: session.user,
      ...(session.patient !== undefined ? { patient: auditedPatient(session.iss, session.patient) } : {}),
      sessionId: session.sid,
      launchId: session.launchId,
      ...auditedOAuth(session, {}),
      ...(sourceIp !== undefined ? { sourceIp } : {}),
    });
  } catch {
    /* an ending discloses nothing; it stands even when it cannot be recorded */
  }
}
