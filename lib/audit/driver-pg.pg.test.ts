import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from './driver';
import { pgDriver } from './driver-pg';
import { freshPgDatabase, pgTestUrl } from './testing/harness';

/**
 * A named statement is parsed and planned once per connection and then only
 * bound: the audit append, one event a call at low load, runs this way. It
 * must answer exactly as the same text unnamed, in and out of transactions.
 */
const url = pgTestUrl();

describe.skipIf(!url)('named statements on PostgreSQL', () => {
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
});
