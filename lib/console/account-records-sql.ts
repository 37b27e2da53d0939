import type { SqlDriver } from '../audit/driver';
import { parseAccountRecords, type AccountRecords, type UserRecord } from './users';

/** Serialises account changes across every app server sharing the database. */
const ACCOUNTS_LOCK = 7420118;

/**
 * Console accounts in the shared state database (schema `app_state`, the
 * launch store's login, never the audit login): one JSON record per account,
 * every change a transaction under one lock, so an account disabled, reset or
 * signed out on one app server is refused on all the others at once.
 */
export function sqlAccountRecords(driver: SqlDriver): AccountRecords {
  const read = async (q: Pick<SqlDriver, 'query'>): Promise<UserRecord[]> =>
    parseAccountRecords(
      (
        await q.query<{ record: unknown }>(
          `SELECT record FROM app_state.console_users ORDER BY record->>'createdAt', id`,
        )
      ).map((r) => r.record),
    );
  return {
    load: () => read(driver),
    mutate: (change) =>
      driver.transaction(async (tx) => {
        if (driver.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${ACCOUNTS_LOCK})`);
        const { users, result } = await change(await read(tx));
        await tx.query(`DELETE FROM app_state.console_users WHERE NOT (id = ANY($1::text[]))`, [
          users.map((u) => u.id),
        ]);
        for (const u of users) {
          await tx.query(
            `INSERT INTO app_state.console_users (id, record) VALUES ($1, $2::jsonb)
             ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
            [u.id, JSON.stringify(u)],
          );
        }
        return result;
      }),
  };
}
