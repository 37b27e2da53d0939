import 'server-only';
import { auditedPatient } from '../smart/audited-patient';
import { revokeLaunchToken } from '../smart/end-launch';
import { findById } from '../smart/registrations';
import { overdueSession } from '../smart/session';
import type { RouteDeps } from './launch-guard';

/** Launches ended in one sweep at the most; the rest wait for the next. */
const SWEEP_LIMIT = 200;

/**
 * Ends the launches past their idle or absolute limit that no request has
 * found so (a tab closed, a browser left open overnight): the automatic
 * log-off is recorded when it is due, not at a next request that may never
 * come, and the EHR's token is revoked so that it does not outlive the
 * session. Every instance sweeps; a launch is ended, revoked and recorded by
 * one only (LaunchStore.end succeeds once). Returns how many it ended.
 */
export async function endOverdueLaunches(deps: RouteDeps, now: number): Promise<number> {
  const idleBefore = now - deps.env.SESSION_IDLE_MINUTES * 60_000;
  const begunBefore = now - deps.env.SESSION_MAX_HOURS * 3_600_000;
  let ended = 0;
  for (const stored of await deps.launches.overdue(idleBefore, begunBefore, SWEEP_LIMIT)) {
    const opened = await overdueSession(stored, deps.env, now);
    // A record the app did not write opens nothing; it is ended all the same.
    const reason = opened?.reason ?? 'idle-timeout';
    if (!(await deps.launches.end(stored.launchId, now, reason))) continue;
    ended++;
    if (!opened) continue;
    const { session } = opened;
    await revokeLaunchToken(session, deps);
    const reg = findById(session.regId, deps.registrations);
    try {
      await deps.audit.record({
        action: 'session-timeout',
        outcome: '0',
        detail: reason,
        tenant: session.regId,
        user: session.user,
        ...(session.patient !== undefined
          ? { patient: auditedPatient(reg?.issuer ?? session.iss, session.patient) }
          : {}),
        sessionId: session.sid,
        launchId: session.launchId,
      });
    } catch {
      /* an ending discloses nothing; it stands even when it cannot be recorded */
    }
  }
  return ended;
}
