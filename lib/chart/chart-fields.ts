import type { Observation } from '@medplum/fhirtypes';

/** What the chart's mappers read: vitals, labs, growth and the newest-first reading's dates. */
const FIELDS = [
  'resourceType',
  'id',
  'status',
  'code',
  'effectiveDateTime',
  'effectivePeriod',
  'effectiveInstant',
  'issued',
  'valueQuantity',
  'valueInteger',
  'valueString',
  'valueCodeableConcept',
  'valueBoolean',
  'dataAbsentReason',
  'interpretation',
  'referenceRange',
  'component',
] as const satisfies readonly (keyof Observation)[];

/**
 * An Observation cut down to what the chart reads. Search pages are cut down
 * as each page arrives, so a record of tens of thousands of Observations is
 * never held whole: narrative, meta, subject, performer, encounter and the
 * categories go with their page.
 */
export function chartFields(o: Observation): Observation {
  const out: Partial<Record<(typeof FIELDS)[number], unknown>> = {};
  for (const k of FIELDS) if (o[k] !== undefined) out[k] = o[k];
  return out as Observation;
}
