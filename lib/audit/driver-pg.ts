import pg from 'pg';
import type { Row, SqlClient, SqlDriver } from './driver';

/**
 * A page is read into shared memory: a checking thread is handed the very bytes (check-pool.ts), where a page in a
 * private buffer is copied into shared memory first (a fresh copy of every byte verify reads).
 */
const sharedBytes = (size: number): Buffer => Buffer.from(new SharedArrayBuffer(size));

/**
 * A COPY ... TO STDOUT run on one connection (pg has no COPY of its own): the
 * CopyData messages are copied out as they come (pg reuses the buffer they sit
 * in); ReadyForQuery settles it.
 */
class CopyOut {
  private data: Buffer;
  private length = 0;
  private error: unknown;
  private settled = false;
  readonly done: Promise<Buffer>;
  private finish!: (e: unknown, data?: Buffer) => void;
  constructor(
    private readonly text: string,
    expectBytes: number,
  ) {
    this.data = sharedBytes(Math.max(1024, Math.min(expectBytes, 64 * 1024 * 1024)));
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.finish = (e, data) => {
        if (this.settled) return;
        this.settled = true;
        if (data) resolve(data);
        else reject(e instanceof Error ? e : new Error(String(e)));
      };
    });
  }
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyData(msg: { chunk: Buffer }): void {
    const need = this.length + msg.chunk.length;
    if (need > this.data.length) {
      const grown = sharedBytes(Math.max(need, Math.ceil(this.data.length * 1.5)));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    // One message per row: the typed array's own copy, without Buffer.copy's checks on every call.
    this.data.set(msg.chunk, this.length);
    this.length = need;
  }
  handleError(e: unknown): void {
    this.error = e;
    this.finish(e);
  }
  handleReadyForQuery(): void {
    if (this.error) this.finish(this.error);
    else this.finish(undefined, this.data.subarray(0, this.length));
  }
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: { sendCopyFail(m: string): void }): void {
    connection.sendCopyFail('not a COPY FROM');
  }
}

const literal = (v: string | number): string => {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError('COPY parameters are integers or text');
    return String(v);
  }
  return pg.escapeLiteral(v);
};

/** SqlClient.copyOutBinary on one connection. */
function copyOut(
  client: pg.PoolClient,
  query: string,
  params: readonly (string | number)[],
  expectBytes = 64 * 1024,
): Promise<Buffer> {
  const sql = `COPY (${query.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (v === undefined) throw new RangeError(`no value for $${n}`);
    return literal(v);
  })}) TO STDOUT WITH (FORMAT binary)`;
  const copy = new CopyOut(sql, expectBytes);
  // pg runs any object with submit() as a query on this connection, after those queued before it.
  void client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}

/**
 * Runs statements on one connection one after another, in the order they were asked for. A transaction's
 * callers may ask for several at once (verification reads the next pages while it checks one); pg 8 would
 * queue them too, but warns that pg 9 refuses a statement while another is running.
 */
function inOrder(): <T>(statement: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (statement) => {
    const result = last.then(statement);
    last = result.catch(() => undefined);
    return result;
  };
}

export interface PgDriverOptions {
  /** Connections at most; default 10. */
  readonly max?: number;
  /**
   * Connections kept open while idle; default up to 4. A new connection costs a backend start and a
   * password exchange (about 20 ms on a small server), which the first requests after a quiet spell
   * would otherwise wait for.
   */
  readonly keepOpen?: number;
  /** How long a connection beyond `keepOpen` may sit idle before it is closed; default 10 s, 0 never. */
  readonly idleTimeoutMillis?: number;
}

/**
 * PostgreSQL through a pg Pool. Transactions hold one pooled connection from BEGIN to COMMIT.
 * Connections carry TCP keep-alives after a quiet minute, so a firewall that drops quiet
 * connections does not silently cut the ones kept open, and a server that vanished is noticed.
 */
export function pgDriver(connectionString: string, options: PgDriverOptions = {}): SqlDriver {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString,
    max,
    min: Math.min(max, options.keepOpen ?? 4),
    keepAlive: true,
    keepAliveInitialDelayMillis: 60_000,
    // Connections kept open never keep the process alive by themselves (a command that forgot to close still ends).
    allowExitOnIdle: true,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
  });
  // An idle client losing its server must not crash the process; the next query fails and is reported.
  pool.on('error', () => undefined);
  const run = async <R extends Row>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
    name?: string,
  ) => {
    const values = params ? [...params] : undefined;
    return (await (name ? client.query<R>({ name, text: sql, values }) : client.query<R>(sql, values))).rows;
  };
  return {
    kind: 'postgres',
    query: (sql, params, name) => run(pool, sql, params, name),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection dying mid-transaction surfaces as the failed query; the event itself needs no handling.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      let broken: unknown;
      const next = inOrder();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params, name) => next(() => run(client, sql, params, name)),
          copyOutBinary: (query, params, expectBytes) =>
            next(() => copyOut(client, query, params, expectBytes)),
        });
        await next(() => client.query('COMMIT'));
        return result;
      } catch (e) {
        broken = e;
        // After whatever the callback left running on the connection.
        await next(() => client.query('ROLLBACK')).catch(() => undefined);
        throw e;
      } finally {
        // A connection that failed mid-transaction is discarded rather than reused.
        client.off('error', ignore);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async copyOutBinary(query, params, expectBytes) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        return await copyOut(client, query, params, expectBytes);
      } catch (e) {
        broken = e;
        throw e;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
