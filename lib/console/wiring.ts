import 'server-only';
import { env } from '../env';
import { registrations } from '../smart/registrations';
import { getLaunchStore, type LaunchStore } from '../state';
import { consoleUsers, getAuditLog, signInThrottle } from './deps';
import { currentConsoleUser } from './require-user';
import type { ConsoleRouteDeps } from './route-deps';

/** The production wiring of the console's routes. */
export async function consoleRouteDeps(): Promise<ConsoleRouteDeps & { readonly launches: LaunchStore }> {
  return {
    env: env(),
    audit: await getAuditLog(),
    currentUser: currentConsoleUser,
    users: await consoleUsers(),
    signInThrottle: signInThrottle(),
    registrations: registrations(),
    launches: await getLaunchStore(),
  };
}
