/**
 * "Latest" is the true latest, against the sandbox EHR over HTTP: the
 * 20,000-Observation patient under every personality and range (sorted where
 * the vendor sorts, date windows elsewhere), a page cap that stops the reading
 * (the warning names the day before which nothing was loaded, and nothing
 * older than that day is shown), and the deceased patient whose range ends at
 * the last data.
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapVitals } from '../../lib/chart/vitals';
import { SERVER_WIDGETS } from '../../lib/api/widgets';
import { fetchObservations, rangeStart } from '../../lib/fhir/chart-data';
import { resultTime } from '../../lib/fhir/newest-first';
import type { FhirContext } from '../../lib/fhir/types';
import type { Personality } from '../../sandbox/contract';
import {
  fhirBaseOf,
  launchAndExchange,
  startHarness,
  type Harness,
} from '../../sandbox/test-support/harness';

const LARGE = 'sbx-large';
const DECEASED = 'sbx-deceased';
const SCOPE = 'launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs';
const PERSONALITIES: readonly Personality[] = ['generic', 'epic', 'cerner', 'athena', 'nextgen'];
/** As the sandbox registrations of the app set them. */
const SERVER = { pageSize: 500, pageCap: 200 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ data: { largePatient: true } });
}, 120_000);
afterAll(async () => {
  await h.close();
});

/** The truth, read independently: the open base sorts. */
async function newestBp(patient: string): Promise<string> {
  const url = `${h.sandbox.url}/open/fhir/Observation?patient=${patient}&code=85354-9&_sort=-date&_count=1`;
  const bundle = (await (await fetch(url)).json()) as Bundle<Observation>;
  const time = bundle.entry?.[0]?.resource?.effectiveDateTime;
  if (!time) throw new Error('no blood pressure in the data');
  return time;
}

async function context(
  personality: Personality,
  patient: string,
  launch: Record<string, string> = {},
): Promise<FhirContext> {
  const token = await launchAndExchange(h, personality, patient, SCOPE, launch);
  expect(token.status).toBe(200);
  return {
    server: { fhirBaseUrl: fhirBaseOf(h, personality), vendor: personality, ...SERVER },
    accessToken: String(token.json.access_token),
    patientId: patient,
  };
}

const latestBp = (obs: readonly Observation[]) =>
  mapVitals(obs)
    .series.find((s) => s.kind === 'blood-pressure')
    ?.points.at(-1)?.time;

describe('the 20,000-Observation patient', () => {
  it.each(PERSONALITIES)(
    '%s: the latest blood pressure is the newest in the data, in every range',
    async (personality) => {
      const truth = await newestBp(LARGE);
      const ctx = await context(personality, LARGE);
      for (const range of ['1y', '5y', 'all'] as const) {
        const got = await fetchObservations(ctx, 'vital-signs', range);
        expect(got.warnings.filter((w) => w.kind === 'failed')).toEqual([]);
        expect(latestBp(got.resources), `${personality} ${range}`).toBe(truth);
        expect(got.queries.some((q) => q.includes('_sort'))).toBe(personality === 'generic');
        // A cut is always named by its day, and nothing older than that day is shown.
        const cut = got.period.notLoadedBefore;
        if (cut !== undefined) {
          expect(got.warnings).toContainEqual(
            expect.objectContaining({
              kind: 'truncated',
              message: expect.stringContaining('were not loaded'),
            }),
          );
          const oldest = Math.min(...got.resources.map((o) => Date.parse(resultTime(o) ?? '')));
          expect(oldest).toBeGreaterThanOrEqual(Date.parse(`${cut}T00:00:00Z`));
        }
      }
    },
    60_000,
  );

  it.each(['generic', 'epic'] as const)(
    '%s: a small page cap stops the reading at a named day, keeping the newest',
    async (personality) => {
      const truth = await newestBp(LARGE);
      const base = await context(personality, LARGE);
      const ctx = { ...base, server: { ...base.server, pageSize: 100, pageCap: 12 } };
      const got = await fetchObservations(ctx, 'vital-signs', 'all');
      const cut = got.period.notLoadedBefore;
      expect(cut).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const [y, m, d] = (cut ?? '').split('-').map(Number);
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      expect(got.warnings.map((w) => w.message)).toContain(
        `Results before ${d} ${months[(m ?? 1) - 1]} ${y} were not loaded: there are too many to read at once.`,
      );
      expect(got.warnings.some((w) => w.message.includes('older entries may be missing'))).toBe(false);
      expect(latestBp(got.resources)).toBe(truth);
      // Everything from the cut on is there: compared with the open base's own count.
      const url = `${h.sandbox.url}/open/fhir/Observation?patient=${LARGE}&category=vital-signs&date=ge${cut}&_count=1000`;
      let total = 0;
      for (let next: string | undefined = url; next;) {
        const bundle = (await (await fetch(next)).json()) as Bundle;
        total += bundle.entry?.length ?? 0;
        next = bundle.link?.find((l) => l.relation === 'next')?.url;
      }
      expect(got.resources.length).toBe(total);
    },
    60_000,
  );
});

describe('a newest month fuller than the page cap', () => {
  it.each(['epic', 'nextgen'] as const)(
    '%s: the latest days are shown whole and the cut is named, never an empty chart',
    async (personality) => {
      const truth = await newestBp(LARGE);
      const base = await context(personality, LARGE);
      // About 290 vital signs a month: three pages of 100, two allowed.
      const ctx = { ...base, server: { ...base.server, pageSize: 100, pageCap: 2 } };
      const got = await fetchObservations(ctx, 'vital-signs', '1y');
      expect(latestBp(got.resources)).toBe(truth);
      const cut = got.period.notLoadedBefore ?? '';
      expect(cut).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(got.warnings).toContainEqual(expect.objectContaining({ kind: 'truncated' }));
      const oldest = Math.min(...got.resources.map((o) => Date.parse(resultTime(o) ?? '')));
      expect(oldest).toBeGreaterThanOrEqual(Date.parse(`${cut}T00:00:00Z`));
    },
    60_000,
  );
});

describe('a deceased patient', () => {
  it.each(['generic', 'nextgen'] as const)(
    '%s: the range ends at the last data, not today',
    async (personality) => {
      const ctx = await context(personality, DECEASED);
      const truth = await newestBp(DECEASED);
      const got = await fetchObservations(ctx, 'vital-signs', '1y', new Date(), { deceased: true });
      expect(got.period.endsAtLastData).toEqual({ at: truth, reason: 'deceased' });
      expect(latestBp(got.resources)).toBe(truth);
      // The year before the last reading, not the (empty) year before today.
      const start = new Date(Date.parse(truth));
      start.setUTCFullYear(start.getUTCFullYear() - 1);
      expect(got.period.start).toBe(start.toISOString().slice(0, 10));
      expect(got.resources.length).toBeGreaterThan(1);
    },
    30_000,
  );

  it('without knowing of the death, an empty last year falls back to the most recent data', async () => {
    const ctx = await context('epic', DECEASED);
    const truth = await newestBp(DECEASED);
    const got = await fetchObservations(ctx, 'vital-signs', '1y');
    expect(got.period.endsAtLastData).toEqual({ at: truth, reason: 'nothing-recent' });
    expect(latestBp(got.resources)).toBe(truth);
  }, 30_000);

  it.each(['epic', 'generic'] as const)(
    '%s: the vital-signs panel ends at the last data; the read begun before the death was known is recorded',
    async (personality) => {
      // Searches answered after 300 ms, the Patient at once: the death is known while the first searches run.
      const slowSearches = JSON.stringify([{ kind: 'latency', ms: 300, resourceType: 'Observation' }]);
      const ctx = await context(personality, DECEASED, { faults: slowSearches });
      const truth = await newestBp(DECEASED);
      const now = new Date();
      const got = await SERVER_WIDGETS.vitals.read(ctx, { range: '1y', now });
      expect(got.period?.endsAtLastData).toEqual({ at: truth, reason: 'deceased' });
      expect(latestBp((got.result as { resources: Observation[] }).resources)).toBe(truth);
      expect(got.warnings.filter((w) => w.kind === 'failed')).toEqual([]);
      // The living patient's year, asked for beside the Patient and stopped once it said the patient died, is in
      // the audit record's queries with the Patient read and the deceased patient's own searches.
      const yearAgo = rangeStart('1y', now) ?? '';
      expect(got.queries).toContainEqual(expect.stringContaining(`date=ge${yearAgo}`));
      expect(got.queries).toContain(`Patient/${DECEASED}`);
      // Stopped, not finished: beyond the deceased patient's own searches and the Patient, only the living
      // patient's first requests.
      const alone = await fetchObservations(ctx, 'vital-signs', '1y', now, { deceased: true });
      expect(got.queries.length).toBeLessThanOrEqual(alone.queries.length + 3);
    },
    30_000,
  );
});

describe('the vital-signs panel', () => {
  it('fails cleanly when the EHR refuses its searches before the Patient is in, leaving nothing unhandled', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      // Every search refused at once; the Patient answered 300 ms later.
      const faults = JSON.stringify([
        { kind: 'status-500', count: 100, resourceType: 'Observation' },
        { kind: 'latency', ms: 300, resourceType: 'Patient' },
      ]);
      const ctx = await context('generic', 'sbx-adult-htn', { faults });
      await expect(SERVER_WIDGETS.vitals.read(ctx, { range: '1y', now: new Date() })).rejects.toMatchObject({
        name: 'FhirRequestError',
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  }, 30_000);
});
