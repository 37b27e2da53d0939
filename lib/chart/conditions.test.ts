import { describe, expect, it } from 'vitest';
import type { Condition } from '@medplum/fhirtypes';
import { mapConditions } from './conditions';

const clinical = (code: string): Condition['clinicalStatus'] => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }],
});
const verification = (code: string): Condition['verificationStatus'] => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }],
});
const cat = (code: string): NonNullable<Condition['category']>[number] => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code }],
});

const base = (id: string, extra: Partial<Condition>): Condition => ({
  resourceType: 'Condition',
  id,
  subject: { reference: 'Patient/p' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: id, display: `Problem ${id}` }] },
  ...extra,
});

describe('mapConditions', () => {
  it('orders active first, newest onset first, drops entered-in-error, reads every onset form', () => {
    const model = mapConditions([
      base('1', {
        clinicalStatus: clinical('resolved'),
        onsetDateTime: '2020-01-01',
        abatementDateTime: '2020-02-01',
        category: [cat('encounter-diagnosis')],
      }),
      base('2', {
        clinicalStatus: clinical('active'),
        onsetPeriod: { start: '2015-05-01' },
        category: [cat('problem-list-item')],
      }),
      base('3', {
        clinicalStatus: clinical('relapse'),
        onsetDateTime: '2022-03-01',
        verificationStatus: verification('confirmed'),
      }),
      base('4', { clinicalStatus: clinical('active'), verificationStatus: verification('entered-in-error') }),
      base('5', {
        clinicalStatus: clinical('inactive'),
        onsetAge: { value: 40, unit: 'a' },
        abatementString: 'childhood',
      }),
      base('6', { onsetString: 'in the spring' }),
      // Words that hold a year sort after every date, not as the first of January of it.
      base('7', { clinicalStatus: clinical('active'), onsetString: 'approx. 2018' }),
    ]);
    // Active, then those without a clinical status, then the rest.
    expect(model.problems.map((p) => p.id)).toEqual(['3', '2', '7', '6', '1', '5']);
    const byId = new Map(model.problems.map((p) => [p.id, p]));
    expect(byId.get('3')).toMatchObject({
      active: true,
      clinicalStatus: 'relapse',
      verificationStatus: 'confirmed',
      onset: '2022-03-01',
    });
    expect(byId.get('2')).toMatchObject({
      onset: '2015-05-01',
      categories: ['problem-list-item'],
      label: 'Problem 2',
    });
    expect(byId.get('1')).toMatchObject({
      active: false,
      abatement: '2020-02-01',
      categories: ['encounter-diagnosis'],
    });
    expect(byId.get('5')).toMatchObject({ onset: 'age 40 years', abatement: 'childhood' });
    expect(byId.get('6')).toMatchObject({ onset: 'in the spring', active: false });
  });

  it("reads a SNOMED CT fully specified name without its semantic tag, and others' parentheses as written", () => {
    const sct = (display: string, text?: string): Condition['code'] => ({
      coding: [{ system: 'http://snomed.info/sct', code: '1', display }],
      ...(text === undefined ? {} : { text }),
    });
    const labels = mapConditions([
      base('a', { code: sct('Neuropathy due to type 2 diabetes mellitus (disorder)') }),
      base('b', {
        code: sct('History of single seizure (situation)', 'History of single seizure (situation)'),
      }),
      base('c', { code: sct('Asthma (mild)') }),
      base('d', {
        code: {
          coding: [
            { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11', display: 'Diabetes (disorder)' },
          ],
        },
      }),
    ]).problems.map((i) => i.label);
    expect(labels.sort()).toEqual(
      [
        'Asthma (mild)',
        'Diabetes (disorder)',
        'History of single seizure',
        'Neuropathy due to type 2 diabetes mellitus',
      ].sort(),
    );
  });

  it('reads Cerner statuses whose system URLs are malformed', () => {
    const c = base('7', {
      clinicalStatus: {
        coding: [{ system: 'http: //terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
    });
    expect(mapConditions([c]).problems[0]?.active).toBe(true);
  });

  it("names a vendor's own category by its label, never by a bare code", () => {
    const category = (system: string, code: string, display: string, text?: string) => ({
      coding: [{ system, code, display }],
      ...(text === undefined ? {} : { text }),
    });
    const [row] = mapConditions([
      base('c', {
        category: [
          category(
            'http://terminology.hl7.org/CodeSystem/condition-category',
            'problem-list-item',
            'Problem List Item',
          ),
          // Oracle Health files its problems under SNOMED CT's qualifier too; Epic has a category of its own.
          category('http://snomed.info/sct', '74188005', 'Medical (qualifier value)', 'Medical'),
          category('http://snomed.info/sct', '74188005', 'Medical (qualifier value)'),
          category(
            'http://open.epic.com/FHIR/StructureDefinition/condition-category',
            'visit-diagnosis',
            'Visit Diagnosis',
          ),
          category('http://hl7.org/fhir/us/core/CodeSystem/us-core-category', 'sdoh', 'SDOH'),
        ],
      }),
    ]).problems;
    // Beside a standard category the vendor's add nothing; alone, they are named.
    expect(row!.categories).toEqual(['problem-list-item', 'sdoh']);
    const [alone] = mapConditions([
      base('d', { category: [category('http://snomed.info/sct', '74188005', 'Medical (qualifier value)')] }),
    ]).problems;
    expect(alone!.categories).toEqual(['Medical']);
  });

  it('reads an onset kept as midnight UTC as the date it names, and any other time as the instant it is', () => {
    const rows = mapConditions([
      base('a', {
        onsetDateTime: '2023-04-06T00:00:00+00:00',
        abatementDateTime: '2024-01-02T00:00:00.000Z',
      }),
      base('b', { onsetPeriod: { start: '2021-05-14T00:00:00Z' } }),
      base('c', { onsetDateTime: '2020-06-10T17:00:00.000Z' }),
      base('d', { onsetDateTime: '2020-06-10T00:00:00-05:00' }),
      base('e', { onsetDateTime: '2020-06-10T00:00:01Z' }),
    ]).problems;
    const onset = Object.fromEntries(rows.map((r) => [r.id, [r.onset, r.abatement]]));
    expect(onset).toEqual({
      a: ['2023-04-06', '2024-01-02'],
      b: ['2021-05-14', undefined],
      c: ['2020-06-10T17:00:00.000Z', undefined],
      d: ['2020-06-10T00:00:00-05:00', undefined],
      e: ['2020-06-10T00:00:01Z', undefined],
    });
  });

  it("reads a status from its own code system before a vendor's coding listed ahead of it", () => {
    const local = (code: string) => ({ system: 'urn:oid:1.2.3', code });
    const rows = mapConditions([
      // A local "EIE" first, the standard code second: still entered in error, so left out.
      base('hiv', {
        clinicalStatus: clinical('active'),
        verificationStatus: {
          coding: [
            local('EIE'),
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
              code: 'entered-in-error',
            },
          ],
        },
      }),
      // Oracle Health's code set ahead of the standard code.
      base('htn', {
        clinicalStatus: {
          coding: [
            {
              system: 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/12030',
              code: '3299',
            },
            { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
          ],
        },
      }),
      // Only a vendor's code, with a display: shown by it, not as "not recorded".
      base('own', { clinicalStatus: { coding: [{ ...local('A'), display: 'Active (local)' }] } }),
    ]).problems;
    expect(rows.map((r) => r.id)).toEqual(['htn', 'own']);
    expect(rows[0]).toMatchObject({ clinicalStatus: 'active', active: true });
    expect(rows[1]).toMatchObject({ clinicalStatusText: 'Active (local)', active: false });
    expect(rows[1]!.clinicalStatus).toBeUndefined();
  });

  it('never counts a refuted condition as active, and keeps unconfirmed as said', () => {
    const rows = mapConditions([
      base('mi', { clinicalStatus: clinical('active'), verificationStatus: verification('refuted') }),
      base('pe', { clinicalStatus: clinical('active'), verificationStatus: verification('unconfirmed') }),
    ]).problems;
    expect(rows.map((r) => [r.id, r.active, r.verificationStatus])).toEqual([
      ['pe', true, 'unconfirmed'],
      ['mi', false, 'refuted'],
    ]);
  });

  it('reads an onset given as an age by its UCUM code, and as an age range', () => {
    const rows = mapConditions([
      base('a', { onsetAge: { value: 3, system: 'http://unitsofmeasure.org', code: 'mo' } }),
      base('b', { onsetAge: { value: 1, code: 'a' } }),
      base('c', { onsetAge: { value: 2, unit: 'yrs', code: 'a' } }),
      base('d', {
        onsetRange: { low: { value: 30, code: 'a' }, high: { value: 40, code: 'a' } },
        abatementRange: { high: { value: 45, unit: 'years' } },
      }),
      base('e', { onsetRange: { low: { value: 6, code: 'wk' } } }),
    ]).problems;
    const text = Object.fromEntries(rows.map((r) => [r.id, [r.onset, r.abatement]]));
    expect(text).toEqual({
      a: ['age 3 months', undefined],
      b: ['age 1 year', undefined],
      c: ['age 2 yrs', undefined],
      d: ['age 30 years to 40 years', 'age under 45 years'],
      e: ['age 6 weeks or older', undefined],
    });
  });

  it('shows a problem filed under two categories, or at each visit, once', () => {
    const pvd = (id: string, extra: Partial<Condition>) =>
      base(id, {
        code: {
          coding: [
            { system: 'http://snomed.info/sct', code: '400047006', display: 'Peripheral vascular disease' },
          ],
        },
        ...extra,
      });
    const rows = mapConditions([
      pvd('p1', {
        clinicalStatus: clinical('active'),
        category: [cat('health-concern')],
        onsetDateTime: '2019-03-01',
      }),
      pvd('p2', {
        clinicalStatus: clinical('active'),
        category: [cat('problem-list-item')],
        onsetDateTime: '2018-01-05',
      }),
      // The same code resolved is another fact; so is each past episode.
      pvd('p3', {
        clinicalStatus: clinical('resolved'),
        category: [cat('problem-list-item')],
        onsetDateTime: '2010-01-01',
      }),
      pvd('p4', {
        clinicalStatus: clinical('resolved'),
        category: [cat('problem-list-item')],
        onsetDateTime: '2012-01-01',
      }),
      // Encounter diagnoses without a status, one a visit.
      ...['2021-02-01', '2023-06-30', '2022-01-10'].map((d, i) =>
        pvd(`e${i}`, { category: [cat('encounter-diagnosis')], recordedDate: d }),
      ),
      // The same code under another name is kept apart.
      pvd('other', {
        clinicalStatus: clinical('active'),
        code: { coding: [{ system: 'http://snomed.info/sct', code: '400047006' }], text: 'PVD, left leg' },
      }),
    ]).problems;
    expect(rows.map((r) => r.id)).toEqual(['p1', 'other', 'e0', 'p4', 'p3']);
    expect(rows[0]).toMatchObject({
      categories: ['health-concern', 'problem-list-item'],
      onset: '2018-01-05',
      records: 2,
    });
    expect(rows[2]).toMatchObject({
      categories: ['encounter-diagnosis'],
      recordedDate: '2021-02-01',
      lastRecordedDate: '2023-06-30',
      records: 3,
      active: false,
    });
    expect(rows[1]!.records).toBeUndefined();
    expect(rows[3]!.records).toBeUndefined();
    expect(rows[4]!.records).toBeUndefined();
  });
});
