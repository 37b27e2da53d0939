import 'server-only';
import { env } from '../env';
import { processSingleton } from '../process-singleton';
import { backendAccessToken } from '../smart/backend-services';
import { registrations } from '../smart/registrations';
import { TimedCache } from './cached';
import { consoleUserRef } from './console-audit';
import { consoleUsers } from './deps';
import { practitionerNames } from './practitioner-names';
import type { ConsoleNames } from './user-label';

const practitionerCache = processSingleton('practitioner-names', () => new TimedCache<string>(10 * 60_000));

/** `console-user/<id>` → username, for every console account. */
export async function consoleUserNames(): Promise<ConsoleNames> {
  const users = await (await consoleUsers()).list();
  return Object.fromEntries(users.map((u) => [consoleUserRef(u.id), u.username]));
}

/** Names for the people the console shows: console accounts, and practitioners as their EHR names them. */
export async function peopleNames(refs: Iterable<string>): Promise<ConsoleNames> {
  const [practitioners, consoleNames] = await Promise.all([
    practitionerNames(
      {
        registrations: registrations(),
        cache: practitionerCache,
        token: (reg) => backendAccessToken(reg, { clientKeyPem: env().secrets.smartClientKey }),
      },
      refs,
    ),
    consoleUserNames(),
  ]);
  return { ...practitioners, ...consoleNames };
}
