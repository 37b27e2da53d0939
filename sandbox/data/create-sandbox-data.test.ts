import type { Condition, Observation, ObservationReferenceRange, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createSandboxData, generateSandboxResources } from './create-sandbox-data';

const small = generateSandboxResources({ largePatient: false });
const observations = small.filter((r): r is Observation => r.resourceType === 'Observation');
const patients = new Map(small.filter((r): r is Patient => r.resourceType === 'Patient').map((p) => [p.id ?? '', p]));

function codeOf(o: Observation): string | undefined {
  return o.code?.coding?.[0]?.code;
}

function ofPatient(id: string): Observation[] {
  return observations.filter((o) => o.subject?.reference === `Patient/${id}`);
}

/** The range that applies to the patient at the time of the result, chosen independently of the generator. */
function applicable(ranges: ObservationReferenceRange[], patient: Patient, effective: string): ObservationReferenceRange | undefined {
  const ageDays = (Date.parse(effective) - Date.parse(`${patient.birthDate ?? ''}T00:00:00Z`)) / 86_400_000;
  return ranges.find((r) => {
    const sex = r.appliesTo?.flatMap((a) => a.coding ?? []).map((c) => c.code);
    if (sex?.length && !sex.includes(patient.gender)) {
      return false;
    }
    if (r.age) {
      const age = r.age.low?.code === 'd' ? Math.floor(ageDays) : Math.floor(ageDays / 365.25);
      return age >= (r.age.low?.value ?? 0) && age <= (r.age.high?.value ?? Infinity);
    }
    return true;
  });
}

describe('determinism', () => {
  it('gives identical resources for the same seed, and different values for another seed', () => {
    expect(JSON.stringify(generateSandboxResources({ largePatient: false }))).toBe(JSON.stringify(small));
    const other = generateSandboxResources({ largePatient: false, seed: 7 });
    expect(other.map((r) => r.id)).toEqual(small.map((r) => r.id));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(small));
  });
});

describe('realism', () => {
  it('has every named patient and both practitioners', async () => {
    const { directory } = await createSandboxData({ largePatient: false });
    const ids = directory.patients.map((p) => p.id);
    for (const id of ['sbx-adult-htn', 'sbx-adult-diabetes', 'sbx-older-female', 'sbx-child', 'sbx-newborn', 'sbx-deceased', 'sbx-sparse']) {
      expect(ids).toContain(id);
    }
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(directory.practitioners.map((p) => p.id).sort()).toEqual(['sbx-dr-lee', 'sbx-dr-okafor']);
  }, 60_000);

  it('gives every BP panel both components in mm[Hg]', () => {
    const panels = observations.filter((o) => codeOf(o) === '85354-9');
    expect(panels.length).toBeGreaterThan(50);
    for (const bp of panels) {
      const components = bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.code]);
      expect(components).toEqual([['8480-6', 'mm[Hg]'], ['8462-4', 'mm[Hg]']]);
    }
  });

  it('flags every lab value consistently with the range that applies', () => {
    const labs = observations.filter((o) => o.valueQuantity && o.referenceRange && o.interpretation);
    expect(labs.length).toBeGreaterThan(100);
    const seen = new Set<string>();
    for (const o of labs) {
      const patient = patients.get(o.subject?.reference?.split('/')[1] ?? '');
      const range = patient && applicable(o.referenceRange ?? [], patient, o.effectiveDateTime ?? '');
      const flag = o.interpretation?.[0]?.coding?.[0]?.code ?? '';
      const value = o.valueQuantity?.value ?? Number.NaN;
      seen.add(flag);
      expect(range, `${o.id} has an applicable range`).toBeDefined();
      if (flag === 'N') {
        expect(value).toBeGreaterThanOrEqual(range?.low?.value ?? -Infinity);
        expect(value).toBeLessThanOrEqual(range?.high?.value ?? Infinity);
      } else if (flag === 'H' || flag === 'HH') {
        expect(value).toBeGreaterThan(range?.high?.value ?? Infinity);
      } else {
        expect(['L', 'LL']).toContain(flag);
        expect(value).toBeLessThan(range?.low?.value ?? -Infinity);
      }
    }
    expect([...seen].sort()).toEqual(['H', 'HH', 'L', 'LL', 'N']);
  });

  it('shows the special cases: units, sex- and age-specific ranges, newborn, deceased, sparse', () => {
    const diabetes = ofPatient('sbx-adult-diabetes');
    expect(diabetes.some((o) => o.valueQuantity?.code === '[lb_av]')).toBe(true);
    expect(diabetes.some((o) => o.valueQuantity?.code === '[degF]')).toBe(true);
    expect(diabetes.some((o) => codeOf(o) === '14749-6' && o.valueQuantity?.code === 'mmol/L')).toBe(true);
    expect(diabetes.filter((o) => codeOf(o) === '4548-4').every((o) => o.interpretation?.[0]?.coding?.[0]?.code === 'H')).toBe(true);
    const hgb = ofPatient('sbx-older-female').find((o) => codeOf(o) === '718-7');
    expect(hgb?.referenceRange?.some((r) => r.appliesTo?.[0]?.coding?.[0]?.code === 'female' && r.age?.low?.value === 65)).toBe(true);
    const newborn = ofPatient('sbx-newborn');
    expect(newborn.some((o) => codeOf(o) === '9843-4')).toBe(true);
    expect(newborn.some((o) => o.valueQuantity?.code === 'g') && newborn.some((o) => o.valueQuantity?.code === 'kg')).toBe(true);
    expect(newborn.some((o) => o.referenceRange?.some((r) => r.age?.low?.code === 'd'))).toBe(true);
    expect(patients.get('sbx-deceased')?.deceasedDateTime).toBeDefined();
    const sparse = ofPatient('sbx-sparse');
    expect(sparse.some((o) => o.dataAbsentReason) && sparse.some((o) => o.valueString)).toBe(true);
    expect(ofPatient('sbx-adult-htn').some((o) => codeOf(o) === '72166-2')).toBe(true);
  });

  it('covers condition statuses and categories', () => {
    const conditions = small.filter((r): r is Condition => r.resourceType === 'Condition');
    const statuses = new Set(conditions.map((c) => c.clinicalStatus?.coding?.[0]?.code));
    const categories = new Set(conditions.map((c) => c.category?.[0]?.coding?.[0]?.code));
    expect([...statuses]).toEqual(expect.arrayContaining(['active', 'resolved', 'inactive']));
    expect([...categories]).toEqual(expect.arrayContaining(['problem-list-item', 'encounter-diagnosis', 'health-concern']));
    expect(conditions.filter((c) => c.clinicalStatus?.coding?.[0]?.code === 'resolved').every((c) => c.abatementDateTime)).toBe(true);
  });

  it('gives the large patient at least 20,000 Observations over about ten years', () => {
    const large: Resource[] = generateSandboxResources({}).filter((r) => r.resourceType === 'Observation' && r.subject?.reference === 'Patient/sbx-large');
    expect(large.length).toBeGreaterThanOrEqual(20_000);
    const years = new Set(large.map((o) => (o as Observation).effectiveDateTime?.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(10);
  }, 60_000);
});

describe('ages relative to the anchor', () => {
  const ageDaysOf = (resources: Resource[], id: string, anchor: string) => {
    const p = resources.find((r): r is Patient => r.resourceType === 'Patient' && r.id === id);
    return (Date.parse(anchor) - Date.parse(`${p?.birthDate ?? ''}T00:00:00Z`)) / 86_400_000;
  };

  it('keeps the newborn a newborn and the child a child on any start date, like their visits', () => {
    const anchor = '2027-06-15T00:00:00Z';
    const later = generateSandboxResources({ largePatient: false, anchor });
    expect(ageDaysOf(later, 'sbx-newborn', anchor)).toBe(ageDaysOf(small, 'sbx-newborn', '2025-10-01T00:00:00Z'));
    expect(ageDaysOf(later, 'sbx-newborn', anchor)).toBe(21);
    expect(ageDaysOf(later, 'sbx-child', anchor)).toBe(ageDaysOf(small, 'sbx-child', '2025-10-01T00:00:00Z'));
    // The first visit of the newborn is her birth day, whatever the anchor.
    const newborn = later.find((r): r is Patient => r.resourceType === 'Patient' && r.id === 'sbx-newborn');
    const first = later
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.subject?.reference === 'Patient/sbx-newborn')
      .map((o) => o.effectiveDateTime ?? '')
      .sort()[0];
    expect(first?.slice(0, 10)).toBe(newborn?.birthDate);
    // Adults keep their recorded birth dates.
    expect(later.find((r): r is Patient => r.resourceType === 'Patient' && r.id === 'sbx-adult-htn')?.birthDate).toBe('1968-03-14');
  });
});
