import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { recordConsole } from './console-audit';
import { CONSOLE_ROLES, type ConsoleRole } from './roles';
import { guardConsoleRoute, refuseConsoleCrossSite, type ConsoleRouteDeps } from './route-deps';
import { UserStoreError, type ConsoleUser } from './users';

const UPDATE_HELP =
  'Change a role or the disabled flag, end sessions, unlock sign-in, reset the password or the second factor.';
const RoleSchema = z.enum(CONSOLE_ROLES as [ConsoleRole, ...ConsoleRole[]]);
const CreateSchema = z.strictObject({
  username: z.string().min(2).max(63),
  role: RoleSchema,
  sso: z.boolean().optional(),
});
const UpdateSchema = z
  .strictObject({
    /** Every account has a role: an admin grants one, never "no role" (an unknown SSO user starts without). */
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    /** Refuse every current session of the account (it has to sign in again). */
    endSessions: z.literal(true).optional(),
    /** Forget the account's failed sign-ins, so it is no longer slowed down. */
    unlock: z.literal(true).optional(),
    /** A new random password, shown once in the answer, to be changed at the next sign-in; sessions end. */
    resetPassword: z.literal(true).optional(),
    /** Remove the account's TOTP second factor (a lost phone): it signs in with its password and enrols again. */
    resetSecondFactor: z.literal(true).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: UPDATE_HELP });
type Update = z.infer<typeof UpdateSchema>;

function storeError(e: unknown): Response {
  if (e instanceof UserStoreError) {
    const code = e.code === 'not-found' ? 'not-found' : e.code === 'invalid' ? 'bad-request' : 'forbidden';
    return jsonError(new AppError(code, e.message));
  }
  return jsonError(e);
}

async function admin(req: Request, deps: ConsoleRouteDeps) {
  if (!isSameOriginRequest(req, deps.env.APP_URL))
    return { response: await refuseConsoleCrossSite(req, deps) };
  return guardConsoleRoute(req, deps, 'admin');
}

/**
 * POST /api/console/users {username, role, sso?} — admin. The new password
 * is in this one response and nowhere else. Audited before it is answered.
 */
export async function createUserRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  const guard = await admin(req, deps);
  if ('response' in guard) return guard.response;
  const body = CreateSchema.safeParse(await req.json().catch(() => null));
  if (!body.success)
    return jsonError(new AppError('bad-request', 'Give a username (2–63 characters) and a role.'));
  const created = await orStoreError(() => deps.users.create(body.data));
  if (created instanceof Response) return created;
  const unrecorded = await recordUserChange(
    req,
    deps,
    guard.user.id,
    `create:${created.user.id}:role=${created.user.role ?? 'none'}${body.data.sso ? ':sso' : ''}`,
    'The account was created, but the audit log could not record it; disable it and try again later.',
  );
  if (unrecorded) return unrecorded;
  return jsonResponse(
    { user: created.user, ...(created.password ? { password: created.password } : {}) },
    201,
  );
}

/** Applies an admin's change; returns the account after it and what changed, for the audit record. */
async function applyUpdate(
  deps: ConsoleRouteDeps,
  id: string,
  data: Update,
): Promise<{ after: ConsoleUser; parts: string[]; password?: string }> {
  let after = await deps.users.get(id);
  if (!after) throw new UserStoreError('not-found', 'No such account.');
  const parts: string[] = [];
  if (data.role !== undefined || data.disabled !== undefined) {
    const change = await deps.users.update(id, {
      ...(data.role !== undefined ? { role: data.role } : {}),
      ...(data.disabled !== undefined ? { disabled: data.disabled } : {}),
    });
    if (data.role !== undefined)
      parts.push(`role=${change.before.role ?? 'none'}->${change.after.role ?? 'none'}`);
    if (data.disabled !== undefined)
      parts.push(`disabled=${change.before.disabled}->${change.after.disabled}`);
    after = change.after;
  }
  if (data.endSessions) {
    after = await deps.users.endSessions(id, new Date(deps.now?.() ?? Date.now()));
    parts.push('sessions=ended');
  }
  if (data.unlock) {
    await deps.signInThrottle?.clearAccount(after.username);
    parts.push('sign-in=unlocked');
  }
  if (data.resetSecondFactor) {
    after = await deps.users.resetSecondFactor(id, new Date(deps.now?.() ?? Date.now()));
    parts.push('second-factor=reset');
  }
  if (data.resetPassword) {
    const reset = await deps.users.resetPassword(id, new Date(deps.now?.() ?? Date.now()));
    parts.push('password=reset', 'must-change=true', 'sessions=ended');
    return { after: reset.user, parts, password: reset.password };
  }
  return { after, parts };
}

/** PATCH /api/console/users/{id} {role?, disabled?, endSessions?, unlock?, resetPassword?, resetSecondFactor?} — admin. */
export async function updateUserRoute(req: Request, id: string, deps: ConsoleRouteDeps): Promise<Response> {
  const guard = await admin(req, deps);
  if ('response' in guard) return guard.response;
  const body = UpdateSchema.safeParse(await req.json().catch(() => null));
  if (!body.success) return jsonError(new AppError('bad-request', UPDATE_HELP));
  const change = await orStoreError(() => applyUpdate(deps, id, body.data));
  if (change instanceof Response) return change;
  const unrecorded = await recordUserChange(
    req,
    deps,
    guard.user.id,
    `update:${id}:${change.parts.join(',')}`,
    'The change was made, but the audit log could not record it.',
  );
  if (unrecorded) return unrecorded;
  return jsonResponse({ user: change.after, ...(change.password ? { password: change.password } : {}) });
}

/** Records an admin's account change; an error answer (saying the change stands unrecorded) if the log refused. */
async function recordUserChange(
  req: Request,
  deps: ConsoleRouteDeps,
  adminId: string,
  detail: string,
  unrecordedMessage: string,
): Promise<Response | undefined> {
  try {
    await recordConsole(deps.audit, {
      action: 'console-user-change',
      userId: adminId,
      detail,
      sourceIp: clientAddress(req, deps.env),
    });
    return undefined;
  } catch {
    return jsonError(new AppError('audit-unavailable', unrecordedMessage));
  }
}

/** The account store's answer, or the error answer its refusal maps to. */
async function orStoreError<T extends object>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (e) {
    return storeError(e);
  }
}
