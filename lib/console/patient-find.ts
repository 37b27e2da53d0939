import { nameTokens } from '../audit/blind-index';
import type { FoundPatient, PatientSearchResult } from '../audit/patient-index';
import type { AuditQueryFilter } from '../audit/query';
import type { AuditStore } from '../audit/store';
import type { PatientIdentity } from '../audit/types';
import { patientReference, toFilter, type ConsoleSearch } from './search-params';

/**
 * The console's patient field takes a name, a birth date, an MRN or an
 * absolute FHIR reference. Anything but a reference goes to the store's
 * patient finder; the events searched are then those of every patient it
 * found, in every EHR.
 */

export type { FoundPatient, PatientIdentity, PatientSearchResult };

/** "Brennan, Sam · born 1980-03-04 · MRN SBX0100001", as the sealed audit record holds it. */
export function patientIdentityText(who: PatientIdentity): string {
  return [
    who.name ?? 'Name not recorded',
    ...(who.birthDate ? [`born ${who.birthDate}`] : []),
    ...(who.mrn ? [`MRN ${who.mrn.value}`] : []),
  ].join(' · ');
}

/** How many patients one search may name before the officer is asked to narrow it. */
export const PATIENT_LIMIT = 100;

export interface ResolvedSearch {
  readonly filter: AuditQueryFilter;
  /** The patient finder's answer, when the search named a patient by name, birth date or MRN. */
  readonly found?: PatientSearchResult;
}

export async function resolvePatients(
  store: Pick<AuditStore, 'findPatients'>,
  s: ConsoleSearch,
): Promise<ResolvedSearch> {
  const filter = toFilter(s);
  if (s.patient === undefined || patientReference(s) !== undefined) return { filter };
  const found = await store.findPatients(s.patient, {
    limit: PATIENT_LIMIT,
    ...(s.tenant !== undefined ? { tenant: s.tenant } : {}),
  });
  return { filter: { ...filter, patients: found.patients.map((p) => p.reference) }, found };
}

/** One person as the search found them: their records at one or more EHRs. */
export interface Person {
  readonly key: string;
  /** The same MRN (system and value) at each EHR. */
  readonly records: readonly FoundPatient[];
  /** Other people found with the same name and birth date but no shared MRN: a match for the officer to confirm. */
  readonly suggested: readonly string[];
}

const mrnKey = (p: FoundPatient): string | undefined =>
  p.identity.mrn
    ? `mrn\u0000${p.identity.mrn.system ?? ''}\u0000${p.identity.mrn.value.toUpperCase()}`
    : undefined;

const nameDateKey = (p: FoundPatient): string | undefined => {
  const tokens = nameTokens(p.identity.name ?? '').sort();
  return tokens.length > 0 && p.identity.birthDate
    ? `${tokens.join(' ')}\u0000${p.identity.birthDate}`
    : undefined;
};

/**
 * Groups the patients found into people: records with the same MRN system and
 * value are one person; people with the same name and birth date are only
 * suggested to each other, never merged.
 */
export function groupPeople(found: readonly FoundPatient[]): Person[] {
  const groups = new Map<string, FoundPatient[]>();
  for (const p of found) {
    const key = mrnKey(p) ?? `ref\u0000${p.reference}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const byNameDate = new Map<string, Set<string>>();
  for (const [key, records] of groups)
    for (const r of records) {
      const nd = nameDateKey(r);
      if (nd) byNameDate.set(nd, (byNameDate.get(nd) ?? new Set()).add(key));
    }
  return [...groups].map(([key, records]) => {
    const suggested = new Set<string>();
    for (const r of records) {
      const nd = nameDateKey(r);
      for (const other of nd ? (byNameDate.get(nd) ?? []) : []) if (other !== key) suggested.add(other);
    }
    return { key, records, suggested: [...suggested] };
  });
}
