import 'server-only';
import { z } from 'zod';
import { ownAccountRoute } from './own-account-route';
import type { ConsoleRouteDeps } from './route-deps';

const ChangeSchema = z.strictObject({
  current: z.string().min(1).max(256),
  next: z.string().min(1).max(256),
});

/**
 * POST /api/console/password {current, next}: a console user chooses a new
 * password (required after an admin's reset, allowed any time). Every session
 * of the account ends, the one that made the change too (it signs in again with
 * the new password). Recorded as `console-user-change` before it is answered.
 */
export function changePasswordRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  return ownAccountRoute(req, deps, {
    schema: ChangeSchema,
    help: 'Give the current password and the new one.',
    unrecorded: 'The password was changed, but the audit log could not record it.',
    change: async (user, body) => ({
      after: await deps.users.changePassword(
        user.id,
        body.current,
        body.next,
        new Date(deps.now?.() ?? Date.now()),
      ),
      what: `password=changed${user.mustChangePassword ? ',must-change=false' : ''},sessions=ended`,
    }),
  });
}
