import 'server-only';
import path from 'node:path';
import { getAuditLog } from '../audit';
import { env } from '../env';
import { processSingleton } from '../process-singleton';
import { SignInThrottle } from './sign-in-throttle';
import { pgDriver } from '../audit/driver-pg';
import { sharedFailureCounts } from '../state';
import { migrateState } from '../state/schema';
import { sqlAccountRecords } from './account-records-sql';
import { ConsoleUserStore, type AccountRecords } from './users';

async function sharedAccounts(url: string): Promise<AccountRecords> {
  const driver = pgDriver(url, { max: 2 });
  await migrateState(driver);
  return sqlAccountRecords(driver);
}

// Process-wide handles (a file path and failure counters), never request data: shared by every route bundle.
const holder = processSingleton(
  'console',
  (): { users?: Promise<ConsoleUserStore>; throttle?: SignInThrottle } => ({}),
);

/**
 * The console's account store. On the very first run it creates `admin`:
 * with CONSOLE_ADMIN_PASSWORD when set, else with a random password written
 * once to this process's standard output — never to a log file — and kept
 * only as a hash.
 */
export function consoleUsers(): Promise<ConsoleUserStore> {
  holder.users ??= (async () => {
    const e = env();
    // Several app servers share one state database, and with it one set of accounts.
    const store = new ConsoleUserStore(
      e.STATE_DATABASE_URL
        ? await sharedAccounts(e.STATE_DATABASE_URL)
        : path.join(e.dataDir, 'console-users.json'),
      { requireSecondFactor: e.CONSOLE_REQUIRE_SECOND_FACTOR === 'true' },
    );
    await store.ensureAdmin({
      ...(e.CONSOLE_ADMIN_PASSWORD !== undefined ? { password: e.CONSOLE_ADMIN_PASSWORD } : {}),
      reveal: (password) =>
        process.stdout.write(
          `\nAudit console: created the account "admin" with the password\n\n    ${password}\n\n` +
            `It is shown only this once, and opens only the page to choose another: sign in at\n` +
            `${e.APP_URL}/console/sign-in, choose it, and create personal accounts.\n\n`,
        ),
    });
    return store;
  })().catch((e: unknown) => {
    holder.users = undefined;
    throw e;
  });
  return holder.users;
}

/** The sign-in throttle: per-address limit, per-account delay, counted across the pool (see SignInThrottle). */
export function signInThrottle(): SignInThrottle {
  const e = env();
  if (!holder.throttle) {
    const counts = sharedFailureCounts();
    holder.throttle = new SignInThrottle(
      { addressMaxFailures: e.CONSOLE_LOGIN_MAX_FAILURES, windowMs: e.CONSOLE_LOGIN_WINDOW_MINUTES * 60_000 },
      counts ? { counts } : undefined,
    );
  }
  return holder.throttle;
}

export { getAuditLog };
