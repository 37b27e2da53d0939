import type { Reference, Resource } from '@medplum/fhirtypes';
import { decodedId } from './id';

/**
 * A test of whether a resource an EHR returned for a patient's search names another patient. The app asks for one
 * patient's Observations and Conditions (`patient=`), so every answer's subject must be that patient; an EHR that
 * ignored the parameter, or answered from another patient's record, would otherwise put that record in this patient's
 * chart, the worst failure a chart can have. Only a reference that says who it is counts: `Patient/<id>` (relative, absolute or
 * versioned) or `urn:uuid:<id>`; a subject of another type is not this patient. A reference by identifier or display
 * alone, or none, cannot be compared and is kept. Made once per search: the usual reference is told by one comparison.
 */
export function anotherPatientTest(patientId: string): (resource: Resource) => boolean {
  const mine = `Patient/${patientId}`;
  const absolute = `/${mine}`;
  return (resource) => {
    if (resource.resourceType === 'Patient' || patientId === '') return false;
    const named = resource as { subject?: Reference; patient?: Reference };
    const ref = (named.subject ?? named.patient)?.reference;
    if (ref === mine || ref?.endsWith(absolute)) return false;
    return differs(ref?.trim(), patientId);
  };
}

function differs(ref: string | undefined, patientId: string): boolean {
  if (!ref || ref.startsWith('#')) return false;
  if (ref.startsWith('urn:uuid:')) return ref.slice('urn:uuid:'.length) !== patientId;
  const path = (ref.split(/[?#]/)[0] ?? '').replace(/\/_history\/[^/]*$/, '');
  const parts = path.split('/');
  if (parts.length < 2) return false;
  const [type, id] = parts.slice(-2) as [string, string];
  return type !== 'Patient' || decodedId(id) !== patientId;
}
