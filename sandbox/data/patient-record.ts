/** Turns one PatientProfile into its FHIR resources, deterministically. */
import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { LABS } from './catalog';
import { causeOfDeath, condition, encounter, enteredInError, smokingStatus, sparseResults } from './clinical';
import { CITIES, STREETS } from './names';
import { lab } from './observations';
import type { ObsContext } from './observations';
import type { PatientProfile } from './profile-types';
import { createRng, deriveSeed } from './prng';
import { daysBefore } from './time';
import { vitalsForVisit } from './vitals';

export const SANDBOX_MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.19.5.99999.1';

export function patientResource(profile: PatientProfile, index: number, anchorMs: number): Patient {
  const place = CITIES[index % CITIES.length] ?? CITIES[0];
  const sparse = profile.id === 'sbx-sparse';
  return {
    resourceType: 'Patient',
    id: profile.id,
    active: true,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }], text: 'MRN' },
        system: SANDBOX_MRN_SYSTEM,
        value: `SBX${String(100_001 + index * 37).padStart(7, '0')}`,
      },
    ],
    name: [{ use: 'official', family: profile.family, given: [profile.given], text: `${profile.given} ${profile.family}` }],
    gender: profile.gender,
    birthDate: profile.birthDate,
    ...(profile.deceasedDaysAgo !== undefined ? { deceasedDateTime: daysBefore(anchorMs, profile.deceasedDaysAgo, 3 * 60 + 12) } : {}),
    ...(sparse
      ? {}
      : {
          telecom: [{ system: 'phone', value: `555-01${String(10 + index).padStart(2, '0')}`, use: 'home' }],
          address: [{ use: 'home', line: [`${100 + index * 7} ${STREETS[index % STREETS.length] ?? STREETS[0]}`], ...place, country: 'US' }],
          communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US', display: 'English (United States)' }] }, preferred: true }],
          generalPractitioner: [{ reference: `Practitioner/${profile.practitioner}` }],
          managingOrganization: { reference: 'Organization/sbx-org' },
        }),
  };
}

export function generatePatientRecord(profile: PatientProfile, index: number, seed: number, anchorMs: number): Resource[] {
  const rng = createRng(deriveSeed(seed, profile.id));
  const resources: Resource[] = [patientResource(profile, index, anchorMs)];
  let obsCount = 0;
  let encounterId: string | undefined;
  const ctx: ObsContext = {
    patientId: profile.id,
    sex: profile.gender,
    birthDate: profile.birthDate,
    performer: `Practitioner/${profile.practitioner}`,
    nextId: () => `${profile.id}-obs-${String(++obsCount).padStart(5, '0')}`,
    get encounter() {
      return encounterId;
    },
  };
  const observations: Observation[] = [];
  const visits = profile.visitDays;
  let draw = 0;
  visits.forEach((day, index) => {
    const effective = daysBefore(anchorMs, day, 8 * 60 + rng.int(0, 9 * 60));
    encounterId = profile.encounters ? `${profile.id}-enc-${String(index + 1).padStart(4, '0')}` : undefined;
    if (encounterId) {
      resources.push(encounter(encounterId, profile, effective));
    }
    const visit = { progress: visits.length > 1 ? index / (visits.length - 1) : 1, index, effective };
    observations.push(...vitalsForVisit(ctx, profile, visit, rng));
    const plan = profile.labs;
    if (plan && index % plan.everyVisits === plan.everyVisits - 1) {
      for (const key of plan.keys) {
        const forced = plan.forced?.find((f) => f.draw === draw && f.key === key);
        const molar = key === 'glucose' && profile.quirks?.molarGlucoseEvery !== undefined && draw % profile.quirks.molarGlucoseEvery === 0;
        const def = molar ? LABS.glucoseMolar : LABS[key];
        const shift = (plan.shift?.[key] ?? 0) / (molar ? 18 : 1);
        observations.push(lab(ctx, def, forced?.value ?? Math.max(0.01, rng.normal(def.mean + shift, def.sd)), effective));
      }
      draw++;
    }
  });
  encounterId = undefined;
  if (profile.id === 'sbx-sparse') {
    observations.push(...sparseResults(ctx, anchorMs));
  }
  for (let i = 0; i < (profile.quirks?.enteredInError ?? 0); i++) {
    observations.push(enteredInError(ctx, daysBefore(anchorMs, 100 + i * 200)));
  }
  if (profile.smoking) {
    observations.push(smokingStatus(ctx, profile.smoking, daysBefore(anchorMs, visits[visits.length - 1] ?? 60)));
  }
  if (profile.causeOfDeath && profile.deceasedDaysAgo !== undefined) {
    observations.push(causeOfDeath(ctx, profile.causeOfDeath, daysBefore(anchorMs, profile.deceasedDaysAgo - 3, 10 * 60)));
  }
  resources.push(...observations);
  profile.conditions.forEach((spec, i) => {
    const id = `${profile.id}-cond-${String(i + 1).padStart(3, '0')}`;
    let dxEncounter: string | undefined;
    if (spec.category === 'encounter-diagnosis') {
      dxEncounter = `${profile.id}-enc-dx-${i + 1}`;
      resources.push(encounter(dxEncounter, profile, daysBefore(anchorMs, spec.onsetDaysAgo, 10 * 60)));
    }
    resources.push(condition(id, profile, spec, anchorMs, dxEncounter));
  });
  return resources;
}

