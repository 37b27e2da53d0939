import { describe, expect, it } from 'vitest';
import type { FoundPatient } from '../audit/patient-index';
import { groupPeople } from './patient-find';

const SAM = { name: 'Brennan, Sam', birthDate: '1980-03-04' };
const found = (tenant: string, id: string, identity: FoundPatient['identity']): FoundPatient => ({
  tenant,
  reference: `https://${tenant}.example/fhir/Patient/${id}`,
  identity,
});

describe('people found across EHRs', () => {
  it('joins records with the same MRN system and value, and only suggests those with the same name and birth date', () => {
    const generic = found('generic', 'a', { ...SAM, mrn: { system: 'urn:sbx', value: 'SBX1' } });
    const athena = found('athena', 'b', { ...SAM, mrn: { system: 'urn:sbx', value: 'sbx1' } });
    const epic = found('epic', 'c', { name: 'BRENNAN, Sam', birthDate: '1980-03-04', mrn: { value: 'E77' } });
    const other = found('epic', 'd', {
      name: 'Brennan, Ann',
      birthDate: '1980-03-04',
      mrn: { system: 'urn:sbx', value: 'SBX2' },
    });
    const people = groupPeople([generic, athena, epic, other]);
    expect(people.map((p) => p.records.map((r) => r.reference))).toEqual([
      [generic.reference, athena.reference],
      [epic.reference],
      [other.reference],
    ]);
    expect(people[0]?.suggested).toEqual([people[1]?.key]);
    expect(people[1]?.suggested).toEqual([people[0]?.key]);
    expect(people[2]?.suggested).toEqual([]);
  });

  it('never joins records without an MRN, nor the same MRN value under another system', () => {
    const a = found('x', '1', SAM);
    const b = found('y', '2', SAM);
    const c = found('z', '3', { ...SAM, mrn: { system: 'urn:other', value: 'SBX1' } });
    const d = found('w', '4', { ...SAM, mrn: { system: 'urn:sbx', value: 'SBX1' } });
    const people = groupPeople([a, b, c, d]);
    expect(people).toHaveLength(4);
    expect(people[0]?.suggested).toHaveLength(3);
  });
});
