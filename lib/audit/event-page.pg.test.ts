import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from './event-check';
import { fetchPage, forEachRow } from './event-page';
import { pgHarness, pgTestUrl, type Harness } from './testing/harness';
import { readInput } from './testing/store-suite-input';

/**
 * On PostgreSQL pages are read with binary COPY; on PGlite (and through any
 * client without COPY) one string_agg builds them. Both must give the same
 * rows, byte for byte, NULL columns included.
 */
const url = pgTestUrl();
const rowsOf = (page: Buffer | undefined): EventRow[] => {
  const rows: EventRow[] = [];
  if (page) forEachRow(page, (row) => rows.push(row));
  return rows;
};

describe.skipIf(!url)('event pages on PostgreSQL', () => {
  let h: Harness;
  const tenant = 'pages';
  beforeAll(async () => {
    h = await pgHarness(url as string);
    await h.store.append(Array.from({ length: 40 }, (_, i) => readInput(tenant, i)));
    await h.store.append([
      { action: 'login', outcome: '0', tenant, recorded: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) },
      { ...readInput(tenant, 41), resourceTypes: ['Observation', 'Condition', 'Ünïcode'] },
    ]);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('reads the same rows with COPY as with string_agg', async () => {
    const viaCopy = await fetchPage(h.admin, tenant, 0, 100);
    const viaAgg = await fetchPage({ query: (sql, params) => h.admin.query(sql, params) }, tenant, 0, 100);
    const copied = rowsOf(viaCopy);
    expect(copied).toHaveLength(42);
    expect(copied).toEqual(rowsOf(viaAgg));
    const login = copied[40];
    expect(login?.userHmac).toBeNull();
    expect(login?.patientHmac).toBeNull();
    expect(login?.resourceTypes).toEqual([]);
    expect(login?.recordedMicros).toBe((Date.UTC(2026, 0, 2, 3, 4, 5, 678) - Date.UTC(2000, 0, 1)) * 1000);
    expect(copied[41]?.resourceTypes).toEqual(['Observation', 'Condition', 'Ünïcode']);
  });

  it('reads nothing for a range without events, and only the range asked for', async () => {
    expect(await fetchPage(h.admin, tenant, 100, 200)).toBeUndefined();
    expect(await fetchPage(h.admin, 'another', 0, 100)).toBeUndefined();
    // COPY takes no parameters: a name that needs quoting is quoted, not run.
    expect(await fetchPage(h.admin, "o'brien\\'; SELECT 1; --", 0, 100)).toBeUndefined();
    expect(rowsOf(await fetchPage(h.admin, tenant, 10, 13)).map((r) => r.seq)).toEqual([10, 11, 12]);
  });
});
