/** Applies a token's scopes to one read or search: type permission, patient compartment, query restrictions. */
import { getSearchParameter } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { TokenGrant } from '../contract';
import { patientsOf } from './repo-index';
import { decideAccess } from './scopes';
import type { Interaction } from './scopes';
import { matchesRestriction } from './search';

export type AccessResult =
  | { readonly ok: false; readonly kind: 'insufficient-scope' | 'forbidden'; readonly message: string }
  | {
      readonly ok: true;
      /** The only patient whose data may be returned, when patient/ scopes alone apply. */
      readonly compartmentPatient?: string;
      /** Scope query restrictions (e.g. category=laboratory): a resource must satisfy one. */
      readonly allow: (resource: Resource) => boolean;
    };

/** Whether resources of this type belong to a patient's compartment (searchable by patient). */
export function isPatientCompartmentType(resourceType: string): boolean {
  return resourceType === 'Patient' || getSearchParameter(resourceType, 'patient') !== undefined;
}

export function checkAccess(grant: TokenGrant, resourceType: string, interaction: Interaction): AccessResult {
  const decision = decideAccess(grant.scopes, resourceType, interaction);
  if (decision.rules.length === 0) {
    return {
      ok: false,
      kind: 'insufficient-scope',
      message: `No scope grants ${interaction} on ${resourceType}`,
    };
  }
  const unrestricted = decision.rules.some((r) => r.restriction === undefined);
  const restrictions = decision.rules.flatMap((r) => (r.restriction ? [r.restriction] : []));
  const allow = unrestricted
    ? (): boolean => true
    : (resource: Resource): boolean => restrictions.some((q) => matchesRestriction(resource, q));
  if (!decision.patientOnly || !isPatientCompartmentType(resourceType)) {
    return { ok: true, allow };
  }
  if (!grant.patient) {
    return { ok: false, kind: 'forbidden', message: 'Patient scopes without a patient in context' };
  }
  return { ok: true, compartmentPatient: grant.patient, allow };
}

/** For reads: is this resource inside the compartment (when one applies)? */
export function inCompartment(resource: Resource, compartmentPatient: string | undefined): boolean {
  if (compartmentPatient === undefined) {
    return true;
  }
  return patientsOf(resource).includes(compartmentPatient);
}
