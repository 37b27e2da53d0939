import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { fetchObservations } from './chart-data';
import { fakeServersPerTest, heldAtOnce, inDates, searchset } from './testing/fake-fhir-server';

const startServer = fakeServersPerTest();

const NOW = new Date('2026-01-15T12:00:00Z');
const reading = (id: string, time: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Heart rate' },
  valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  effectiveDateTime: time,
});

/** A record that ended five years ago, oldest first: a reading a month through 2019 and 2020. */
const record = Array.from({ length: 24 }, (_, i) =>
  reading(`r${i}`, new Date(Date.UTC(2019, i, 10, 9)).toISOString()),
);

/**
 * A server that filters by date and sorts as asked (`_sort=date` / `-date`), answering each search after 30 ms; it
 * notes the most searches it had in hand at once.
 */
function sortingServer() {
  return heldAtOnce((req) => {
    const q = req.url.searchParams;
    const hits = inDates(record, q).sort((a, b) =>
      (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''),
    );
    const sort = q.get('_sort');
    if (sort === '-date') hits.reverse();
    else if (sort !== 'date') throw new Error(`a search without _sort: ${req.path}`);
    return { body: searchset(hits.slice(0, Number(q.get('_count') ?? '100'))) };
  }, 30);
}

describe('fetchObservations: a range that ends at the last data', () => {
  it.each([
    ['nothing in the last year', {}],
    ['a deceased patient', { deceased: true }],
  ] as const)('%s: where the record starts is asked for beside the range itself', async (_, patient) => {
    const { handler, seen } = sortingServer();
    const server = await startServer(handler);
    const ctx = {
      server: { fhirBaseUrl: `${server.origin}/fhir`, vendor: 'generic' as const, retries: 0 },
      patientId: 'p1',
    };
    const got = await fetchObservations(ctx, 'vital-signs', '1y', NOW, patient);
    const newest = record.at(-1)?.effectiveDateTime ?? '';
    expect(got.period.endsAtLastData?.at).toBe(newest);
    // The year up to the last reading, from the same day a year before: thirteen readings.
    expect(got.resources).toHaveLength(13);
    expect(got.period.recordStart).toBe(record[0]?.effectiveDateTime);
    expect(got.queries.filter((q) => q.includes('_sort=date&_count=1'))).toHaveLength(1);
    // The year's read and the oldest reading's search were in the server's hands together.
    expect(seen.most).toBe(2);
  });
});
