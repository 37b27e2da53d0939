/**
 * The vendor adapters against the sandbox EHR's personalities over real HTTP,
 * with real tokens: what the chart fetches must agree with what the EHR holds
 * (read independently from the sandbox's open FHIR base), less exactly what
 * each vendor withholds — and what is withheld must be said as a warning.
 */
import type { Bundle, Condition, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchConditions, fetchObservations, fetchPatient } from '../../lib/fhir/chart-data';
import type { FhirContext, Vendor } from '../../lib/fhir/types';
import type { Personality } from '../../sandbox/contract';
import {
  fhirBaseOf,
  launchAndExchange,
  startHarness,
  type Harness,
} from '../../sandbox/test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h.close();
});

async function openSearch<T extends Resource>(path: string): Promise<T[]> {
  const out: T[] = [];
  let url: string | undefined = `${h.sandbox.url}/open/fhir/${path}`;
  while (url) {
    const bundle = (await (await fetch(url)).json()) as Bundle;
    for (const e of bundle.entry ?? [])
      if (e.resource && e.search?.mode !== 'outcome') out.push(e.resource as T);
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return out;
}

const VENDOR: Record<Personality, Vendor> = {
  generic: 'generic',
  epic: 'epic',
  cerner: 'cerner',
  athena: 'athena',
  nextgen: 'nextgen',
};
const SCOPE = 'launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs';
const ids = (rs: readonly Resource[]) => new Set(rs.map((r) => r.id));
const enteredInError = (o: Observation) => o.status.trim() === 'entered-in-error';

describe.each(['generic', 'epic', 'cerner', 'athena', 'nextgen'] as Personality[])(
  '%s personality',
  (personality) => {
    let ctx: FhirContext;
    beforeAll(async () => {
      const token = await launchAndExchange(h, personality, h.patientA.id, SCOPE);
      expect(token.status).toBe(200);
      ctx = {
        server: { fhirBaseUrl: fhirBaseOf(h, personality), vendor: VENDOR[personality] },
        accessToken: String(token.json.access_token),
        patientId: h.patientA.id,
      };
    });

    it('reads the patient in context', async () => {
      const { patient } = await fetchPatient(ctx);
      expect(patient.id).toBe(h.patientA.id);
      expect(patient.birthDate).toBe(h.patientA.birthDate);
    });

    for (const category of ['vital-signs', 'laboratory'] as const) {
      it(`fetches every ${category} Observation across all pages`, async () => {
        const truth = await openSearch<Observation>(
          `Observation?patient=${h.patientA.id}&category=${category}&_count=200`,
        );
        const got = await fetchObservations(ctx, category, 'all');
        expect(new Set(got.resources.map((r) => r.id)).size).toBe(got.resources.length);
        expect(got.warnings.filter((w) => w.kind === 'failed' || w.kind === 'truncated')).toEqual([]);
        const expected = ids(truth.filter((o) => personality === 'cerner' || !enteredInError(o)));
        const actual = ids(got.resources);
        // Everything the EHR shows arrives; nothing arrives that the EHR does not hold.
        for (const id of actual) expect(ids(truth).has(id)).toBe(true);
        for (const id of expected) expect(actual.has(id)).toBe(true);
        expect(got.queries.length).toBeGreaterThan(0);
        for (const q of got.queries) expect(q).not.toMatch(/access_token|Bearer/);
      });
    }

    it('fetches the conditions, and says when the EHR withheld some', async () => {
      const truth = await openSearch<Condition>(`Condition?patient=${h.patientA.id}&_count=200`);
      const got = await fetchConditions(ctx);
      const actual = ids(got.resources);
      for (const id of actual) expect(ids(truth).has(id)).toBe(true);
      if (actual.size < truth.length) {
        expect(got.warnings.some((w) => w.kind === 'withheld' || w.kind === 'not-offered')).toBe(true);
      }
    });

    it("cannot read another patient's data with this launch's token", async () => {
      await expect(fetchPatient({ ...ctx, patientId: h.patientB.id })).rejects.toMatchObject({ status: 403 });
    });
  },
);
