import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from './auth-options';
import { recordRoleRefusal } from './console-audit';
import { consoleUsers, getAuditLog } from './deps';
import { pageSourceIp } from './page-context';
import { hasRole, type ConsoleRole } from './roles';
import type { ConsoleUser } from './users';

/**
 * Who is signed in to the console, checked on the server for every page and
 * route. The role is read from the account store on each request, so a role
 * change or a disabled account takes effect at once. A SMART launch cookie
 * grants nothing here: only a console session counts.
 */
export async function currentConsoleUser(): Promise<ConsoleUser | undefined> {
  const session = await getServerSession(authOptions());
  if (!session?.consoleUserId || session.expired) return undefined;
  const user = await (await consoleUsers()).get(session.consoleUserId);
  return user && !user.disabled ? user : undefined;
}

/** For pages: sends visitors without a session to sign in, and those without the role to the refusal page. */
export async function requireConsoleUser(role: ConsoleRole, returnTo = '/console'): Promise<ConsoleUser> {
  const user = await currentConsoleUser();
  if (!user) redirect(`/console/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  // After an admin's password reset, nothing but choosing a new password.
  if (user.mustChangePassword) redirect('/console/password');
  // Where the console requires a second factor, nothing but setting it up.
  if (user.mustEnrolSecondFactor) redirect('/console/second-factor');
  if (!hasRole(user.role, role)) {
    await recordRoleRefusal(
      await getAuditLog(),
      user,
      role,
      returnTo.split('?')[0] ?? '',
      await pageSourceIp(),
    );
    redirect('/console/forbidden');
  }
  return user;
}
