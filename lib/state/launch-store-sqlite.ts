import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { queuedLock, sha256, type LaunchStore, type StoredLaunch } from './launch-store';
import type { SqliteDatabase, SqliteRow } from '../sqlite';

/**
 * The embedded launch store on SQLite: one process, one file under the data directory (or memory). The same
 * contract as the PostgreSQL store (lib/state/launch-store.test.ts runs one suite on both); times are
 * milliseconds since the epoch, the handle only as its SHA-256. A commit is on disk (write-ahead log,
 * synchronous=FULL) before it is acknowledged, so a launch signed out stays ended after a crash. The one
 * exception is the idle clock (`touch`, see relaxed below).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS launches (
    launch_id text PRIMARY KEY,
    handle_hash blob NOT NULL CHECK (length(handle_hash) = 32),
    sealed text NOT NULL,
    framed integer NOT NULL,
    patient_id text,
    patient_mac blob,
    created_at integer NOT NULL,
    last_seen_at integer NOT NULL,
    expires_at integer NOT NULL,
    ended_at integer,
    ended_reason text
  ) STRICT;
  CREATE INDEX IF NOT EXISTS launches_expires ON launches (expires_at);
  CREATE TABLE IF NOT EXISTS used_states (state_hash blob PRIMARY KEY, expires_at integer NOT NULL) STRICT;
  CREATE INDEX IF NOT EXISTS used_states_expires ON used_states (expires_at);
`;

type Open = new (file: string) => SqliteDatabase;

/** Opens (creating when absent, readable by this user only) the store in `file`, or in memory for ':memory:'. */
export function openSqliteLaunchStore(DatabaseSync: Open, file: string): LaunchStore {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // SQLite gives its write-ahead log the database file's mode.
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new DatabaseSync(file);
  try {
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;`);
    db.exec(SCHEMA);
  } catch (e) {
    db.close();
    throw e;
  }
  return sqliteLaunchStore(db);
}

const changed = (r: { changes: number | bigint }): boolean => Number(r.changes) === 1;
const bytes = (v: unknown): Buffer => Buffer.from(v as Uint8Array);
const millis = (v: unknown): number => Number(v);

function sqliteLaunchStore(db: SqliteDatabase): LaunchStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO launches (launch_id, handle_hash, sealed, framed, patient_id, patient_mac, created_at,
         last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    row: db.prepare(`SELECT * FROM launches WHERE launch_id = ?`),
    touch: db.prepare(
      `UPDATE launches SET last_seen_at = max(last_seen_at, ?) WHERE launch_id = ? AND ended_at IS NULL`,
    ),
    reseal: db.prepare(`UPDATE launches SET sealed = ? WHERE launch_id = ? AND ended_at IS NULL`),
    bind: db.prepare(
      `UPDATE launches SET patient_id = ?, patient_mac = ?
        WHERE launch_id = ? AND ended_at IS NULL AND patient_id IS NULL`,
    ),
    end: db.prepare(
      `UPDATE launches SET ended_at = ?, ended_reason = ? WHERE launch_id = ? AND ended_at IS NULL`,
    ),
    summaries: db.prepare(
      `SELECT launch_id, framed, last_seen_at, expires_at, ended_at FROM launches
        WHERE launch_id IN (SELECT value FROM json_each(?))`,
    ),
    overdue: db.prepare(
      `SELECT launch_id, sealed, patient_id, patient_mac, created_at, last_seen_at FROM launches
        WHERE ended_at IS NULL AND (last_seen_at < ? OR created_at < ?) ORDER BY last_seen_at LIMIT ?`,
    ),
    claim: db.prepare(
      `INSERT INTO used_states (state_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    ping: db.prepare(`SELECT 1 FROM launches LIMIT 1`),
    purgeLaunches: db.prepare(`DELETE FROM launches WHERE expires_at < ?`),
    purgeStates: db.prepare(`DELETE FROM used_states WHERE expires_at < ?`),
  };
  const reseal = (launchId: string, sealed: string): boolean => changed(q.reseal.run(sealed, launchId));
  const read = (launchId: string): SqliteRow | undefined => q.row.get(launchId);
  // Every request of a chart moves its launch's idle clock, and a commit that waits for the disk holds this
  // thread (and every other request) for that long: 0.1–0.4 ms here, several on shared virtual disks. The idle
  // clock alone is committed without the wait (synchronous=NORMAL). What a power cut can lose is its last moves,
  // which only makes the launch look idle sooner; a process that dies loses nothing (the log is written, not yet
  // flushed), and the next commit that waits (a new launch, a sign-out) flushes the earlier ones with it.
  const relaxed = <T>(work: () => T): T => {
    db.exec('PRAGMA synchronous = NORMAL');
    try {
      return work();
    } finally {
      db.exec('PRAGMA synchronous = FULL');
    }
  };
  let closed = false;
  // Each call runs on this thread in one step; async only to keep the store's contract.
  const run = <T>(work: () => T): Promise<T> =>
    Promise.resolve().then(() => {
      if (closed) throw new Error('The launch store is closed');
      return work();
    });
  return {
    create: (l) =>
      run(() => {
        q.insert.run(
          l.launchId,
          sha256(l.handle),
          l.sealed,
          l.framed ? 1 : 0,
          l.patientId ?? null,
          l.patientMac ?? null,
          l.createdAt,
          l.createdAt,
          l.expiresAt,
        );
      }),
    open: (launchId, handle) => run(() => storedLaunch(read(launchId), launchId, handle)),
    touch: (launchId, at) => run(() => relaxed(() => changed(q.touch.run(at, launchId)))),
    reseal: (launchId, sealed) => run(() => reseal(launchId, sealed)),
    bindPatient: (launchId, patientId, patientMac) =>
      run(() => changed(q.bind.run(patientId, patientMac, launchId))),
    end: (launchId, at, reason) => run(() => changed(q.end.run(at, reason, launchId))),
    isEnded: (launchId) =>
      run(() => {
        const row = read(launchId);
        return !row || row.ended_at !== null;
      }),
    summaries: (launchIds) =>
      run(() =>
        launchIds.length === 0
          ? []
          : q.summaries.all(JSON.stringify(launchIds)).map((r) => ({
              launchId: String(r.launch_id),
              framed: r.framed === 1,
              lastSeenAt: millis(r.last_seen_at),
              expiresAt: millis(r.expires_at),
              ...(r.ended_at !== null ? { endedAt: millis(r.ended_at) } : {}),
            })),
      ),
    overdue: (idleBefore, begunBefore, limit) =>
      run(() =>
        q.overdue.all(idleBefore, begunBefore, limit).map((r) => ({
          launchId: String(r.launch_id),
          sealed: String(r.sealed),
          ...(typeof r.patient_id === 'string' ? { patientId: r.patient_id } : {}),
          ...(r.patient_mac ? { patientMac: bytes(r.patient_mac) } : {}),
          createdAt: millis(r.created_at),
          lastSeenAt: millis(r.last_seen_at),
        })),
      ),
    claimState: (state, expiresAt) => run(() => changed(q.claim.run(sha256(state), expiresAt))),
    withLock: queuedLock(
      (launchId) =>
        run(() => {
          const row = read(launchId);
          return { sealed: row ? String(row.sealed) : undefined, ended: !row || row.ended_at !== null };
        }),
      (launchId, sealed) => run(() => reseal(launchId, sealed)),
    ),
    ping: () =>
      run(() => {
        q.ping.get();
      }),
    purge: (now) =>
      run(() => {
        q.purgeLaunches.run(now);
        q.purgeStates.run(now);
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function storedLaunch(
  row: SqliteRow | undefined,
  launchId: string,
  handle: string,
): StoredLaunch | undefined {
  if (!row || !timingSafeEqual(bytes(row.handle_hash), sha256(handle))) return undefined;
  return {
    launchId,
    sealed: String(row.sealed),
    ...(typeof row.patient_id === 'string' ? { patientId: row.patient_id } : {}),
    ...(row.patient_mac ? { patientMac: bytes(row.patient_mac) } : {}),
    framed: row.framed === 1,
    createdAt: millis(row.created_at),
    lastSeenAt: millis(row.last_seen_at),
    expiresAt: millis(row.expires_at),
    ...(row.ended_at !== null ? { endedAt: millis(row.ended_at) } : {}),
    ...(typeof row.ended_reason === 'string' ? { endedReason: row.ended_reason } : {}),
  };
}
