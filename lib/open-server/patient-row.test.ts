import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Identifier, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isNationalIdentifier, patientRow } from './patient-row';

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const MR = [{ kind: 'type-code', code: 'MR' }] as const;
const NOW = new Date(Date.UTC(2025, 0, 1));
const SYNTHEA = path.resolve(__dirname, '../../../shared/fixtures/synthea');

const type = (code: string, text?: string): Identifier['type'] => ({
  coding: [{ system: V2, code }],
  ...(text ? { text } : {}),
});

describe('isNationalIdentifier', () => {
  it.each<[string, Identifier, boolean]>([
    ['US SSN system', { system: 'http://hl7.org/fhir/sid/us-ssn', value: '1' }, true],
    ['SSN OID', { system: 'urn:oid:2.16.840.1.113883.4.1', value: '1' }, true],
    ['type SS', { type: type('SS'), value: '1' }, true],
    ['type DL', { type: type('DL'), system: 'urn:oid:2.16.840.1.113883.4.3.25', value: '1' }, true],
    ['type PPN', { type: type('PPN'), value: '1' }, true],
    ['text only', { type: { text: 'Passport Number' }, value: '1' }, true],
    ['MRN', { type: type('MR', 'Medical Record Number'), value: '1' }, false],
    ['bare value', { value: '1' }, false],
    ['SS code of another system', { type: { coding: [{ system: 'urn:x', code: 'SS' }] }, value: '1' }, false],
  ])('%s', (_, id, expected) => expect(isNationalIdentifier(id)).toBe(expected));
});

describe('patientRow', () => {
  it('keeps name, birth date, age, sex and the MRN, and nothing else', () => {
    const p: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [{ use: 'official', family: 'Lopez', given: ['Ana', 'M'] }],
      birthDate: '2024-10-01',
      gender: 'female',
      telecom: [{ system: 'phone', value: '555-0100' }],
      address: [{ line: ['1 Main St'] }],
      identifier: [
        { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-70-7841' },
        { type: type('MR'), value: 'MRN-1' },
        { system: 'urn:example:insurance', value: 'INS-77' },
      ],
    };
    expect(patientRow(p, MR, NOW)).toEqual({
      id: 'p1',
      name: 'Lopez, Ana M',
      birthDate: '2024-10-01',
      age: '3 months',
      gender: 'female',
      mrn: 'MRN-1',
    });
  });

  it("gives a deceased patient's age at death and the date, and no age when the EHR says only that they died", () => {
    const base: Patient = { resourceType: 'Patient', id: 'p3', birthDate: '1931-05-02' };
    expect(patientRow({ ...base, deceasedDateTime: '1990-05-01T10:00:00Z' }, MR, NOW)).toEqual({
      id: 'p3',
      name: 'Unknown',
      birthDate: '1931-05-02',
      age: '58 years',
      deceased: { at: '1990-05-01T10:00:00Z' },
    });
    expect(patientRow({ ...base, deceasedBoolean: true }, MR, NOW)).toEqual({
      id: 'p3',
      name: 'Unknown',
      birthDate: '1931-05-02',
      deceased: {},
    });
    expect(patientRow({ ...base, deceasedBoolean: false }, MR, NOW).age).toBe('93 years');
  });

  it('never picks a national identifier as the MRN, whatever the rule says', () => {
    const p: Patient = {
      resourceType: 'Patient',
      id: 'p2',
      identifier: [
        { type: type('SS', 'MRN'), system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-70-7841' },
      ],
    };
    const row = patientRow(p, [{ kind: 'system', system: 'http://hl7.org/fhir/sid/us-ssn' }, ...MR], NOW);
    expect(row).toEqual({ id: 'p2', name: 'Unknown' });
  });

  const files = (() => {
    try {
      return readdirSync(SYNTHEA).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  })();
  it.skipIf(files.length === 0)(
    'shared Synthea patients: no SSN, driver’s licence or passport value in any row',
    () => {
      let national = 0;
      for (const f of files) {
        const bundle = JSON.parse(readFileSync(path.join(SYNTHEA, f), 'utf8')) as Bundle;
        const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as
          Patient | undefined;
        if (!patient) continue;
        const secrets = (patient.identifier ?? []).filter(isNationalIdentifier).map((i) => i.value ?? '');
        national += secrets.length;
        const row = JSON.stringify(patientRow(patient, MR, NOW));
        for (const s of secrets) expect(row).not.toContain(s);
        expect(JSON.parse(row)).toHaveProperty('mrn');
      }
      expect(national).toBeGreaterThan(files.length);
    },
  );
});
