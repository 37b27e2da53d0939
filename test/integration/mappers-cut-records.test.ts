import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { chartFieldsSharing } from '../../lib/chart/chart-fields';
import { mapLabs } from '../../lib/chart/labs';
import { mapVitals } from '../../lib/chart/vitals';
import { generateSandboxResources } from '../../sandbox/data';

describe('the mappers over a whole record cut down as the search reads it', () => {
  it('give every sandbox patient the same chart as the whole resources, the 20,000-Observation record too', () => {
    const resources = generateSandboxResources();
    const patients = resources.filter((r) => r.resourceType === 'Patient');
    expect(patients.map((p) => p.id)).toContain('sbx-large');
    for (const patient of patients) {
      const whole = resources.filter(
        (r): r is Observation =>
          r.resourceType === 'Observation' && r.subject?.reference === `Patient/${patient.id}`,
      );
      // One pool per search, as lib/fhir/paging.ts keeps it: the shared concepts are frozen.
      const category = (o: Observation) => o.category?.[0]?.coding?.[0]?.code;
      const cutVitals = chartFieldsSharing(new Map());
      const cutLabs = chartFieldsSharing(new Map());
      const vitals = whole.filter((o) => category(o) === 'vital-signs');
      const labs = whole.filter((o) => category(o) === 'laboratory');
      const facts = { birthDate: patient.birthDate, gender: patient.gender };
      expect(mapVitals(vitals.map(cutVitals), facts), patient.id).toEqual(mapVitals(vitals, facts));
      expect(mapLabs(labs.map(cutLabs), facts), patient.id).toEqual(mapLabs(labs, facts));
    }
  });
});
