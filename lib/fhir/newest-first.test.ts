import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { longDay, newestResultTime, readNewestFirst } from './newest-first';
import {
  heldAtOnce,
  inDates,
  searchset,
  startFakeFhirServer,
  type FakeFhirServer,
  type FakeHandler,
} from './testing/fake-fhir-server';
import type { FhirContext, Vendor } from './types';

let server: FakeFhirServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NOW = new Date('2026-01-15T12:00:00Z');
const obs = (id: string, time: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'x' },
  effectiveDateTime: time,
});

/** An EHR that filters by `date=ge…`/`date=lt…` over a fixed list and never sorts. */
function dated(list: readonly Observation[], fail?: (q: URLSearchParams) => boolean): FakeHandler {
  return (req) => {
    const q = req.url.searchParams;
    if (fail?.(q)) return { status: 503, body: { resourceType: 'OperationOutcome', issue: [] } };
    return { body: searchset(inDates(list, q)) };
  };
}

/** A context for one patient on a fake EHR (Epic's traits unless told), with the page size and cap given. */
async function ctxFor(
  handler: FakeHandler,
  vendor: Vendor = 'epic',
  paging: { readonly pageSize?: number; readonly pageCap?: number } = {},
): Promise<FhirContext> {
  server = await startFakeFhirServer(handler);
  return {
    server: { fhirBaseUrl: `${server.origin}/fhir`, vendor, retries: 0, ...paging },
    patientId: 'p1',
  };
}

describe('readNewestFirst without _sort (date windows)', () => {
  const record = [
    obs('a', '2025-12-30T10:00:00Z'),
    obs('b', '2025-06-01T10:00:00Z'),
    obs('c', '2023-02-01T10:00:00Z'),
    obs('d', '1999-05-05T10:00:00Z'),
  ];

  it('walks back in growing windows to the start of the range, never asking for _sort', async () => {
    const ctx = await ctxFor(dated(record));
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2021-01-15' }, NOW);
    expect(got.resources.map((o) => o.id).sort()).toEqual(['a', 'b', 'c']);
    expect(got.warnings).toEqual([]);
    expect(got.queries.every((q) => !q.includes('_sort'))).toBe(true);
    expect(got.queries[0]).toContain('date=ge2025-12-17');
    expect(got.queries.at(-1)).toContain('date=ge2021-01-15');
    // Windows double: far fewer requests than months in five years.
    expect(got.queries.length).toBeLessThan(10);
  });

  it('reads the whole record with an open last window', async () => {
    const ctx = await ctxFor(dated(record));
    const got = await readNewestFirst(ctx, 'vital-signs', {}, NOW);
    expect(got.resources.map((o) => o.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(got.queries.at(-1)).not.toContain('date=ge');
  });

  it('names the day before which results could not be loaded when a later window fails', async () => {
    const ctx = await ctxFor(dated(record, (q) => q.getAll('date').some((d) => d.startsWith('lt2025-1'))));
    const got = await readNewestFirst(ctx, 'vital-signs', {}, NOW);
    expect(got.resources.map((o) => o.id)).toEqual(['a']);
    const cut = got.notLoadedBefore ?? '';
    expect(got.warnings).toEqual([
      expect.objectContaining({
        kind: 'failed',
        message: `Results before ${longDay(cut)} could not be loaded; later ones are shown.`,
      }),
    ]);
  });

  it('fails as a whole when the first window fails', async () => {
    const ctx = await ctxFor(dated(record, () => true));
    const got = await readNewestFirst(ctx, 'vital-signs', {}, NOW);
    expect(got.error?.httpStatus).toBe(503);
    expect(got.resources).toEqual([]);
  });
});

/**
 * An EHR that pages (`_count`, a next link with an offset), filters by date, never sorts, and answers each page
 * after `delayMs`; it notes the most requests it had in hand at once.
 */
function pagedWithDelay(list: readonly Observation[], delayMs: number) {
  return heldAtOnce((req) => {
    const q = req.url.searchParams;
    const hits = inDates(list, q);
    const count = Number(q.get('_count') ?? '100');
    const offset = Number(q.get('offset') ?? '0');
    const next = new URL(req.path, `http://${req.headers.host ?? ''}`);
    next.searchParams.set('offset', String(offset + count));
    return {
      body: searchset(
        hits.slice(offset, offset + count),
        offset + count < hits.length ? next.href : undefined,
      ),
    };
  }, delayMs);
}

/** `n` readings, a day apart, the newest on `newest` (ISO day). */
function daily(prefix: string, newest: string, n: number): Observation[] {
  const end = Date.parse(`${newest}T10:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    obs(`${prefix}${i}`, new Date(end - i * 86_400_000).toISOString()),
  );
}

/** The ids, sorted; only those matching `only` when given. */
const idsOf = (list: readonly Observation[], only?: RegExp): string[] =>
  list
    .map((o) => o.id ?? '')
    .filter((id) => !only || only.test(id))
    .sort();

describe('readNewestFirst: the older windows at once', () => {
  // Windows back from 16 Jan 2026: 30 days (from 17 Dec), 60 (from 18 Oct), 120 (from 20 Jun), 240 (from 23 Oct
  // 2024), then on to the start of the five years.
  const record = [
    ...daily('w1-', '2026-01-10', 3),
    ...daily('w2-', '2025-12-10', 3),
    ...daily('w3-', '2025-10-01', 5),
    ...daily('w4-', '2025-05-01', 9),
    ...daily('w5-', '2024-05-01', 4),
  ];

  it('asks for the rest of the span beside the newest window, and uses it when one page holds it', async () => {
    const { handler, seen } = pagedWithDelay(record, 30);
    const ctx = await ctxFor(handler);
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2021-01-15' }, NOW);
    expect(idsOf(got.resources)).toEqual(idsOf(record));
    expect(got.warnings).toEqual([]);
    expect(got.notLoadedBefore).toBeUndefined();
    // One answer to wait for: the newest window and the rest of the five years, together.
    expect(got.queries).toHaveLength(2);
    expect(got.queries[0]).toContain('date=ge2025-12-17');
    expect(got.queries[1]).toContain('date=ge2021-01-15&date=lt2025-12-17');
    expect(seen.most).toBe(2);
  });

  it('asks for them together once the newest window is read when the rest fills more than a page', async () => {
    const { handler, seen } = pagedWithDelay(record, 30);
    const ctx = await ctxFor(handler, 'epic', { pageSize: 10 });
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2021-01-15' }, NOW);
    expect(idsOf(got.resources)).toEqual(idsOf(record));
    expect(got.warnings).toEqual([]);
    expect(got.notLoadedBefore).toBeUndefined();
    // The newest window and the first page of the rest, then the five older windows at once.
    expect(seen.most).toBe(5);
    expect(got.queries[0]).toContain('date=ge2025-12-17');
    // The rest's page was asked for and not used: the audit record names it all the same.
    expect(got.queries).toContainEqual(expect.stringContaining('date=ge2021-01-15&date=lt2025-12-17'));
    expect(got.queries).toContainEqual(expect.stringContaining('date=ge2025-10-18&date=lt2025-12-17'));
  });

  it('under a page cap, shows exactly the windows reading them in turn would: whole, newest first', async () => {
    // Two results a page, eight pages: window 1 takes 2, window 2 takes 2, window 3 takes 3; one is left to
    // window 4, which needs 5, so the chart stops where window 3 starts.
    const { handler, seen } = pagedWithDelay(record, 5);
    const ctx = await ctxFor(handler, 'epic', { pageSize: 2, pageCap: 8 });
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2021-01-15' }, NOW);
    expect(idsOf(got.resources)).toEqual(idsOf(record, /^w[123]-/));
    expect(got.notLoadedBefore).toBe('2025-06-20');
    expect(got.warnings).toEqual([
      expect.objectContaining({ kind: 'truncated', message: expect.stringContaining('20 Jun 2025') }),
    ]);
    expect(seen.most).toBeGreaterThan(1);
    // The queries of the audit record name the windows read but not shown too (the last one, from the first).
    expect(got.queries.some((q) => q.includes('date=lt2024-10-23'))).toBe(true);
  });

  it('a later window that fails: the newer ones are shown and the day is named', async () => {
    const { handler } = pagedWithDelay(record, 5);
    // Every search reaching back before 18 Oct 2025 fails: the third window, and the rest of the span read whole.
    const failing: FakeHandler = (req) =>
      req.url.searchParams.getAll('date').some((d) => d.startsWith('ge') && d < 'ge2025-10-18')
        ? { status: 500, body: { resourceType: 'OperationOutcome', issue: [] } }
        : handler(req);
    const ctx = await ctxFor(failing);
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2021-01-15' }, NOW);
    expect(idsOf(got.resources)).toEqual(idsOf(record, /^w[12]-/));
    expect(got.notLoadedBefore).toBe('2025-10-18');
    expect(got.warnings).toEqual([expect.objectContaining({ kind: 'failed' })]);
  });
});

describe('readNewestFirst with _sort, when the page cap ends it before anything dated is read', () => {
  it('shows what was read and says not everything was, never fails the read', async () => {
    // Pages that go on and on, each holding one result without a time (or none), for this patient.
    let n = 0;
    const ctx = await ctxFor(
      (req) => {
        n++;
        const page = Number(req.url.searchParams.get('page') ?? '0');
        const undated: Observation = {
          resourceType: 'Observation',
          id: `u${page}`,
          status: 'final',
          code: { text: 'x' },
        };
        const next = `${server!.origin}/fhir/Observation?patient=p1&page=${page + 1}`;
        return { body: searchset(page % 2 === 0 ? [undated] : [], next) };
      },
      'generic',
      { pageSize: 1, pageCap: 4 },
    );
    const got = await readNewestFirst(ctx, 'laboratory', {}, NOW);
    expect(n).toBe(4);
    expect(got.resources.map((o) => o.id)).toEqual(['u0', 'u2']);
    expect(got.notLoadedBefore).toBeUndefined();
    expect(got.warnings).toEqual([expect.objectContaining({ kind: 'truncated' })]);
  });
});

describe('readNewestFirst: a newest window fuller than the page cap', () => {
  it('walks back from its newest day and shows the whole days that fit, naming the first left out', async () => {
    // A reading a day for ten days; two a page, three pages at most: the 30 days need five.
    const record = daily('d', '2026-01-14', 10);
    const { handler } = pagedWithDelay(record, 1);
    const ctx = await ctxFor(handler, 'epic', { pageSize: 2, pageCap: 3 });
    const got = await readNewestFirst(ctx, 'vital-signs', { since: '2025-01-15' }, NOW);
    // From today back: today (none), 13–14 Jan (two), 9–12 Jan (four: a page more than is left).
    expect(idsOf(got.resources)).toEqual(['d0', 'd1']);
    expect(got.notLoadedBefore).toBe('2026-01-13');
    expect(got.warnings).toEqual([
      expect.objectContaining({
        kind: 'truncated',
        message: 'Results before 13 Jan 2026 were not loaded: there are too many to read at once.',
      }),
    ]);
  });
});

describe('newestResultTime without _sort', () => {
  it('looks in several windows at once for a record that ended years ago', async () => {
    // Back from 16 Jan 2026 the windows start on 17 Dec, 18 Oct, 20 Jun, 23 Oct 2024, 1 Jul 2023 and 13 Nov 2020:
    // the record's newest reading is in the sixth.
    const record = [obs('old', '2023-02-01T10:00:00Z'), obs('older', '2022-03-01T10:00:00Z')];
    const { handler, seen } = pagedWithDelay(record, 20);
    const ctx = await ctxFor(handler);
    const got = await newestResultTime(ctx, 'vital-signs', undefined, NOW);
    expect(got.time).toBe('2023-02-01T10:00:00Z');
    // Three at a time: two rounds of answers instead of six.
    expect(seen.most).toBe(3);
    expect(got.queries).toHaveLength(6);
    expect(got.queries.at(-1)).toContain('date=ge2020-11-13&date=lt2023-07-01');
  });

  it('takes the newest window that holds anything, not an older one answered first', async () => {
    const record = [obs('new', '2025-11-01T10:00:00Z'), obs('old', '2025-03-01T10:00:00Z')];
    // The older windows answer at once, the newest after a while.
    const slowNewest: FakeHandler = async (req) => {
      if (req.url.searchParams.getAll('date').includes('ge2025-10-18'))
        await new Promise((r) => setTimeout(r, 50));
      return { body: searchset(inDates(record, req.url.searchParams)) };
    };
    const ctx = await ctxFor(slowNewest);
    const got = await newestResultTime(ctx, 'vital-signs', undefined, NOW);
    expect(got.time).toBe('2025-11-01T10:00:00Z');
  });
});

describe('longDay', () => {
  it('writes a day unambiguously', () => {
    expect(longDay('2019-03-12')).toBe('12 Mar 2019');
  });
});
