import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { recordConsole } from './console-audit';
import type { ConsoleRouteDeps } from './route-deps';
import { UserStoreError } from './users';

const ChangeSchema = z.strictObject({
  current: z.string().min(1).max(256),
  next: z.string().min(1).max(256),
});

/**
 * POST /api/console/password {current, next}: a console user chooses a new
 * password (required after an admin's reset, allowed any time). Recorded as
 * `console-user-change` before it is answered.
 */
export async function changePasswordRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL))
    return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
  const user = await deps.currentUser();
  if (!user) return jsonError(new AppError('unauthenticated', 'Sign in to the audit console first.'));
  const body = ChangeSchema.safeParse(await req.json().catch(() => null));
  if (!body.success)
    return jsonError(new AppError('bad-request', 'Give the current password and the new one.'));
  let after;
  try {
    after = await deps.users.changePassword(user.id, body.data.current, body.data.next);
  } catch (e) {
    if (e instanceof UserStoreError && e.code === 'invalid')
      return jsonError(new AppError('bad-request', e.message));
    return jsonError(e);
  }
  try {
    await recordConsole(deps.audit, {
      action: 'console-user-change',
      userId: user.id,
      detail: `update:${user.id}:password=changed${user.mustChangePassword ? ',must-change=false' : ''}`,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return jsonError(
      new AppError('audit-unavailable', 'The password was changed, but the audit log could not record it.'),
    );
  }
  return jsonResponse({ user: after });
}
