import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { longDay, readNewestFirst } from './newest-first';
import {
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
    const dates = q.getAll('date');
    const ge = dates.find((d) => d.startsWith('ge'))?.slice(2);
    const lt = dates.find((d) => d.startsWith('lt'))?.slice(2);
    const hits = list.filter((o) => {
      const t = o.effectiveDateTime ?? '';
      return (ge === undefined || t >= ge) && (lt === undefined || t < lt);
    });
    return { body: searchset(hits) };
  };
}

async function ctxFor(handler: FakeHandler, vendor: Vendor = 'epic'): Promise<FhirContext> {
  server = await startFakeFhirServer(handler);
  return {
    server: { fhirBaseUrl: `${server.origin}/fhir`, vendor, retries: 0 },
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

describe('longDay', () => {
  it('writes a day unambiguously', () => {
    expect(longDay('2019-03-12')).toBe('12 Mar 2019');
  });
});
