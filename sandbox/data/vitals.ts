/** Vital signs for one visit, with plausible trends per kind of patient. */
import type { Observation } from '@medplum/fhirtypes';
import { VITALS } from './catalog';
import { bloodPressure, round, vital } from './observations';
import type { ObsContext } from './observations';
import type { PatientProfile } from './profile-types';
import type { Rng } from './prng';
import { ageInDays } from './time';

export interface VisitInfo {
  /** 0 at the first visit, 1 at the last. */
  readonly progress: number;
  readonly index: number;
  readonly effective: string;
}

/** Typical weight (kg) and height (cm) of a child by age in days. */
function childGrowth(ageDays: number): { weightKg: number; heightCm: number } {
  const years = ageDays / 365.25;
  return { weightKg: 3.4 + 2.4 * Math.min(years, 1) * 2.5 + 2.1 * Math.max(0, years - 1), heightCm: 50 + 25 * Math.min(years, 1) + 6.5 * Math.max(0, years - 1) };
}

function temperature(ctx: ObsContext, profile: PatientProfile, visit: VisitInfo, celsius: number): Observation {
  const every = profile.quirks?.fahrenheitEvery;
  if (every && visit.index % every === 0) {
    return vital(ctx, VITALS.temperature, round((celsius * 9) / 5 + 32, 1), visit.effective, '[degF]');
  }
  return vital(ctx, VITALS.temperature, round(celsius, 1), visit.effective);
}

function weight(ctx: ObsContext, profile: PatientProfile, visit: VisitInfo, kg: number): Observation {
  const every = profile.quirks?.poundsEvery;
  if (every && visit.index % every === 0) {
    return vital(ctx, VITALS.weight, round(kg / 0.45359237, 1), visit.effective, '[lb_av]');
  }
  return vital(ctx, VITALS.weight, round(kg, 1), visit.effective);
}

/** A saturation taken on oxygen where the profile says so (quirks.oxygenFrom): its flow as a component. */
function onOxygen(profile: PatientProfile, visit: VisitInfo, spo2: Observation): Observation {
  const from = profile.quirks?.oxygenFrom;
  if (from === undefined || visit.progress < from.progress) return spo2;
  const flow = { system: 'http://loinc.org', code: '3151-8', display: 'Inhaled oxygen flow rate' };
  return {
    ...spo2,
    component: [
      {
        code: { coding: [flow], text: flow.display },
        valueQuantity: { value: from.litresPerMinute, unit: 'L/min', system: 'http://unitsofmeasure.org', code: 'L/min' },
      },
    ],
  };
}

export function vitalsForVisit(ctx: ObsContext, profile: PatientProfile, visit: VisitInfo, rng: Rng): Observation[] {
  const b = profile.baseline;
  const ageDays = ageInDays(profile.birthDate, Date.parse(visit.effective));
  const obs: Observation[] = [];
  if (profile.vitalsKind === 'newborn') {
    // Newborns lose up to ~7 % of birth weight in the first days, then gain ~30 g a day.
    const grams = ageDays <= 3 ? b.weightKg * 1000 * (1 - 0.023 * ageDays) : b.weightKg * 1000 * 0.93 + 30 * (ageDays - 3);
    obs.push(ageDays <= 2 ? vital(ctx, VITALS.weight, Math.round(grams), visit.effective, 'g') : vital(ctx, VITALS.weight, round(grams / 1000, 3), visit.effective));
    obs.push(vital(ctx, VITALS.height, round(b.heightCm + 0.1 * ageDays, 1), visit.effective));
    obs.push(vital(ctx, VITALS.headCircumference, round(34.5 + 0.05 * ageDays + rng.normal(0, 0.1), 1), visit.effective));
    obs.push(vital(ctx, VITALS.heartRate, Math.round(rng.normal(b.heartRate, 8)), visit.effective));
    obs.push(vital(ctx, VITALS.respRate, Math.round(rng.normal(44, 5)), visit.effective));
    obs.push(temperature(ctx, profile, visit, rng.normal(36.9, 0.2)));
    obs.push(vital(ctx, VITALS.spo2, Math.min(100, Math.round(rng.normal(98, 1))), visit.effective));
    return obs;
  }
  const child = profile.vitalsKind === 'child';
  const growth = child ? childGrowth(ageDays) : undefined;
  const kg = growth ? growth.weightKg + rng.normal(0, 0.3) : b.weightKg + (b.weightDriftKg ?? 0) * visit.progress + rng.normal(0, 0.6);
  const cm = growth ? growth.heightCm : b.heightCm;
  const systolic = Math.round(rng.normal(b.systolic + (b.systolicDrift ?? 0) * visit.progress, 7));
  const diastolic = Math.round(rng.normal(b.diastolic + ((b.systolicDrift ?? 0) * visit.progress) / 2, 5));
  obs.push(bloodPressure(ctx, systolic, Math.min(diastolic, systolic - 20), visit.effective));
  obs.push(vital(ctx, VITALS.heartRate, Math.round(rng.normal(child ? b.heartRate - 2 * (ageDays / 365) : b.heartRate, 6)), visit.effective));
  obs.push(vital(ctx, VITALS.respRate, Math.round(rng.normal(child ? 24 : 16, 2)), visit.effective));
  // An occasional fever keeps temperature charts from being flat.
  obs.push(temperature(ctx, profile, visit, rng.chance(0.05) ? rng.normal(38.6, 0.4) : rng.normal(36.8, 0.25)));
  obs.push(onOxygen(profile, visit, vital(ctx, VITALS.spo2, Math.min(100, Math.round(rng.normal(97, 1.2))), visit.effective)));
  obs.push(weight(ctx, profile, visit, kg));
  // Adults are measured for height now and then; children at every visit.
  if (child || visit.index % 10 === 0) {
    obs.push(vital(ctx, VITALS.height, round(cm, 1), visit.effective));
  }
  obs.push(vital(ctx, VITALS.bmi, round(kg / (cm / 100) ** 2, 1), visit.effective));
  return obs;
}
