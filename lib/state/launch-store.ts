import { createHash, timingSafeEqual } from 'node:crypto';
import { toBuffer, toDate, type SqlClient, type SqlDriver } from '../audit/driver';
import { retryOnConnectionLoss } from '../audit/connection-loss';

/**
 * Where launches live on the server. The browser holds only a random handle
 * per launch; the session with its tokens stays here, sealed. A launch that
 * was signed out stays recorded as ended until it would have expired, so no
 * cookie, however old, opens it again.
 */

export interface StoredLaunch {
  readonly launchId: string;
  readonly sealed: string;
  /** The patient the launch is bound to; absent until one is chosen. */
  readonly patientId?: string;
  /** The keyed MAC the app wrote with the patient (checked by lib/smart/session.ts). */
  readonly patientMac?: Buffer;
  readonly framed: boolean;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly endedAt?: number;
  readonly endedReason?: string;
}

export interface LaunchSummary {
  readonly launchId: string;
  readonly framed: boolean;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  /** When it ended; absent while it runs. */
  readonly endedAt?: number;
}

export interface NewLaunch {
  readonly launchId: string;
  readonly handle: string;
  readonly sealed: string;
  readonly patientId?: string;
  readonly patientMac?: Buffer;
  readonly framed: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A launch still open past its idle or absolute limit (`LaunchStore.overdue`). */
export type OverdueLaunch = Pick<
  StoredLaunch,
  'launchId' | 'sealed' | 'patientId' | 'patientMac' | 'createdAt' | 'lastSeenAt'
>;

export interface LaunchStore {
  create(launch: NewLaunch): Promise<void>;
  /** The launch when `handle` is its handle; undefined for an unknown launch or a wrong handle. */
  open(launchId: string, handle: string): Promise<StoredLaunch | undefined>;
  /** Marks the launch used now; false when it has ended (or never existed). */
  touch(launchId: string, at: number): Promise<boolean>;
  /** Replaces the sealed session (new tokens); false when the launch has ended. */
  reseal(launchId: string, sealed: string): Promise<boolean>;
  /** Binds a launch that has no patient yet; false when it already has one or has ended. Never rebinds. */
  bindPatient(launchId: string, patientId: string, patientMac: Buffer): Promise<boolean>;
  /** Ends the launch for good; false when it had already ended or does not exist. */
  end(launchId: string, at: number, reason: string): Promise<boolean>;
  isEnded(launchId: string): Promise<boolean>;
  summaries(launchIds: readonly string[]): Promise<LaunchSummary[]>;
  /** True the first time a `state` value is claimed, false on any replay before `expiresAt`. */
  claimState(state: string, expiresAt: number): Promise<boolean>;
  /**
   * Runs `fn` while holding the launch: no other instance runs `withLock` on it
   * meanwhile, so they wait and then see what `fn` stored. `fn` gets the launch
   * as stored now and may reseal it before the lock is released.
   */
  withLock<T>(launchId: string, fn: (launch: LockedLaunch) => Promise<T>): Promise<T>;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  /**
   * Launches not ended that were last used before `idleBefore` or begun before `begunBefore`, at most
   * `limit`, longest unused first: ended at their limit, not at a request that may never come
   * (lib/smart/overdue.ts).
   */
  overdue(idleBefore: number, begunBefore: number, limit: number): Promise<OverdueLaunch[]>;
  /** Forgets launches and states past their expiry. */
  purge(now: number): Promise<void>;
  close(): Promise<void>;
}

export interface LockedLaunch {
  /** The sealed session as stored now; undefined for an unknown launch. */
  readonly sealed: string | undefined;
  readonly ended: boolean;
  /** Replaces the sealed session inside the lock; false when the launch has ended. */
  reseal(sealed: string): Promise<boolean>;
}

/** How long an instance waits for another one's refresh before giving up (the EHR call has its own timeout). */
const LOCK_WAIT = '20s';

export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const iso = (ms: number): string => new Date(ms).toISOString();

const RESEAL = `UPDATE app_state.launches SET sealed = $2
  WHERE launch_id = $1 AND ended_at IS NULL RETURNING 1 AS ok`;

async function readLocked(
  db: SqlClient,
  launchId: string,
  forUpdate: boolean,
): Promise<Omit<LockedLaunch, 'reseal'>> {
  const [row] = await db.query(
    `SELECT sealed, ended_at FROM app_state.launches WHERE launch_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [launchId],
  );
  return { sealed: row ? (row.sealed as string) : undefined, ended: !row || row.ended_at !== null };
}

/**
 * PostgreSQL serves many instances: the launch's row lock (SELECT … FOR UPDATE)
 * is held for the whole of `fn`. PGlite serves one process: a queue per launch
 * in this process is the same guarantee, with no transaction held open.
 */
function launchLock(driver: SqlDriver): LaunchStore['withLock'] {
  if (driver.kind === 'postgres') {
    return (launchId, fn) =>
      driver.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
        const current = await readLocked(tx, launchId, true);
        return fn({
          ...current,
          reseal: async (sealed) => (await tx.query(RESEAL, [launchId, sealed])).length === 1,
        });
      });
  }
  return queuedLock(
    (launchId) => readLocked(driver, launchId, false),
    async (launchId, sealed) => (await driver.query(RESEAL, [launchId, sealed])).length === 1,
  );
}

/**
 * A lock per launch for a store that one process serves: calls on one launch run one after another in this
 * process, with no transaction held open while `fn` runs.
 */
export function queuedLock(
  read: (launchId: string) => Promise<Omit<LockedLaunch, 'reseal'>>,
  reseal: (launchId: string, sealed: string) => Promise<boolean>,
): LaunchStore['withLock'] {
  const queues = new Map<string, Promise<unknown>>();
  return async (launchId, fn) => {
    const before = queues.get(launchId) ?? Promise.resolve();
    const mine = before.then(async () =>
      fn({ ...(await read(launchId)), reseal: (s) => reseal(launchId, s) }),
    );
    const settled = mine.catch(() => undefined);
    queues.set(launchId, settled);
    try {
      return await mine;
    } finally {
      if (queues.get(launchId) === settled) queues.delete(launchId);
    }
  };
}

/**
 * Launches, ended launches and used OAuth states. When the connection to PostgreSQL is lost (the
 * primary died and its standby takes over), a statement whose second run is harmless is run once
 * more on the new primary: the reads, `touch` and `reseal` (they set the same values again), and
 * `create`, `bindPatient` and `end`, whose retry accepts the row its first run may already have
 * written (the launch id, the patient and the end are unique to the caller). Two are never retried:
 * `claimState`, because a state its first run may have claimed is indistinguishable from a replay
 * (the sign-in fails and is started again, never accepted twice), and `withLock`, whose work may
 * have called the EHR (a refresh token used twice is a refresh refused).
 */
export function createSqlLaunchStore(
  driver: SqlDriver,
  opts: { readonly retryDelayMs?: number } = {},
): LaunchStore {
  const again = <T>(work: () => Promise<T>, retryWork?: () => Promise<T>): Promise<T> =>
    retryOnConnectionLoss(work, {
      ...(opts.retryDelayMs !== undefined ? { delayMs: opts.retryDelayMs } : {}),
      ...(retryWork ? { retryWork } : {}),
    });
  return {
    withLock: launchLock(driver),
    async create(l) {
      const insert = async (): Promise<void> => {
        await driver.query(
          `INSERT INTO app_state.launches
             (launch_id, handle_hash, sealed, framed, patient_id, patient_mac, created_at, last_seen_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
          [
            l.launchId,
            sha256(l.handle),
            l.sealed,
            l.framed,
            l.patientId ?? null,
            l.patientMac ?? null,
            iso(l.createdAt),
            iso(l.expiresAt),
          ],
        );
      };
      await again(insert, async () => {
        try {
          await insert();
        } catch (e) {
          // The first run committed before the connection dropped: the row is this launch's own.
          const [row] = await driver.query(
            `SELECT handle_hash FROM app_state.launches WHERE launch_id = $1`,
            [l.launchId],
          );
          if (!row || !toBuffer(row.handle_hash).equals(sha256(l.handle))) throw e;
        }
      });
    },
    open: (launchId, handle) => again(() => openRow(driver, launchId, handle)),
    touch: (launchId, at) =>
      again(async () => {
        const rows = await driver.query(
          `UPDATE app_state.launches SET last_seen_at = greatest(last_seen_at, $2)
            WHERE launch_id = $1 AND ended_at IS NULL RETURNING 1 AS ok`,
          [launchId, iso(at)],
        );
        return rows.length === 1;
      }),
    reseal: (launchId, sealed) =>
      again(async () => (await driver.query(RESEAL, [launchId, sealed])).length === 1),
    bindPatient: (launchId, patientId, patientMac) => {
      const bind = (orAlready: boolean) => async () =>
        (
          await driver.query(
            `UPDATE app_state.launches SET patient_id = $2, patient_mac = $3
              WHERE launch_id = $1 AND ended_at IS NULL
                AND (patient_id IS NULL${orAlready ? ' OR (patient_id = $2 AND patient_mac = $3)' : ''})
              RETURNING 1 AS ok`,
            [launchId, patientId, patientMac],
          )
        ).length === 1;
      return again(bind(false), bind(true));
    },
    end: (launchId, at, reason) => {
      const end = (orAlready: boolean) => async () =>
        (
          await driver.query(
            `UPDATE app_state.launches SET ended_at = $2, ended_reason = $3
              WHERE launch_id = $1
                AND (ended_at IS NULL${orAlready ? ' OR (ended_at = $2 AND ended_reason = $3)' : ''})
              RETURNING 1 AS ok`,
            [launchId, iso(at), reason],
          )
        ).length === 1;
      return again(end(false), end(true));
    },
    isEnded: (launchId) =>
      again(async () => {
        const [row] = await driver.query(`SELECT ended_at FROM app_state.launches WHERE launch_id = $1`, [
          launchId,
        ]);
        return !row || row.ended_at !== null;
      }),
    summaries: (launchIds) => again(() => summaryRows(driver, launchIds)),
    overdue: (idleBefore, begunBefore, limit) =>
      again(async () => {
        const rows = await driver.query(
          `SELECT launch_id, sealed, patient_id, patient_mac, created_at, last_seen_at FROM app_state.launches
            WHERE ended_at IS NULL AND (last_seen_at < $1 OR created_at < $2)
            ORDER BY last_seen_at LIMIT $3`,
          [iso(idleBefore), iso(begunBefore), limit],
        );
        return rows.map((r) => ({
          launchId: String(r.launch_id),
          sealed: r.sealed as string,
          ...(typeof r.patient_id === 'string' ? { patientId: r.patient_id } : {}),
          ...(r.patient_mac ? { patientMac: toBuffer(r.patient_mac) } : {}),
          createdAt: toDate(r.created_at).getTime(),
          lastSeenAt: toDate(r.last_seen_at).getTime(),
        }));
      }),
    async claimState(state, expiresAt) {
      const rows = await driver.query(
        `INSERT INTO app_state.used_states (state_hash, expires_at) VALUES ($1, $2)
         ON CONFLICT (state_hash) DO NOTHING RETURNING 1 AS ok`,
        [sha256(state), iso(expiresAt)],
      );
      return rows.length === 1;
    },
    ping: () =>
      again(async () => {
        await driver.query(`SELECT 1 FROM app_state.launches LIMIT 1`);
      }),
    purge: (now) =>
      again(async () => {
        await driver.query(`DELETE FROM app_state.launches WHERE expires_at < $1`, [iso(now)]);
        await driver.query(`DELETE FROM app_state.used_states WHERE expires_at < $1`, [iso(now)]);
      }),
    close: () => driver.close(),
  };
}

async function openRow(
  driver: SqlDriver,
  launchId: string,
  handle: string,
): Promise<StoredLaunch | undefined> {
  const [row] = await driver.query(
    `SELECT handle_hash, sealed, framed, patient_id, patient_mac, created_at, last_seen_at, expires_at, ended_at, ended_reason
           FROM app_state.launches WHERE launch_id = $1`,
    [launchId],
  );
  if (!row) return undefined;
  const expected = toBuffer(row.handle_hash);
  const given = sha256(handle);
  if (!timingSafeEqual(expected, given)) return undefined;
  return {
    launchId,
    sealed: row.sealed as string,
    ...(typeof row.patient_id === 'string' ? { patientId: row.patient_id } : {}),
    ...(row.patient_mac ? { patientMac: toBuffer(row.patient_mac) } : {}),
    framed: Boolean(row.framed),
    createdAt: toDate(row.created_at).getTime(),
    lastSeenAt: toDate(row.last_seen_at).getTime(),
    expiresAt: toDate(row.expires_at).getTime(),
    ...(row.ended_at ? { endedAt: toDate(row.ended_at).getTime() } : {}),
    ...(typeof row.ended_reason === 'string' ? { endedReason: row.ended_reason } : {}),
  };
}

async function summaryRows(driver: SqlDriver, launchIds: readonly string[]): Promise<LaunchSummary[]> {
  if (launchIds.length === 0) return [];
  const rows = await driver.query(
    `SELECT launch_id, framed, last_seen_at, expires_at, ended_at
           FROM app_state.launches WHERE launch_id = ANY($1::text[])`,
    [launchIds],
  );
  return rows.map((r) => ({
    launchId: String(r.launch_id),
    framed: Boolean(r.framed),
    lastSeenAt: toDate(r.last_seen_at).getTime(),
    expiresAt: toDate(r.expires_at).getTime(),
    ...(r.ended_at !== null ? { endedAt: toDate(r.ended_at).getTime() } : {}),
  }));
}
