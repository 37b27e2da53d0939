import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import type { MrnRule } from '../fhir/types';
import { clean, isCurrent } from './coding';
import type { PatientSummary } from './types';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

function matches(id: Identifier, rule: MrnRule): boolean {
  switch (rule.kind) {
    case 'type-code':
      return (id.type?.coding ?? []).some(
        (c) => c.code === rule.code && (c.system === V2_0203 || c.system === undefined),
      );
    case 'system':
      return id.system === rule.system;
    case 'type-text':
      return id.type?.text?.trim().toLowerCase() === rule.text.toLowerCase();
  }
}

function saysMrn(id: Identifier): boolean {
  const labels = [id.type?.text, ...(id.type?.coding ?? []).map((c) => c.display)];
  return labels.some((l) => l?.trim().toUpperCase() === 'MRN');
}

/**
 * The MRN among Patient.identifier: rules are tried in order; among several
 * matches (Oracle Health lists community, per-facility and expired MRNs)
 * current ones beat expired ones, and one whose type reads "MRN" beats a
 * community/enterprise number. Never an identifier marked `old`.
 */
export function pickMrn(
  identifiers: readonly Identifier[] | undefined,
  rules: readonly MrnRule[],
  now: Date = new Date(),
): string | undefined {
  return pickMrnIdentifier(identifiers, rules, now)?.value;
}

/** pickMrn's identifier: its value (trimmed) and system. */
export function pickMrnIdentifier(
  identifiers: readonly Identifier[] | undefined,
  rules: readonly MrnRule[],
  now: Date = new Date(),
): { readonly value: string; readonly system?: string } | undefined {
  for (const rule of rules) {
    const candidates = (identifiers ?? []).filter(
      (id) => id.value?.trim() && id.use !== 'old' && matches(id, rule),
    );
    const ranked = candidates
      .map((id, i) => ({ id, score: (isCurrent(id.period, now) ? 0 : 2) + (saysMrn(id) ? 0 : 1), i }))
      .sort((a, b) => a.score - b.score || a.i - b.i);
    const best = ranked[0]?.id;
    const value = best?.value?.trim();
    if (best && value) return { value, ...(best.system ? { system: best.system } : {}) };
  }
  return undefined;
}

function pickName(names: readonly HumanName[] | undefined, now: Date): HumanName | undefined {
  const list = (names ?? []).filter((n) => n.use !== 'old');
  const byUse = (use: HumanName['use']): HumanName | undefined =>
    list.find((n) => n.use === use && isCurrent(n.period, now)) ?? list.find((n) => n.use === use);
  return byUse('official') ?? byUse('usual') ?? list.find((n) => isCurrent(n.period, now)) ?? list[0];
}

/** "Family, Given Middle"; the name's text when it has no parts; "Unknown" otherwise. */
export function formatName(name: HumanName | undefined): string {
  if (!name) return 'Unknown';
  const family = clean(name.family ?? '');
  const given = (name.given ?? []).map(clean).filter(Boolean).join(' ');
  if (family && given) return `${family}, ${given}`;
  if (family || given) return family || given;
  return name.text?.trim() || 'Unknown';
}

export function summarizePatient(
  patient: Patient,
  mrnRules: readonly MrnRule[],
  now: Date = new Date(),
): PatientSummary {
  const deceased = patient.deceasedDateTime !== undefined || patient.deceasedBoolean === true;
  const mrn = pickMrnIdentifier(patient.identifier, mrnRules, now);
  return {
    id: patient.id ?? '',
    name: formatName(pickName(patient.name, now)),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(patient.gender ? { gender: patient.gender } : {}),
    ...(mrn ? { mrn: mrn.value, ...(mrn.system ? { mrnSystem: mrn.system } : {}) } : {}),
    deceased,
    ...(patient.deceasedDateTime ? { deceasedDateTime: patient.deceasedDateTime } : {}),
  };
}
