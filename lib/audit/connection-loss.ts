/**
 * A statement that failed because the connection to PostgreSQL went away (the
 * primary died, was shut down, or is being replaced by its standby), as
 * opposed to one the server refused. Its outcome is unknown: it may have
 * committed before the connection dropped.
 */
const LOST_SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (a standby being promoted)
  '25006', // read_only_sql_transaction (reached a server that is no longer the primary)
]);
const LOST_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
// node-postgres reports a socket closed under a query with these messages and no code.
const LOST_MESSAGE =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i;

export function isConnectionLoss(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return LOST_SQLSTATES.has(code) || LOST_ERRNOS.has(code);
  return LOST_MESSAGE.test(e.message);
}

/** How long a retry waits for the standby to take over (or the pool to reconnect). */
export const RETRY_AFTER_LOSS_MS = 1_000;

/**
 * Runs `work`, and once more on a connection loss, after a pause: the pool
 * then connects afresh, through a multi-host URL to the new primary. Only for
 * work that is safe to run twice: reads, and writes whose second run leaves
 * the same state and says the same thing (see the launch store), or with a
 * `retryWork` that makes it so: an audit append is looked for in the log
 * before it is offered again (lib/audit/append-batch.ts).
 */
export async function retryOnConnectionLoss<T>(
  work: () => Promise<T>,
  opts: { readonly delayMs?: number; readonly retryWork?: () => Promise<T> } = {},
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isConnectionLoss(e)) throw e;
    await new Promise((r) => setTimeout(r, opts.delayMs ?? RETRY_AFTER_LOSS_MS));
    return (opts.retryWork ?? work)();
  }
}
