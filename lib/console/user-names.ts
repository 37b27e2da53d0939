import 'server-only';
import { consoleUserRef } from './console-audit';
import { consoleUsers } from './deps';
import type { ConsoleNames } from './user-label';

/** `console-user/<id>` → username, for every console account. */
export async function consoleUserNames(): Promise<ConsoleNames> {
  const users = await (await consoleUsers()).list();
  return Object.fromEntries(users.map((u) => [consoleUserRef(u.id), u.username]));
}
