/** The sandbox's fixed cast of synthetic patients (ids are stable: tests and demos name them). */
import { BMP, CBC, LIPIDS } from './catalog';
import { everyDays } from './profile-types';
import type { PatientProfile } from './profile-types';

const YEAR = 365;

export const PROFILES: readonly PatientProfile[] = [
  {
    id: 'sbx-adult-htn', given: 'Marcus', family: 'Brennan', gender: 'male', birthDate: '1968-03-14',
    description: 'adult, hypertension, BP trend, abnormal labs (H/L/HH/LL), active and resolved conditions',
    practitioner: 'sbx-dr-lee', vitalsKind: 'adult', visitDays: everyDays(5 * YEAR, 45), encounters: true,
    baseline: { systolic: 156, diastolic: 96, heartRate: 78, weightKg: 96, heightCm: 178, systolicDrift: -22, weightDriftKg: -4 },
    labs: {
      keys: [...BMP, ...LIPIDS, ...CBC], everyVisits: 4, shift: { ldl: 40, hdl: -12, creatinine: 0.2 },
      forced: [
        { draw: 2, key: 'potassium', value: 6.6 },
        { draw: 4, key: 'sodium', value: 118 },
        { draw: 5, key: 'potassium', value: 3.1 },
        { draw: 7, key: 'glucose', value: 46 },
      ],
    },
    conditions: [
      { snomed: '59621000', display: 'Essential hypertension', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 6 * YEAR },
      { snomed: '55822004', display: 'Hyperlipidemia', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 4 * YEAR },
      { snomed: '10509002', display: 'Acute bronchitis', clinical: 'resolved', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 3 * YEAR, abatementDaysAgo: 3 * YEAR - 21 },
      { snomed: '444814009', display: 'Viral sinusitis', clinical: 'resolved', verification: 'confirmed', category: 'encounter-diagnosis', onsetDaysAgo: 400, abatementDaysAgo: 385 },
      { snomed: '15777000', display: 'Prediabetes', clinical: 'inactive', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 5 * YEAR },
      { snomed: '73430006', display: 'Sleep apnea', clinical: 'active', verification: 'provisional', category: 'problem-list-item', onsetDaysAgo: 200 },
      { snomed: '160903007', display: 'Lives alone', clinical: 'active', verification: 'confirmed', category: 'health-concern', onsetDaysAgo: 2 * YEAR },
    ],
    smoking: 'former', quirks: { enteredInError: 2 },
  },
  {
    id: 'sbx-adult-diabetes', given: 'Priya', family: 'Castillo', gender: 'female', birthDate: '1975-09-02',
    description: 'adult, type 2 diabetes, high HbA1c and glucose, weights in lb and temperatures in degF',
    practitioner: 'sbx-dr-okafor', vitalsKind: 'adult', visitDays: everyDays(4 * YEAR, 60), encounters: true,
    baseline: { systolic: 128, diastolic: 82, heartRate: 82, weightKg: 92, heightCm: 163, weightDriftKg: 6 },
    labs: { keys: ['hba1c', 'glucose', 'creatinine', 'potassium', ...LIPIDS], everyVisits: 2, shift: { hba1c: 2.9, glucose: 75, triglycerides: 60 } },
    conditions: [
      { snomed: '44054006', display: 'Diabetes mellitus type 2', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 5 * YEAR },
      { snomed: '414916001', display: 'Obesity', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 8 * YEAR },
      { snomed: '271737000', display: 'Anemia', clinical: 'resolved', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 3 * YEAR, abatementDaysAgo: 2 * YEAR },
    ],
    smoking: 'never', quirks: { poundsEvery: 3, fahrenheitEvery: 2, molarGlucoseEvery: 4 },
  },
  {
    id: 'sbx-older-female', given: 'Rosa', family: 'Kowalski', gender: 'female', birthDate: '1946-11-20',
    description: 'older woman, sex- and age-specific reference ranges, low hemoglobin, CKD',
    practitioner: 'sbx-dr-lee', vitalsKind: 'adult', visitDays: everyDays(3 * YEAR, 90), encounters: true,
    baseline: { systolic: 138, diastolic: 74, heartRate: 72, weightKg: 61, heightCm: 158, weightDriftKg: -3 },
    labs: { keys: [...CBC, 'creatinine', 'potassium', 'tsh'], everyVisits: 1, shift: { hemoglobin: -3, hematocrit: -8, creatinine: 0.6 } },
    conditions: [
      { snomed: '64859006', display: 'Osteoporosis', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 9 * YEAR },
      { snomed: '433144002', display: 'Chronic kidney disease stage 3', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 4 * YEAR },
      { snomed: '271737000', display: 'Anemia', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 2 * YEAR },
      { snomed: '129839007', display: 'At risk for falls', clinical: 'active', verification: 'confirmed', category: 'health-concern', onsetDaysAgo: YEAR },
    ],
    smoking: 'never',
  },
  {
    id: 'sbx-child', given: 'Tomas', family: 'Mensah', gender: 'male', birthDate: '2019-04-12', keepsAge: true,
    description: 'child (about 6 years), growth measurements, asthma',
    practitioner: 'sbx-dr-okafor', vitalsKind: 'child', visitDays: [5 * YEAR, 4 * YEAR, 3 * YEAR, 2 * YEAR + 100, 2 * YEAR, YEAR, 180, 30], encounters: true,
    baseline: { systolic: 98, diastolic: 60, heartRate: 100, weightKg: 10, heightCm: 78 },
    labs: { keys: ['hemoglobin'], everyVisits: 3 },
    conditions: [
      { snomed: '195967001', display: 'Asthma', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 2 * YEAR },
      { snomed: '65363002', display: 'Otitis media', clinical: 'resolved', verification: 'confirmed', category: 'encounter-diagnosis', onsetDaysAgo: 2 * YEAR + 100, abatementDaysAgo: 2 * YEAR + 90 },
    ],
  },
  {
    id: 'sbx-newborn', given: 'Naomi', family: 'Ito', gender: 'female', birthDate: '2025-09-10', keepsAge: true,
    description: 'newborn, weight in g and kg, head circumference, age-specific (days) ranges, jaundice',
    practitioner: 'sbx-dr-okafor', vitalsKind: 'newborn', visitDays: [21, 20, 19, 17, 14, 7, 1], encounters: true,
    baseline: { systolic: 0, diastolic: 0, heartRate: 140, weightKg: 3.4, heightCm: 50 },
    labs: { keys: ['bilirubinNewborn', 'hemoglobin'], everyVisits: 1, forced: [{ draw: 3, key: 'bilirubinNewborn', value: 13.4 }] },
    conditions: [
      { snomed: '387712008', display: 'Neonatal jaundice', clinical: 'resolved', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 19, abatementDaysAgo: 10 },
    ],
  },
  {
    id: 'sbx-deceased', given: 'Samuel', family: 'Dube', gender: 'male', birthDate: '1939-06-30', deceasedDaysAgo: 2 * YEAR + 40,
    causeOfDeath: { snomed: '42343007', display: 'Congestive heart failure' },
    description: 'deceased patient (deceasedDateTime), record ends at death',
    practitioner: 'sbx-dr-lee', vitalsKind: 'adult', visitDays: everyDays(5 * YEAR, 120).filter((d) => d > 2 * YEAR + 40), encounters: true,
    baseline: { systolic: 142, diastolic: 78, heartRate: 84, weightKg: 70, heightCm: 172, weightDriftKg: -9 },
    labs: { keys: [...BMP], everyVisits: 2, shift: { creatinine: 0.9, bun: 14 } },
    quirks: { oxygenFrom: { progress: 0.6, litresPerMinute: 2 } },
    conditions: [
      { snomed: '84114007', display: 'Heart failure', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 6 * YEAR },
    ],
    smoking: 'former',
  },
  { id: 'sbx-sparse', given: 'Yuki', family: 'Haddad', gender: 'female', birthDate: '1990-01-25', description: 'almost no data: one absent lab result, one string result', practitioner: 'sbx-dr-okafor', vitalsKind: 'adult', visitDays: [], encounters: false, baseline: { systolic: 0, diastolic: 0, heartRate: 0, weightKg: 0, heightCm: 0 }, conditions: [] },
  ...(
    [
      ['sbx-adult-healthy', 'Grace', 'Eriksen', 'female', '1991-07-08', 'healthy adult, normal values', { systolic: 114, diastolic: 72, heartRate: 66, weightKg: 62, heightCm: 168 }, []],
      ['sbx-adult-asthma', 'Omar', 'Fontaine', 'male', '1998-02-17', 'young adult, asthma, current smoker', { systolic: 122, diastolic: 78, heartRate: 74, weightKg: 80, heightCm: 183 }, [{ snomed: '195967001', display: 'Asthma', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 12 * YEAR }]],
      ['sbx-adult-thyroid', 'Elena', 'Petrov', 'female', '1980-12-03', 'adult, hypothyroidism, raised TSH', { systolic: 118, diastolic: 76, heartRate: 62, weightKg: 71, heightCm: 165 }, [{ snomed: '40930008', display: 'Hypothyroidism', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 3 * YEAR }]],
      ['sbx-adult-ckd', 'Kwame', 'Nguyen', 'male', '1959-05-21', 'older adult, chronic kidney disease', { systolic: 136, diastolic: 84, heartRate: 70, weightKg: 84, heightCm: 175 }, [{ snomed: '433144002', display: 'Chronic kidney disease stage 3', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 5 * YEAR }]],
      // Shares the family name of her clinician, Dr Jordan Lee (the audit console's family-name alert).
      ['sbx-adult-lee', 'Naomi', 'Lee', 'female', '1987-10-12', 'adult, shares the family name of Dr Lee', { systolic: 116, diastolic: 74, heartRate: 68, weightKg: 64, heightCm: 166 }, []],
    ] as const
  ).map(([id, given, family, gender, birthDate, description, baseline, conditions], index): PatientProfile => ({
    id, given, family, gender, birthDate, description, baseline, conditions,
    practitioner: index % 2 === 0 ? 'sbx-dr-lee' : 'sbx-dr-okafor', vitalsKind: 'adult', visitDays: everyDays(3 * YEAR, 150), encounters: true,
    labs: { keys: id === 'sbx-adult-thyroid' ? ['tsh', ...CBC] : [...BMP, ...CBC], everyVisits: 2, shift: id === 'sbx-adult-thyroid' ? { tsh: 4.5 } : id === 'sbx-adult-ckd' ? { creatinine: 0.8, bun: 12 } : {} },
    smoking: id === 'sbx-adult-asthma' ? 'current' : 'never',
  })),
];

/** The large record: daily vitals and weekly labs over ten years (> 20,000 Observations). */
export const LARGE_PROFILE: PatientProfile = {
  id: 'sbx-large', given: 'Wei', family: 'Alvarez', gender: 'male', birthDate: '1955-08-09',
  description: 'very large record: daily vitals and weekly labs over ten years (> 20,000 Observations)',
  practitioner: 'sbx-dr-lee', vitalsKind: 'adult', visitDays: everyDays(10 * YEAR, 1), encounters: false,
  baseline: { systolic: 134, diastolic: 82, heartRate: 74, weightKg: 88, heightCm: 176, systolicDrift: 10, weightDriftKg: -6 },
  labs: { keys: [...BMP, ...CBC], everyVisits: 7, shift: { glucose: 20, creatinine: 0.3 } },
  conditions: [
    { snomed: '59621000', display: 'Essential hypertension', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 11 * YEAR },
    { snomed: '44054006', display: 'Diabetes mellitus type 2', clinical: 'active', verification: 'confirmed', category: 'problem-list-item', onsetDaysAgo: 9 * YEAR },
  ],
  smoking: 'former',
};
