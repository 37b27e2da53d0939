import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { recordConsole } from './console-audit';
import { CONSOLE_ROLES, type ConsoleRole } from './roles';
import { guardConsoleUser, type ConsoleRouteDeps } from './route-deps';
import { UserStoreError } from './users';

const RoleSchema = z.enum(CONSOLE_ROLES as [ConsoleRole, ...ConsoleRole[]]);
const CreateSchema = z.strictObject({
  username: z.string().min(2).max(63),
  role: RoleSchema,
  sso: z.boolean().optional(),
});
const UpdateSchema = z
  .strictObject({ role: RoleSchema.nullable().optional(), disabled: z.boolean().optional() })
  .refine((c) => c.role !== undefined || c.disabled !== undefined, {
    message: 'Change a role or the disabled flag.',
  });

function storeError(e: unknown): Response {
  if (e instanceof UserStoreError) {
    const code = e.code === 'not-found' ? 'not-found' : e.code === 'invalid' ? 'bad-request' : 'forbidden';
    return jsonError(new AppError(code, e.message));
  }
  return jsonError(e);
}

async function admin(req: Request, deps: ConsoleRouteDeps) {
  if (!isSameOriginRequest(req, deps.env.APP_URL))
    return { response: jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.')) };
  return guardConsoleUser(await deps.currentUser(), 'admin');
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
  let created;
  try {
    created = await deps.users.create(body.data);
  } catch (e) {
    return storeError(e);
  }
  try {
    await recordConsole(deps.audit, {
      action: 'console-user-change',
      userId: guard.user.id,
      detail: `create:${created.user.id}:role=${created.user.role ?? 'none'}${body.data.sso ? ':sso' : ''}`,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return jsonError(
      new AppError(
        'audit-unavailable',
        'The account was created, but the audit log could not record it; disable it and try again later.',
      ),
    );
  }
  return jsonResponse(
    { user: created.user, ...(created.password ? { password: created.password } : {}) },
    201,
  );
}

/** PATCH /api/console/users/{id} {role?, disabled?} — admin. */
export async function updateUserRoute(req: Request, id: string, deps: ConsoleRouteDeps): Promise<Response> {
  const guard = await admin(req, deps);
  if ('response' in guard) return guard.response;
  const body = UpdateSchema.safeParse(await req.json().catch(() => null));
  if (!body.success) return jsonError(new AppError('bad-request', 'Change a role or the disabled flag.'));
  let change;
  try {
    change = await deps.users.update(id, body.data);
  } catch (e) {
    return storeError(e);
  }
  const parts = [
    ...(body.data.role !== undefined
      ? [`role=${change.before.role ?? 'none'}->${change.after.role ?? 'none'}`]
      : []),
    ...(body.data.disabled !== undefined
      ? [`disabled=${change.before.disabled}->${change.after.disabled}`]
      : []),
  ];
  try {
    await recordConsole(deps.audit, {
      action: 'console-user-change',
      userId: guard.user.id,
      detail: `update:${id}:${parts.join(',')}`,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return jsonError(
      new AppError('audit-unavailable', 'The change was made, but the audit log could not record it.'),
    );
  }
  return jsonResponse({ user: change.after });
}
