import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { fetchObservations, fetchPatient, fetchSmokingStatus } from './chart-data';
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

describe('fetchSmokingStatus', () => {
  const status = (id: string, category: string, time: string): Observation => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }], text: 'Tobacco smoking status' },
    valueCodeableConcept: {
      coding: [{ system: 'http://snomed.info/sct', code: '8517006' }],
      text: 'Former smoker',
    },
    effectiveDateTime: time,
  });
  const filed = [
    status('s1', 'survey', '2012-01-19T14:01:57Z'),
    status('s2', 'survey', '2016-02-01T10:00:00Z'),
    status('s3', 'social-history', '2019-05-01T10:00:00Z'),
  ];
  /** A server that answers a code search by category, as a vendor that needs one does; `refuse` it does not offer. */
  const byCategory = (refuse?: string) => (req: { url: URL }) => {
    const q = req.url.searchParams;
    const category = q.get('category');
    if (category === null) return { body: searchset(filed) };
    if (category === refuse)
      return {
        status: 400,
        body: {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'category not supported' }],
        },
      };
    return { body: searchset(filed.filter((o) => o.category?.[0]?.coding?.[0]?.code === category)) };
  };
  const ctxFor = (origin: string, vendor: 'epic' | 'generic') => ({
    server: { fhirBaseUrl: `${origin}/fhir`, vendor, retries: 0 },
    patientId: 'p1',
  });

  it('at a vendor that needs a category, finds what is filed under survey as well as under social-history', async () => {
    const server = await startServer(byCategory());
    const got = await fetchSmokingStatus(ctxFor(server.origin, 'epic'));
    expect(got.resources.map((o) => o.id).sort()).toEqual(['s1', 's2', 's3']);
    const categories = got.queries.map((q) => new URLSearchParams(q.split('?')[1]).get('category'));
    expect(categories).toEqual(['social-history', 'survey']);
    expect(got.warnings).toEqual([]);
  });

  it('a vendor that does not offer survey: what social-history holds, and no warning', async () => {
    const server = await startServer(byCategory('survey'));
    const got = await fetchSmokingStatus(ctxFor(server.origin, 'epic'));
    expect(got.resources.map((o) => o.id)).toEqual(['s3']);
    expect(got.queries).toHaveLength(2);
    expect(got.warnings).toEqual([]);
  });

  it('a vendor that does not offer social-history says so, and still shows what survey holds', async () => {
    const server = await startServer(byCategory('social-history'));
    const got = await fetchSmokingStatus(ctxFor(server.origin, 'epic'));
    expect(got.resources.map((o) => o.id).sort()).toEqual(['s1', 's2']);
    expect(got.warnings).toEqual([
      expect.objectContaining({ kind: 'not-offered', category: 'social-history' }),
    ]);
  });

  it('elsewhere one search by code, whatever the category', async () => {
    const server = await startServer(byCategory());
    const got = await fetchSmokingStatus(ctxFor(server.origin, 'generic'));
    expect(got.resources).toHaveLength(3);
    expect(got.queries).toHaveLength(1);
    expect(got.queries[0]).not.toContain('category');
  });
});

describe('answers an EHR should not send', () => {
  const ctxOn = (origin: string) => ({
    server: { fhirBaseUrl: `${origin}/fhir`, vendor: 'generic' as const, retries: 0 },
    patientId: 'p1',
  });

  it('a Patient read that does not say it is the launch’s patient is refused, one merged away is shown with word', async () => {
    const answers: Record<string, object> = {
      none: { resourceType: 'Patient', name: [{ family: 'Other' }] },
      other: { resourceType: 'Patient', id: 'p2', name: [{ family: 'Other' }] },
      merged: {
        resourceType: 'Patient',
        id: 'p1',
        active: false,
        name: [{ family: 'Old' }],
        link: [{ type: 'replaced-by', other: { reference: 'Patient/p9' } }],
      },
    };
    let answer = 'none';
    const server = await startServer(() => ({ body: answers[answer]! }));
    const ctx = ctxOn(server.origin);
    for (const refused of ['none', 'other']) {
      answer = refused;
      await expect(fetchPatient({ ...ctx, launchId: `l-${refused}` }), refused).rejects.toMatchObject({
        kind: 'malformed',
      });
    }
    answer = 'merged';
    const got = await fetchPatient({ ...ctx, launchId: 'l-merged' });
    expect(got.patient.id).toBe('p1');
    expect(got.warnings).toEqual([
      expect.objectContaining({
        resourceType: 'Patient',
        kind: 'withheld',
        message: expect.stringMatching(/replaced by another/),
      }),
    ]);
  });

  it('an OperationOutcome with HTTP 200 where data was asked for is an error in the EHR’s own words', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'too-costly', diagnostics: 'Query too broad; add a date' }],
    };
    const server = await startServer(() => ({ body: outcome }));
    const ctx = ctxOn(server.origin);
    await expect(fetchPatient({ ...ctx, launchId: 'l-oo' })).rejects.toMatchObject({
      kind: 'malformed',
      userMessage: 'Query too broad; add a date',
    });
    await expect(fetchObservations(ctx, 'laboratory', 'all', NOW)).rejects.toMatchObject({
      userMessage: 'Query too broad; add a date',
    });
  });

  it('a malformed OperationOutcome in a page is a warning in words, and the page’s results are kept', async () => {
    const server = await startServer(() => ({
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          { resource: reading('r1', '2025-06-01T10:00:00Z'), search: { mode: 'match' } },
          { resource: { resourceType: 'OperationOutcome' }, search: { mode: 'outcome' } },
          {
            resource: {
              resourceType: 'OperationOutcome',
              issue: [
                { severity: 'warning', code: 'suppressed', details: { text: { div: 'x' } }, diagnostics: 7 },
                null,
              ],
            },
            search: { mode: 'outcome' },
          },
        ],
      },
    }));
    const got = await fetchObservations(ctxOn(server.origin), 'vital-signs', 'all', NOW);
    expect(got.resources.map((o) => o.id)).toEqual(['r1']);
    expect(got.warnings.length).toBeGreaterThan(0);
    for (const w of got.warnings) expect(typeof w.message).toBe('string');
    expect(got.warnings.map((w) => w.message)).toContain('The EHR withheld some results.');
  });
});
