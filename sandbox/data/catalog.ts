/**
 * LOINC codes, UCUM units and reference ranges used by the generator.
 * Ranges are typical adult/paediatric values, good enough for a sandbox.
 */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

export interface VitalDef {
  readonly loinc: string;
  readonly display: string;
  readonly unit: string;
  readonly profile: string;
  /** Extra codings carried beside the main one (e.g. SpO2 2708-6). */
  readonly alsoCodes?: readonly { readonly code: string; readonly display: string }[];
}

const VITALS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/';

export const VITALS = {
  heartRate: { loinc: '8867-4', display: 'Heart rate', unit: '/min', profile: `${VITALS_PROFILE}heartrate` },
  respRate: { loinc: '9279-1', display: 'Respiratory rate', unit: '/min', profile: `${VITALS_PROFILE}resprate` },
  temperature: { loinc: '8310-5', display: 'Body temperature', unit: 'Cel', profile: `${VITALS_PROFILE}bodytemp` },
  spo2: {
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    profile: `${VITALS_PROFILE}oxygensat`,
    alsoCodes: [{ code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
  },
  weight: { loinc: '29463-7', display: 'Body weight', unit: 'kg', profile: `${VITALS_PROFILE}bodyweight` },
  height: { loinc: '8302-2', display: 'Body height', unit: 'cm', profile: `${VITALS_PROFILE}bodyheight` },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', profile: `${VITALS_PROFILE}bmi` },
  headCircumference: {
    loinc: '9843-4',
    display: 'Head Occipital-frontal circumference',
    unit: 'cm',
    profile: `${VITALS_PROFILE}headcircum`,
  },
} as const satisfies Record<string, VitalDef>;

export const BP = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional', profile: `${VITALS_PROFILE}bp` },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure' },
} as const;

export const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  '/min': 'beats/minute',
  Cel: 'C',
  '[degF]': 'F',
  '%': '%',
  kg: 'kg',
  g: 'g',
  '[lb_av]': 'lb',
  cm: 'cm',
  'kg/m2': 'kg/m2',
  'mm[Hg]': 'mmHg',
};

/** One reference range; `sex`/age bounds produce `appliesTo`/`age`. */
export interface RangeDef {
  readonly low?: number;
  readonly high?: number;
  readonly sex?: 'male' | 'female';
  readonly ageLow?: number;
  readonly ageHigh?: number;
  readonly ageUnit?: 'a' | 'd';
}

export interface LabDef {
  readonly loinc: string;
  readonly display: string;
  readonly unit: string;
  readonly decimals: number;
  readonly ranges: readonly RangeDef[];
  readonly criticalLow?: number;
  readonly criticalHigh?: number;
  /** Typical healthy value and spread, before a profile shifts it. */
  readonly mean: number;
  readonly sd: number;
}

export const LABS = {
  sodium: { loinc: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', decimals: 0, ranges: [{ low: 136, high: 145 }], criticalLow: 120, criticalHigh: 160, mean: 140, sd: 2 },
  potassium: { loinc: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', decimals: 1, ranges: [{ low: 3.5, high: 5.1 }], criticalLow: 2.8, criticalHigh: 6.2, mean: 4.2, sd: 0.35 },
  chloride: { loinc: '2075-0', display: 'Chloride [Moles/volume] in Serum or Plasma', unit: 'mmol/L', decimals: 0, ranges: [{ low: 98, high: 107 }], mean: 102, sd: 2 },
  bicarbonate: { loinc: '2028-9', display: 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', unit: 'mmol/L', decimals: 0, ranges: [{ low: 22, high: 29 }], mean: 25, sd: 1.5 },
  bun: { loinc: '3094-0', display: 'Urea nitrogen [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, ranges: [{ low: 7, high: 20 }], mean: 14, sd: 3 },
  creatinine: {
    loinc: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 2,
    ranges: [{ low: 0.74, high: 1.35, sex: 'male' }, { low: 0.59, high: 1.04, sex: 'female' }], mean: 0.9, sd: 0.12,
  },
  glucose: { loinc: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, ranges: [{ low: 70, high: 99 }], criticalLow: 50, criticalHigh: 400, mean: 88, sd: 8 },
  glucoseMolar: { loinc: '14749-6', display: 'Glucose [Moles/volume] in Serum or Plasma', unit: 'mmol/L', decimals: 1, ranges: [{ low: 3.9, high: 5.5 }], criticalLow: 2.8, criticalHigh: 22.2, mean: 4.9, sd: 0.45 },
  calcium: { loinc: '17861-6', display: 'Calcium [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 1, ranges: [{ low: 8.6, high: 10.3 }], criticalLow: 6.5, criticalHigh: 13, mean: 9.4, sd: 0.35 },
  hba1c: { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', decimals: 1, ranges: [{ low: 4, high: 5.6 }], mean: 5.2, sd: 0.25 },
  cholesterol: { loinc: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, ranges: [{ high: 200 }], mean: 185, sd: 20 },
  ldl: { loinc: '13457-7', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', unit: 'mg/dL', decimals: 0, ranges: [{ high: 100 }], mean: 105, sd: 20 },
  hdl: { loinc: '2085-9', display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, ranges: [{ low: 40 }], mean: 52, sd: 9 },
  triglycerides: { loinc: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, ranges: [{ high: 150 }], mean: 130, sd: 30 },
  wbc: { loinc: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', unit: '10*3/uL', decimals: 1, ranges: [{ low: 4.5, high: 11 }], criticalLow: 1.5, criticalHigh: 30, mean: 7, sd: 1.4 },
  hemoglobin: {
    loinc: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', decimals: 1,
    ranges: [
      { low: 14, high: 24, ageLow: 0, ageHigh: 30, ageUnit: 'd' },
      { low: 11.5, high: 15.5, ageLow: 1, ageHigh: 11, ageUnit: 'a' },
      { low: 13.5, high: 17.5, sex: 'male', ageLow: 18, ageHigh: 64, ageUnit: 'a' },
      { low: 12, high: 15.5, sex: 'female', ageLow: 18, ageHigh: 64, ageUnit: 'a' },
      { low: 12.6, high: 17.4, sex: 'male', ageLow: 65, ageHigh: 120, ageUnit: 'a' },
      { low: 11.7, high: 16.1, sex: 'female', ageLow: 65, ageHigh: 120, ageUnit: 'a' },
    ],
    criticalLow: 7, criticalHigh: 20, mean: 14, sd: 0.8,
  },
  hematocrit: {
    loinc: '4544-3', display: 'Hematocrit [Volume Fraction] of Blood by Automated count', unit: '%', decimals: 1,
    ranges: [{ low: 41, high: 53, sex: 'male' }, { low: 36, high: 46, sex: 'female' }], mean: 42, sd: 2.5,
  },
  platelets: { loinc: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', unit: '10*3/uL', decimals: 0, ranges: [{ low: 150, high: 400 }], criticalLow: 20, criticalHigh: 1000, mean: 250, sd: 45 },
  tsh: { loinc: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', unit: 'm[IU]/L', decimals: 2, ranges: [{ low: 0.4, high: 4 }], mean: 1.8, sd: 0.6 },
  bilirubinNewborn: {
    loinc: '1975-2', display: 'Bilirubin.total [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 1,
    ranges: [
      { high: 8, ageLow: 0, ageHigh: 1, ageUnit: 'd' },
      { high: 12, ageLow: 2, ageHigh: 5, ageUnit: 'd' },
      { high: 1.2, ageLow: 6, ageHigh: 43800, ageUnit: 'd' },
    ],
    criticalHigh: 20, mean: 6, sd: 1.5,
  },
} as const satisfies Record<string, LabDef>;

export type LabKey = keyof typeof LABS;

export const BMP: readonly LabKey[] = ['sodium', 'potassium', 'chloride', 'bicarbonate', 'bun', 'creatinine', 'glucose', 'calcium'];
export const LIPIDS: readonly LabKey[] = ['cholesterol', 'ldl', 'hdl', 'triglycerides'];
export const CBC: readonly LabKey[] = ['wbc', 'hemoglobin', 'hematocrit', 'platelets'];

export const SMOKING = {
  loinc: '72166-2',
  display: 'Tobacco smoking status',
  never: { code: '266919005', display: 'Never smoked tobacco' },
  former: { code: '8517006', display: 'Ex-smoker' },
  current: { code: '449868002', display: 'Smokes tobacco daily' },
} as const;
