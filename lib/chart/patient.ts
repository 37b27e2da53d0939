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

/**
 * The name a chart calls the patient by: one in use now (its period covers today) before one that is not, then by
 * use: official, usual, a name with no use given, temporary, nickname, anonymous, maiden; a name marked `old` only
 * when there is no other.
 */
const NAME_USES: readonly (HumanName['use'] | undefined)[] = [
  'official',
  'usual',
  undefined,
  'temp',
  'nickname',
  'anonymous',
  'maiden',
  'old',
];

function pickName(names: readonly HumanName[] | undefined, now: Date): HumanName | undefined {
  const rank = (n: HumanName) => {
    const use = NAME_USES.indexOf(n.use);
    return (isCurrent(n.period, now) && n.use !== 'old' ? 0 : NAME_USES.length) + (use < 0 ? 2 : use);
  };
  return (names ?? []).map((n, i) => ({ n, i, r: rank(n) })).sort((a, b) => a.r - b.r || a.i - b.i)[0]?.n;
}

/**
 * "Family, Given Middle Suffix" ("Smith, John Paul Jr."): a suffix tells a father from a son of the same name; the
 * name's text when it has no parts; "Unknown" otherwise. Prefixes (Mr, Dr) are left out, as a chart's banner does.
 */
export function formatName(name: HumanName | undefined): string {
  if (!name) return 'Unknown';
  const family = clean(name.family ?? '');
  const given = (name.given ?? []).map(clean).filter(Boolean).join(' ');
  const suffix = (name.suffix ?? []).map(clean).filter(Boolean).join(' ');
  const withSuffix = (s: string) => (suffix ? `${s} ${suffix}` : s);
  if (family && given) return withSuffix(`${family}, ${given}`);
  if (family || given) return withSuffix(family || given);
  return name.text?.trim() || 'Unknown';
}

const BIRTH_SEX = 'http://hl7.org/fhir/us-core/StructureDefinition/us-core-birthsex';

/** US Core's birth sex (F or M) when the EHR records it; "UNK" and "ASKU" say nothing a banner can show. */
function birthSexOf(patient: Patient): 'female' | 'male' | undefined {
  const code = patient.extension
    ?.find((x) => x.url === BIRTH_SEX)
    ?.valueCode?.trim()
    .toUpperCase();
  return code === 'F' ? 'female' : code === 'M' ? 'male' : undefined;
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
    ...(birthSexOf(patient) ? { birthSex: birthSexOf(patient) } : {}),
    ...(mrn ? { mrn: mrn.value, ...(mrn.system ? { mrnSystem: mrn.system } : {}) } : {}),
    deceased,
    ...(patient.deceasedDateTime ? { deceasedDateTime: patient.deceasedDateTime } : {}),
  };
}
