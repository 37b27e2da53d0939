import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqlDriver } from './driver';
import { pgDriver } from './driver-pg';
import { freshPgDatabase, pgTestUrl } from './testing/harness';

/**
 * The PostgreSQL driver. A named statement is parsed and planned once per
 * connection and then only bound: the audit append, one event a call at low
 * load, runs this way. It must answer exactly as the same text unnamed, in and
 * out of transactions. A transaction's statements asked for at once run one
 * after another on its connection.
 */
const url = pgTestUrl();

describe.skipIf(!url)('the PostgreSQL driver', () => {
  let db: { url: string; drop(): Promise<void> };
  let driver: SqlDriver;
  beforeAll(async () => {
    db = await freshPgDatabase(url as string);
    driver = pgDriver(db.url, { max: 1 });
  });
  afterAll(async () => {
    await driver?.close();
    await db?.drop();
  });

  const sql = `SELECT $1::int * 2 AS doubled, $2::text[] AS words`;

  it('answers as the unnamed statement and is prepared once on the connection', async () => {
    const named = [];
    for (const n of [1, 2, 3]) named.push((await driver.query(sql, [n, ['a', `b${n}`]], 'test_doubled'))[0]);
    const plain = [];
    for (const n of [1, 2, 3]) plain.push((await driver.query(sql, [n, ['a', `b${n}`]]))[0]);
    expect(named).toEqual(plain);
    expect(named.map((r) => r?.doubled)).toEqual([2, 4, 6]);
    const inTx = await driver.transaction((tx) => tx.query(sql, [21, []], 'test_doubled'));
    expect(inTx[0]?.doubled).toBe(42);
    const prepared = await driver.query(`SELECT statement FROM pg_prepared_statements WHERE name = $1`, [
      'test_doubled',
    ]);
    expect(prepared.map((r) => r.statement)).toEqual([sql]);
  });

  it('runs the statements a transaction asks for at once one after another, each with its own answer', async () => {
    // What pg's client holds waiting whenever it is asked for a statement: pg 8 queues a second one while one runs
    // (with a deprecation warning), pg 9 refuses it.
    const waiting: number[] = [];
    const realQuery = Reflect.get(pg.Client.prototype, 'query') as (...a: unknown[]) => unknown;
    const seen = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client & { _queryQueue?: unknown[] },
      ...args: unknown[]
    ) {
      waiting.push(this._queryQueue?.length ?? -1);
      return realQuery.apply(this, args);
    });
    try {
      const answers = await driver.transaction((tx) =>
        Promise.all([
          tx.query(`SELECT 1 AS n`),
          tx.copyOutBinary!(`SELECT generate_series(1, $1::int)`, [3]),
          tx.query(`SELECT 2 AS n`),
          tx.copyOutBinary!(`SELECT generate_series(1, $1::int)`, [5]),
          tx.query(`SELECT 3 AS n`),
        ]),
      );
      expect([answers[0], answers[2], answers[4]].map((rows) => (rows as { n: number }[])[0]?.n)).toEqual([
        1, 2, 3,
      ]);
      // Binary COPY: 19-byte header, per row 2 + 4 + 4 bytes for one int4, 2-byte trailer.
      expect([answers[1].length, answers[3].length]).toEqual([19 + 3 * 10 + 2, 19 + 5 * 10 + 2]);
    } finally {
      seen.mockRestore();
    }
    expect(waiting.length).toBeGreaterThanOrEqual(7); // BEGIN, five statements, COMMIT
    expect(waiting.every((n) => n === 0)).toBe(true);
  });

  it('keeps its first connections open through a quiet spell and closes the ones beyond them', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const name = (await driver.query(`SELECT current_database() AS name`))[0]?.name as string;
    const backendsOf = async (pids: readonly number[]) =>
      (
        await driver.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid = ANY($2::int[])`, [
          name,
          [...pids],
        ])
      ).map((r) => r.pid as number);
    for (const keepOpen of [2, 0]) {
      const pooled = pgDriver(db.url, { max: 4, keepOpen, idleTimeoutMillis: 200 });
      try {
        // Four at once, each holding its connection a moment: four backends.
        const pids = await Promise.all(
          [0, 1, 2, 3].map(() =>
            pooled.transaction(async (tx) => {
              const [row] = await tx.query(`SELECT pg_backend_pid() AS pid, pg_sleep(0.1)`);
              return row?.pid as number;
            }),
          ),
        );
        expect(new Set(pids).size).toBe(4);
        await sleep(800);
        const left = await backendsOf(pids);
        expect(left).toHaveLength(keepOpen);
        // The next statement after the quiet spell runs on a connection that was kept, not a new one.
        const [next] = await pooled.query(`SELECT pg_backend_pid() AS pid`);
        if (keepOpen > 0) expect(left).toContain(next?.pid);
        else expect(pids).not.toContain(next?.pid);
      } finally {
        await pooled.close();
      }
    }
  });
});
