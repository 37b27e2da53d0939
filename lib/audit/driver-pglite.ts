import { PGlite } from '@electric-sql/pglite';
import type { Row, SqlClient, SqlDriver } from './driver';

/** The embedded default: PGlite persisted in a directory (one process at a time). */
export async function pgliteDriver(dataDir: string | undefined): Promise<SqlDriver> {
  // relaxedDurability stays off: a commit is flushed before it is acknowledged.
  const db = await PGlite.create({ dataDir, relaxedDurability: false });
  return {
    kind: 'pglite',
    query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
      (await db.query<R>(sql, params ? [...params] : undefined)).rows,
    async exec(sql) {
      await db.exec(sql);
    },
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>) =>
      db.transaction(async (tx) =>
        fn({
          query: async <R extends Row>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<R>(sql, params ? [...params] : undefined)).rows,
        }),
      ),
    close: () => db.close(),
  };
}
