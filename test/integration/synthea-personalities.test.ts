/**
 * The shared Synthea patients through each vendor personality of the sandbox EHR, over real HTTP with real tokens,
 * as the chart reads them: the vital signs, labs, problems and smoking status charted from what each vendor's
 * searches return equal those charted from the patient's own Bundle. Where a vendor withholds or refuses something it
 * must say so; nothing may be missing silently. (The open base, without a personality, is read in
 * synthea-through-sandbox.test.ts.)
 */
import type { Condition, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCategory, rawSynthea, SYNTHEA_DIR, syntheaFiles } from '../support/synthea-files';
import { mapConditions } from '../../lib/chart/conditions';
import { mapLabs } from '../../lib/chart/labs';
import { mapSmokingStatus, SMOKING_STATUS_LOINC } from '../../lib/chart/smoking';
import { mapVitals } from '../../lib/chart/vitals';
import {
  fetchConditions,
  fetchObservations,
  fetchPatient,
  fetchSmokingStatus,
} from '../../lib/fhir/chart-data';
import type { FhirContext, Vendor } from '../../lib/fhir/types';
import type { Personality } from '../../sandbox/contract';
import {
  fhirBaseOf,
  launchAndExchange,
  startHarness,
  type Harness,
} from '../../sandbox/test-support/harness';

const SCOPE = 'launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs';
const PERSONALITIES: readonly (Personality & Vendor)[] = ['epic', 'cerner', 'athena', 'nextgen'];

describe.skipIf(syntheaFiles.length === 0)(
  'Synthea patients through every vendor personality (needs ../shared/fixtures/synthea)',
  () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ data: { bundlesDir: SYNTHEA_DIR } });
    }, 180_000);
    afterAll(async () => {
      await h?.close();
    });

    const cases = syntheaFiles.flatMap((file) => PERSONALITIES.map((personality) => ({ file, personality })));
    it.each(cases)('$file at $personality', async ({ file, personality }) => {
      const { patient, resources } = rawSynthea(file);
      const token = await launchAndExchange(h, personality, patient.id!, SCOPE);
      expect(token.status).toBe(200);
      const ctx: FhirContext = {
        server: { fhirBaseUrl: fhirBaseOf(h, personality), vendor: personality },
        accessToken: String(token.json.access_token),
        patientId: patient.id!,
      };
      const [read, vitals, labs, problems, smoking] = await Promise.all([
        fetchPatient(ctx),
        fetchObservations(ctx, 'vital-signs', 'all'),
        fetchObservations(ctx, 'laboratory', 'all'),
        fetchConditions(ctx),
        fetchSmokingStatus(ctx),
      ]);
      for (const r of [vitals, labs, problems, smoking])
        expect(r.warnings.filter((w) => w.kind !== 'withheld')).toEqual([]);

      const observations = resources.filter((r): r is Observation => r.resourceType === 'Observation');
      const who = { gender: patient.gender, birthDate: patient.birthDate };
      expect(read.patient.birthDate).toBe(patient.birthDate);
      expect(mapVitals(vitals.resources, who)).toEqual(
        mapVitals(
          observations.filter((o) => inCategory(o, 'vital-signs')),
          who,
        ),
      );
      expect(mapLabs(labs.resources, who)).toEqual(
        mapLabs(
          observations.filter((o) => inCategory(o, 'laboratory')),
          who,
        ),
      );
      const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition');
      expect(mapConditions(problems.resources)).toEqual(mapConditions(conditions));
      // Synthea files smoking status under `survey`; a vendor that wants a category is asked there too.
      const smokingStatus = observations.filter((o) =>
        o.code?.coding?.some((c) => c.system === 'http://loinc.org' && c.code === SMOKING_STATUS_LOINC),
      );
      const deceased = { deceased: read.patient.deceased };
      expect(mapSmokingStatus(smoking.resources, deceased)).toEqual(
        mapSmokingStatus(smokingStatus, deceased),
      );
    });
  },
);
