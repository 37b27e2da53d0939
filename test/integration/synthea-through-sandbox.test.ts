/**
 * The shared Synthea patients loaded into the sandbox EHR, read back through
 * the app's adapter (search, paging) and mapped to chart models: the chart
 * built from what came over HTTP equals the chart built from the raw Bundle,
 * so loading, searching and paging lose nothing. (The raw mapping itself is
 * checked against an independent count in lib/chart/mappers.synthea.test.ts.)
 */
import type { Condition, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCategory, rawSynthea, SYNTHEA_DIR, syntheaFiles } from '../support/synthea-files';
import { mapCauseOfDeath } from '../../lib/chart/cause-of-death';
import { mapConditions } from '../../lib/chart/conditions';
import { mapLabs } from '../../lib/chart/labs';
import { mapVitals } from '../../lib/chart/vitals';
import { fetchCauseOfDeath, fetchConditions, fetchObservations } from '../../lib/fhir/chart-data';
import type { FhirContext } from '../../lib/fhir/types';
import { loadSandboxConfig } from '../../sandbox/config';
import { createDefaultBackend } from '../../sandbox/default-backend';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';

/** The vital signs and labs charted from what came over HTTP equal those charted from the Bundle itself. */
function expectSameVitalsAndLabs(
  patient: Patient,
  observations: readonly Observation[],
  vitals: readonly Observation[],
  labs: readonly Observation[],
): void {
  const who = { gender: patient.gender, birthDate: patient.birthDate };
  expect(mapVitals(vitals)).toEqual(mapVitals(observations.filter((o) => inCategory(o, 'vital-signs'))));
  expect(mapLabs(labs, who)).toEqual(
    mapLabs(
      observations.filter((o) => inCategory(o, 'laboratory')),
      who,
    ),
  );
}

describe.skipIf(syntheaFiles.length === 0)(
  'Synthea patients through the sandbox and the adapter (needs ../shared/fixtures/synthea)',
  () => {
    let sandbox: RunningSandbox;
    beforeAll(async () => {
      const backend = await createDefaultBackend({ largePatient: false, bundlesDir: SYNTHEA_DIR });
      sandbox = await startSandbox(loadSandboxConfig({ SANDBOX_PORT: '0' }), backend);
    }, 180_000);
    afterAll(async () => {
      await sandbox?.close();
    });

    it.each(syntheaFiles)('%s', async (file) => {
      const { patient, resources } = rawSynthea(file);
      const ctx: FhirContext = {
        server: { fhirBaseUrl: `${sandbox.url}/open/fhir`, vendor: 'generic', pageSize: 200 },
        patientId: patient.id!,
      };
      const observations = resources.filter((r): r is Observation => r.resourceType === 'Observation');
      const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition');
      const [vitals, labs, problems, death] = await Promise.all([
        fetchObservations(ctx, 'vital-signs', 'all'),
        fetchObservations(ctx, 'laboratory', 'all'),
        fetchConditions(ctx),
        fetchCauseOfDeath(ctx),
      ]);
      for (const r of [vitals, labs, problems, death]) expect(r.warnings).toEqual([]);
      // The death certificate's cause, as the Bundle writes it (LOINC 69453-9, its text), for the banner.
      const causes = observations
        .filter((o) => o.code?.coding?.some((c) => c.system === 'http://loinc.org' && c.code === '69453-9'))
        .map((o) => o.valueCodeableConcept?.text);
      expect(mapCauseOfDeath(death.resources)?.causes).toEqual(causes.length > 0 ? causes : undefined);
      if (causes.length > 0) expect(patient.deceasedDateTime).toBeDefined();
      expectSameVitalsAndLabs(patient, observations, vitals.resources, labs.resources);
      expect(mapConditions(problems.resources)).toEqual(mapConditions(conditions));
    });

    // As the app reads an EHR that does not sort (athenahealth's traits: 100 a page, no _sort): date windows back
    // from today, the older ones asked for at once. Synthea's records end years ago and span decades.
    it.each(syntheaFiles)('%s: read in date windows, the same vital signs and labs', async (file) => {
      const { patient, resources } = rawSynthea(file);
      const ctx: FhirContext = {
        server: { fhirBaseUrl: `${sandbox.url}/open/fhir`, vendor: 'athena', pageSize: 100 },
        patientId: patient.id!,
      };
      const observations = resources.filter((r): r is Observation => r.resourceType === 'Observation');
      const [vitals, labs] = await Promise.all([
        fetchObservations(ctx, 'vital-signs', 'all'),
        fetchObservations(ctx, 'laboratory', 'all'),
      ]);
      for (const r of [vitals, labs]) expect(r.warnings).toEqual([]);
      expect(vitals.queries.every((q) => !q.includes('_sort'))).toBe(true);
      expectSameVitalsAndLabs(patient, observations, vitals.resources, labs.resources);
    });

    // At a server that sorts (one search newest first) and at ones that do not (date windows back from the range's
    // start, several at a time, at athenahealth's and Epic's page sizes).
    const defaultRangeCases = syntheaFiles.flatMap((file) =>
      (
        [
          ['generic', 200],
          ['athena', 100],
          ['epic', 100],
          ['nextgen', 50],
        ] as const
      ).map(([vendor, pageSize]) => ({ file, vendor, pageSize })),
    );
    it.each(defaultRangeCases)(
      '$file at $vendor: the default range, empty today, shows the most recent data instead',
      async ({ file, vendor, pageSize }) => {
        const { patient, resources } = rawSynthea(file);
        const ctx: FhirContext = {
          server: { fhirBaseUrl: `${sandbox.url}/open/fhir`, vendor, pageSize },
          patientId: patient.id!,
        };
        const vitals = resources.filter(
          (r): r is Observation => r.resourceType === 'Observation' && inCategory(r, 'vital-signs'),
        );
        const newest = vitals
          .map((o) => o.effectiveDateTime ?? '')
          .sort()
          .at(-1);
        const deceased = patient.deceasedDateTime !== undefined;
        const got = await fetchObservations(ctx, 'vital-signs', '1y', new Date(), { deceased });
        if (newest === undefined) {
          expect(got.resources).toEqual([]);
          return;
        }
        expect(got.period.endsAtLastData).toEqual({
          at: newest,
          reason: deceased ? 'deceased' : 'nothing-recent',
        });
        expect(got.resources.map((o) => o.effectiveDateTime)).toContain(newest);
        // The year up to the newest reading, and every reading of the record in it, whichever way it was read.
        const start = got.period.start!;
        const days = (Date.parse(newest) - Date.parse(start)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(365);
        expect(days).toBeLessThan(367);
        const inSpan = vitals.filter((o) => Date.parse(o.effectiveDateTime!) >= Date.parse(start));
        expect(mapVitals(got.resources)).toEqual(mapVitals(inSpan));
        const oldest = vitals.map((o) => o.effectiveDateTime ?? '').sort()[0];
        // Where the record starts takes one search sorted oldest first; a server that does not sort is not read whole for it.
        expect(got.period.recordStart).toBe(vendor === 'generic' ? oldest : undefined);
        if (vendor !== 'generic') expect(got.queries.every((q) => !q.includes('_sort'))).toBe(true);
      },
    );
  },
);
