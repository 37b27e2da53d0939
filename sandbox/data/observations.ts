/** Builders for vital-sign and laboratory Observations (FHIR R4 / US Core shapes). */
import type { CodeableConcept, Observation, ObservationReferenceRange } from '@medplum/fhirtypes';
import { BP, INTERPRETATION, LOINC, OBSERVATION_CATEGORY, UCUM, UNIT_DISPLAY } from './catalog';
import type { LabDef, RangeDef, VitalDef } from './catalog';

/** Where an Observation belongs; `nextId` hands out stable ids in generation order. */
export interface ObsContext {
  readonly patientId: string;
  readonly sex: 'male' | 'female';
  readonly birthDate: string;
  readonly performer: string;
  readonly nextId: () => string;
  readonly encounter?: string;
}

export type InterpretationCode = 'N' | 'H' | 'L' | 'HH' | 'LL' | 'A';

const INTERPRETATION_DISPLAY: Readonly<Record<InterpretationCode, string>> = {
  N: 'Normal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
  A: 'Abnormal',
};

export function category(code: 'vital-signs' | 'laboratory' | 'social-history' | 'exam'): CodeableConcept[] {
  const display = { 'vital-signs': 'Vital Signs', laboratory: 'Laboratory', 'social-history': 'Social History', exam: 'Exam' }[code];
  return [{ coding: [{ system: OBSERVATION_CATEGORY, code, display }], text: display }];
}

export function interpretation(code: InterpretationCode): CodeableConcept[] {
  return [{ coding: [{ system: INTERPRETATION, code, display: INTERPRETATION_DISPLAY[code] }], text: INTERPRETATION_DISPLAY[code] }];
}

function base(ctx: ObsContext, effective: string): Pick<Observation, 'subject' | 'effectiveDateTime' | 'issued' | 'performer' | 'encounter'> {
  return {
    subject: { reference: `Patient/${ctx.patientId}` },
    ...(ctx.encounter ? { encounter: { reference: `Encounter/${ctx.encounter}` } } : {}),
    effectiveDateTime: effective,
    issued: effective,
    performer: [{ reference: ctx.performer }],
  };
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function vital(ctx: ObsContext, def: VitalDef, value: number, effective: string, unit: string = def.unit): Observation {
  return {
    resourceType: 'Observation',
    id: ctx.nextId(),
    meta: { profile: [def.profile] },
    status: 'final',
    category: category('vital-signs'),
    code: {
      coding: [
        { system: LOINC, code: def.loinc, display: def.display },
        ...(def.alsoCodes ?? []).map((c) => ({ system: LOINC, code: c.code, display: c.display })),
      ],
      text: def.display,
    },
    ...base(ctx, effective),
    valueQuantity: { value, unit: UNIT_DISPLAY[unit] ?? unit, system: UCUM, code: unit },
  };
}

export function bloodPressure(ctx: ObsContext, systolic: number, diastolic: number, effective: string): Observation {
  const abnormal = systolic >= 140 || diastolic >= 90 || systolic < 90 || diastolic < 60;
  const component = (def: { loinc: string; display: string }, value: number): NonNullable<Observation['component']>[number] => ({
    code: { coding: [{ system: LOINC, code: def.loinc, display: def.display }], text: def.display },
    valueQuantity: { value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
  });
  return {
    resourceType: 'Observation',
    id: ctx.nextId(),
    meta: { profile: [BP.panel.profile] },
    status: 'final',
    category: category('vital-signs'),
    code: { coding: [{ system: LOINC, code: BP.panel.loinc, display: BP.panel.display }], text: 'Blood pressure' },
    ...base(ctx, effective),
    ...(abnormal ? { interpretation: interpretation('A') } : {}),
    component: [component(BP.systolic, systolic), component(BP.diastolic, diastolic)],
  };
}

/** Age in the unit a range is expressed in. */
function ageIn(unit: 'a' | 'd', birthDate: string, effective: string): number {
  const days = (Date.parse(effective) - Date.parse(`${birthDate}T00:00:00Z`)) / 86_400_000;
  return unit === 'd' ? Math.floor(days) : Math.floor(days / 365.25);
}

export function applicableRange(ranges: readonly RangeDef[], sex: 'male' | 'female', birthDate: string, effective: string): RangeDef | undefined {
  return ranges.find((r) => {
    if (r.sex && r.sex !== sex) {
      return false;
    }
    if (r.ageUnit) {
      const age = ageIn(r.ageUnit, birthDate, effective);
      return age >= (r.ageLow ?? 0) && age <= (r.ageHigh ?? Number.POSITIVE_INFINITY);
    }
    return true;
  });
}

export function interpret(value: number, range: RangeDef | undefined, def: Pick<LabDef, 'criticalLow' | 'criticalHigh'>): InterpretationCode | undefined {
  if (!range) {
    return undefined;
  }
  if (def.criticalLow !== undefined && value < def.criticalLow) {
    return 'LL';
  }
  if (def.criticalHigh !== undefined && value > def.criticalHigh) {
    return 'HH';
  }
  if (range.low !== undefined && value < range.low) {
    return 'L';
  }
  if (range.high !== undefined && value > range.high) {
    return 'H';
  }
  return 'N';
}

function toReferenceRange(range: RangeDef, unit: string): ObservationReferenceRange {
  const quantity = (value: number): { value: number; unit: string; system: string; code: string } => ({ value, unit, system: UCUM, code: unit });
  const result: ObservationReferenceRange = {};
  if (range.low !== undefined) {
    result.low = quantity(range.low);
  }
  if (range.high !== undefined) {
    result.high = quantity(range.high);
  }
  if (range.sex) {
    result.appliesTo = [{ coding: [{ system: 'http://hl7.org/fhir/administrative-gender', code: range.sex, display: range.sex === 'male' ? 'Male' : 'Female' }], text: range.sex === 'male' ? 'Male' : 'Female' }];
  }
  if (range.ageUnit) {
    const ageUnit = range.ageUnit;
    const unitText = ageUnit === 'a' ? 'years' : 'days';
    const age = (value: number): { value: number; unit: string; system: string; code: string } => ({ value, unit: unitText, system: UCUM, code: ageUnit });
    result.age = { low: age(range.ageLow ?? 0), ...(range.ageHigh !== undefined ? { high: age(range.ageHigh) } : {}) };
  }
  const bounds = [range.low !== undefined ? `${range.low}` : '', range.high !== undefined ? `${range.high}` : ''];
  result.text = range.low === undefined ? `<=${bounds[1]} ${unit}` : range.high === undefined ? `>=${bounds[0]} ${unit}` : `${bounds[0]}-${bounds[1]} ${unit}`;
  return result;
}

export function lab(ctx: ObsContext, def: LabDef, rawValue: number, effective: string): Observation {
  const value = round(rawValue, def.decimals);
  const range = applicableRange(def.ranges, ctx.sex, ctx.birthDate, effective);
  const code = interpret(value, range, def);
  // Sex- or age-specific ranges are all sent, as many labs do; the flag follows the one that applies.
  const ranges = def.ranges.some((r) => r.sex || r.ageUnit) ? def.ranges : range ? [range] : [];
  return {
    resourceType: 'Observation',
    id: ctx.nextId(),
    status: 'final',
    category: category('laboratory'),
    code: { coding: [{ system: LOINC, code: def.loinc, display: def.display }], text: def.display },
    ...base(ctx, effective),
    valueQuantity: { value, unit: def.unit, system: UCUM, code: def.unit },
    ...(code ? { interpretation: interpretation(code) } : {}),
    ...(ranges.length > 0 ? { referenceRange: ranges.map((r) => toReferenceRange(r, def.unit)) } : {}),
  };
}
