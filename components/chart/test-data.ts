import type { Observation } from '@medplum/fhirtypes';
import type { ChartPayload, LabsModel, PatientSummary, ProblemsModel, VitalsModel } from '@/lib/chart/types';

/**
 * Chart models as the lib/chart mappers produce them from real FHIR (Synthea
 * and vendor sandboxes). Times are fixed; tests pin the clock to TEST_NOW.
 */
export const TEST_NOW = new Date('2025-06-01T12:00:00Z');
export const FETCHED_AT = '2025-06-01T11:59:58Z';

export function payload<T>(data: T, warnings: ChartPayload<T>['warnings'] = []): ChartPayload<T> {
  return { data, warnings, fetchedAt: FETCHED_AT };
}

export const patient: PatientSummary = {
  id: 'b1f1c2a4-7e1d-4c55-9a0e-3b1b1c7d2e10',
  name: 'Rodríguez, Ana María',
  birthDate: '1968-09-14',
  gender: 'female',
  mrn: 'E12345678',
  deceased: false,
};

export const deceasedPatient: PatientSummary = {
  id: 'c7d1',
  name: 'Okafor, Daniel',
  birthDate: '1941-02-03',
  gender: 'male',
  mrn: '203-118-77',
  deceased: true,
  deceasedDateTime: '2024-11-20T08:15:00Z',
};

export const vitals: VitalsModel = {
  series: [
    {
      kind: 'blood-pressure',
      loinc: '85354-9',
      label: 'Blood pressure',
      unit: 'mm[Hg]',
      points: [
        { observationId: 'bp-1', time: '2023-03-10T09:30:00Z', systolic: 128, diastolic: 82 },
        { observationId: 'bp-2', time: '2024-10-02T10:05:00Z', systolic: 135, diastolic: 88 },
        { observationId: 'bp-3', time: '2025-05-20T14:40:00Z', systolic: 142, diastolic: 91 },
      ],
    },
    {
      kind: 'heart-rate',
      loinc: '8867-4',
      label: 'Heart rate',
      unit: '/min',
      band: { low: 60, high: 100 },
      points: [
        { observationId: 'hr-1', time: '2023-03-10T09:30:00Z', value: 72 },
        { observationId: 'hr-2', time: '2024-10-02T10:05:00Z', value: 78 },
        { observationId: 'hr-3', time: '2025-05-20T14:40:00Z', value: 88 },
      ],
    },
    {
      kind: 'weight',
      loinc: '29463-7',
      label: 'Body weight',
      unit: 'kg',
      points: [
        { observationId: 'wt-1', time: '2023-03-10T09:30:00Z', value: 80.1 },
        {
          observationId: 'wt-2',
          time: '2025-05-20T14:40:00Z',
          value: 82.6,
          original: { value: 182, unit: '[lb_av]' },
        },
      ],
    },
    {
      kind: 'height',
      loinc: '8302-2',
      label: 'Body height',
      unit: 'cm',
      points: [{ observationId: 'ht-1', time: '2022-01-12T09:00:00Z', value: 165 }],
    },
  ],
};

/** The newest potassium and glucose results: each is its test's latest and the first of its history. */
const POTASSIUM_LATEST = {
  observationId: 'k-2',
  time: '2025-05-20T15:10:00Z',
  value: 2.9,
  unit: 'mmol/L',
  range: { low: 3.5, high: 5.1, unit: 'mmol/L', text: '3.5–5.1 mmol/L' },
  flag: 'LL',
  flagSource: 'ehr',
} as const;

const GLUCOSE_LATEST = {
  observationId: 'glu-2',
  time: '2025-05-20T15:10:00Z',
  value: 182,
  unit: 'mg/dL',
  range: { low: 70, high: 99, unit: 'mg/dL', text: '70–99 mg/dL' },
  flag: 'H',
  flagSource: 'computed',
} as const;

export const labs: LabsModel = {
  groups: [
    {
      key: 'http://loinc.org|2823-3',
      label: 'Potassium',
      loinc: '2823-3',
      latest: POTASSIUM_LATEST,
      history: [
        POTASSIUM_LATEST,
        {
          observationId: 'k-1',
          time: '2024-10-02T10:30:00Z',
          value: 4.1,
          unit: 'mmol/L',
          range: { low: 3.5, high: 5.1, unit: 'mmol/L', text: '3.5–5.1 mmol/L' },
        },
      ],
    },
    {
      key: 'http://loinc.org|2345-7',
      label: 'Glucose',
      loinc: '2345-7',
      latest: GLUCOSE_LATEST,
      history: [
        GLUCOSE_LATEST,
        {
          observationId: 'glu-1',
          time: '2024-10-02T10:30:00Z',
          value: 131,
          unit: 'mg/dL',
          original: { value: 7.27, unit: 'mmol/L' },
          range: { low: 70, high: 99, unit: 'mg/dL', text: '70–99 mg/dL' },
          flag: 'H',
          flagSource: 'ehr',
        },
        {
          observationId: 'glu-0',
          time: '2023-03-10T10:00:00Z',
          value: 96,
          unit: 'mg/dL',
          range: { low: 70, high: 99, unit: 'mg/dL', text: '70–99 mg/dL' },
        },
      ],
    },
    {
      key: 'http://loinc.org|718-7',
      label: 'Hemoglobin',
      loinc: '718-7',
      latest: {
        observationId: 'hgb-1',
        time: '2025-05-20T15:10:00Z',
        value: 13.1,
        unit: 'g/dL',
        range: { low: 12, high: 15.5, unit: 'g/dL', qualifier: 'Female' },
      },
      history: [
        {
          observationId: 'hgb-1',
          time: '2025-05-20T15:10:00Z',
          value: 13.1,
          unit: 'g/dL',
          range: { low: 12, high: 15.5, unit: 'g/dL', qualifier: 'Female' },
        },
      ],
    },
    {
      key: 'http://loinc.org|2160-0',
      label: 'Creatinine',
      loinc: '2160-0',
      latest: {
        observationId: 'cr-1',
        time: '2025-05-20T15:10:00Z',
        absentReason: 'Specimen unsatisfactory',
      },
      history: [
        { observationId: 'cr-1', time: '2025-05-20T15:10:00Z', absentReason: 'Specimen unsatisfactory' },
      ],
    },
  ],
};

export const problems: ProblemsModel = {
  problems: [
    {
      id: 'cond-htn',
      label: 'Essential hypertension',
      code: '59621000',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      categories: ['problem-list-item'],
      onset: '2019-04-02',
      recordedDate: '2019-04-02',
      active: true,
    },
    {
      id: 'cond-dm',
      label: 'Prediabetes',
      clinicalStatus: 'active',
      verificationStatus: 'provisional',
      categories: ['encounter-diagnosis'],
      onset: '2025-05-20',
      active: true,
    },
    {
      id: 'cond-pna',
      label: 'Pneumonia',
      clinicalStatus: 'resolved',
      verificationStatus: 'confirmed',
      categories: ['encounter-diagnosis'],
      onset: '2023-01-08',
      abatement: '2023-02-01',
      active: false,
    },
    {
      id: 'cond-asthma',
      label: 'Asthma',
      clinicalStatus: 'inactive',
      verificationStatus: 'refuted',
      categories: ['health-concern'],
      onset: '2010',
      active: false,
    },
  ],
};

export const problemsWarnings: ChartPayload<ProblemsModel>['warnings'] = [
  {
    resourceType: 'Condition',
    kind: 'withheld',
    category: 'encounter-diagnosis',
    message: 'This EHR withheld encounter diagnoses from this app.',
  },
];

export const labsWarnings: ChartPayload<LabsModel>['warnings'] = [
  {
    resourceType: 'Observation',
    kind: 'truncated',
    category: 'laboratory',
    message: 'Only the most recent 500 lab results are shown.',
  },
];

/** FHIR Observations as an EHR sends them, for the tests that map their own: a LOINC code, a UCUM quantity. */
const U = 'http://unitsofmeasure.org';
export const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
export const q = (value: number, code: string) => ({ value, unit: code, system: U, code });
export const reading = (id: string, code: string, time: string, rest: Partial<Observation>): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc(code),
  effectiveDateTime: time,
  ...rest,
});
