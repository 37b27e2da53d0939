import 'server-only';
import type { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { recordConsole } from './console-audit';
import { refuseConsoleCrossSite, type ConsoleRouteDeps } from './route-deps';
import { UserStoreError, type ConsoleUser } from './users';

/** What a change to one's own account did, for the answer and the audit record (`update:<id>:<what>`). */
export interface OwnChange {
  readonly after: ConsoleUser;
  readonly what: string;
}

/**
 * A console user's change to their own account (password, second factor):
 * same-origin only, signed in, a valid body; the change is recorded as
 * `console-user-change` before it is answered. `change` answers a refusal
 * itself, or throws a UserStoreError whose `invalid` message is the user's.
 */
export async function ownAccountRoute<S extends z.ZodType>(
  req: Request,
  deps: ConsoleRouteDeps,
  opts: {
    readonly schema: S;
    /** Said when the body does not parse. */
    readonly help: string;
    readonly change: (user: ConsoleUser, body: z.infer<S>) => Promise<OwnChange | Response>;
    /** Said when the change was made but could not be recorded. */
    readonly unrecorded: string;
  },
): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseConsoleCrossSite(req, deps);
  const user = await deps.currentUser();
  if (!user) return jsonError(new AppError('unauthenticated', 'Sign in to the audit console first.'));
  const body = opts.schema.safeParse(await req.json().catch(() => null));
  if (!body.success) return jsonError(new AppError('bad-request', opts.help));
  let done: OwnChange | Response;
  try {
    done = await opts.change(user, body.data);
  } catch (e) {
    if (e instanceof UserStoreError && e.code === 'invalid')
      return jsonError(new AppError('bad-request', e.message));
    return jsonError(e);
  }
  if (done instanceof Response) return done;
  try {
    await recordConsole(deps.audit, {
      action: 'console-user-change',
      userId: user.id,
      detail: `update:${user.id}:${done.what}`,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return jsonError(new AppError('audit-unavailable', opts.unrecorded));
  }
  return jsonResponse({ user: done.after });
}
