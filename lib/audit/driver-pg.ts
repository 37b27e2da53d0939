import pg from 'pg';
import type { Row, SqlClient, SqlDriver } from './driver';

/** PostgreSQL through a pg Pool. Transactions hold one pooled connection from BEGIN to COMMIT. */
export function pgDriver(connectionString: string, options: { max?: number } = {}): SqlDriver {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server must not crash the process; the next query fails and is reported.
  pool.on('error', () => undefined);
  const run = async <R extends Row>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ) => (await client.query<R>(sql, params ? [...params] : undefined)).rows;
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection dying mid-transaction surfaces as the failed query; the event itself needs no handling.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        broken = e;
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        // A connection that failed mid-transaction is discarded rather than reused.
        client.off('error', ignore);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
