/**
 * The few SQL operations the audit store needs. Both PostgreSQL (pg Pool) and
 * PGlite implement it, so one store implementation serves both.
 */
export type Row = Record<string, unknown>;

export interface SqlClient {
  /**
   * `name` (PostgreSQL): the server keeps the statement parsed and planned per connection under
   * this name, so a hot statement is not parsed again on every call; one name, one text. PGlite
   * ignores it.
   */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], name?: string): Promise<R[]>;
  /**
   * PostgreSQL only: `COPY (query) TO STDOUT WITH (FORMAT binary)`, everything the server
   * sent as one buffer. COPY takes no bind parameters: each `$n` in `query` is replaced by
   * params[n-1] as a quoted literal. Reading many rows this way costs the server little more
   * than the scan (no text forms, no hex), and the bytes arrive as they are stored.
   * `expectBytes` sizes the buffer they are gathered in (it grows if needed).
   */
  copyOutBinary?(query: string, params: readonly (string | number)[], expectBytes?: number): Promise<Buffer>;
}

export interface SqlDriver extends SqlClient {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** int8 columns arrive as string (pg) or bigint (PGlite). */
export function toNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new TypeError('expected an integer column');
  return n;
}

/** bytea columns arrive as Buffer (pg) or Uint8Array (PGlite). */
export function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('expected a bytea column');
}

export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'string') return new Date(v);
  throw new TypeError('expected a timestamp column');
}
