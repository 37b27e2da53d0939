/**
 * SQLite as built into Node.js (`node:sqlite`, unflagged from Node.js 22.13): the embedded launch store's
 * engine where the runtime has it (lib/state), and the lock on an embedded database's directory
 * (lib/audit/dir-lock.ts). Only the calls they make are typed here.
 */

export type SqliteValue = null | number | bigint | string | Uint8Array;
export type SqliteRow = Record<string, SqliteValue>;

export interface SqliteStatement {
  run(...params: SqliteValue[]): { changes: number | bigint };
  get(...params: SqliteValue[]): SqliteRow | undefined;
  all(...params: SqliteValue[]): SqliteRow[];
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

interface SqliteModule {
  DatabaseSync: new (path: string) => SqliteDatabase;
}

const EXPERIMENTAL = /SQLite is an experimental feature/;

/**
 * The module, or undefined on a runtime without it (Node.js 20, or 22 before 22.13). Node.js 22 calls the
 * module experimental and says so on standard error when it loads; that one notice is left out, every
 * other warning passes.
 */
export function loadSqlite(): SqliteModule | undefined {
  if (loaded === null) loaded = load();
  return loaded;
}

let loaded: SqliteModule | undefined | null = null;

function load(): SqliteModule | undefined {
  const runtime = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof runtime.getBuiltinModule !== 'function') return undefined;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back exactly as it was
  const original = process.emitWarning;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (EXPERIMENTAL.test(typeof warning === 'string' ? warning : warning.message)) return;
    emitWarning(warning, ...rest);
  };
  try {
    const sqlite = runtime.getBuiltinModule('node:sqlite') as Partial<SqliteModule> | undefined;
    return typeof sqlite?.DatabaseSync === 'function' ? (sqlite as SqliteModule) : undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = original;
  }
}
