import 'server-only';
import { env } from '../env';
import { processSingleton } from '../process-singleton';
import { backendAccessToken } from '../smart/backend-services';
import { oauthDepsFrom, type OAuthDeps } from '../smart/oauth-client';
import { registrations, type EhrRegistration } from '../smart/registrations';
import { TimedCache } from './cached';
import { consoleUserRef } from './console-audit';
import { consoleUsers } from './deps';
import { practitionerNames } from './practitioner-names';
import type { ConsoleNames } from './user-label';
import type { ConsoleUserStore } from './users';

const practitionerCache = processSingleton('practitioner-names', () => new TimedCache<string>(10 * 60_000));

export interface NameSources {
  readonly registrations: readonly EhrRegistration[];
  readonly users: Pick<ConsoleUserStore, 'list'>;
  /** The app's private key and http policy for SMART Backend Services tokens. */
  readonly oauth: OAuthDeps;
  readonly fetch?: typeof fetch;
}

/** Names for the people the console shows: console accounts by username, practitioners as their EHR names them. */
export async function peopleNames(refs: Iterable<string>, src: NameSources): Promise<ConsoleNames> {
  const [practitioners, users] = await Promise.all([
    practitionerNames(
      {
        registrations: src.registrations,
        cache: practitionerCache,
        token: (reg) => backendAccessToken(reg, src.oauth),
        ...(src.fetch ? { fetch: src.fetch } : {}),
      },
      refs,
    ),
    src.users.list(),
  ]);
  return { ...practitioners, ...Object.fromEntries(users.map((u) => [consoleUserRef(u.id), u.username])) };
}

/** `peopleNames` with this app server's registrations and accounts, for pages. */
export async function pageNames(refs: Iterable<string>): Promise<ConsoleNames> {
  return peopleNames(refs, {
    registrations: registrations(),
    users: await consoleUsers(),
    oauth: oauthDepsFrom(env()),
  });
}
