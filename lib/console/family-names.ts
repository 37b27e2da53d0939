import type { HumanName } from '@medplum/fhirtypes';

/**
 * Family-name comparison for the "same family name" alert. Pure: names are compared in memory
 * and never returned, stored or logged by the callers.
 */

/** Case-, accent- and whitespace-insensitive form of a family name; '' when nothing is left. */
export function normalizeFamilyName(family: string): string {
  return family
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Every non-empty normalised `name[].family` of a Patient, Practitioner, RelatedPerson or Person. */
export function familyNamesOf(resource: { readonly name?: readonly HumanName[] } | undefined): Set<string> {
  const out = new Set<string>();
  for (const name of resource?.name ?? []) {
    if (typeof name.family !== 'string') continue;
    const family = normalizeFamilyName(name.family);
    if (family !== '') out.add(family);
  }
  return out;
}

/** True when any family name of one equals any family name of the other. */
export function sharesFamilyName(
  a: { readonly name?: readonly HumanName[] } | undefined,
  b: { readonly name?: readonly HumanName[] } | undefined,
): boolean {
  const left = familyNamesOf(a);
  if (left.size === 0) return false;
  for (const family of familyNamesOf(b)) if (left.has(family)) return true;
  return false;
}
