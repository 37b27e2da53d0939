import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { jsonError } from '../http/responses';
import { ownAccountRoute } from './own-account-route';
import type { ConsoleRouteDeps } from './route-deps';
import { checkTotpCode, openEnrolment, sealTotpSecret } from './second-factor';

const ConfirmSchema = z.strictObject({
  /** The sealed offer the enrolment page handed out (secret and account, expires). */
  enrolment: z.string().min(1).max(4096),
  code: z.string().min(1).max(16),
});

/**
 * POST /api/console/second-factor {enrolment, code}: a local account confirms
 * the secret its authenticator app now holds with a current code. The secret
 * is stored sealed, the confirming code's step spent; recorded as
 * `console-user-change` before it is answered.
 */
export function confirmSecondFactorRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  return ownAccountRoute(req, deps, {
    schema: ConfirmSchema,
    help: 'Give the code your authenticator app shows.',
    unrecorded: 'The second factor was set up, but the audit log could not record it.',
    change: async (user, body) => {
      const key = deps.env.secrets.sessionSecret;
      const secret = await openEnrolment(body.enrolment, user.id, key);
      if (secret === undefined)
        return jsonError(
          new AppError('bad-request', 'This offer has expired. Reload the page for a new one.'),
        );
      const nowMs = deps.now?.() ?? Date.now();
      const check = await checkTotpCode(secret, body.code, { nowMs });
      if (!check.ok)
        return jsonError(
          new AppError(
            'bad-request',
            'That code is not right. Check the app’s clock and enter the current code.',
          ),
        );
      const sealed = await sealTotpSecret(secret, user.id, key);
      return {
        after: await deps.users.enrolSecondFactor(user.id, sealed, check.step, new Date(nowMs)),
        what: 'second-factor=enrolled',
      };
    },
  });
}
