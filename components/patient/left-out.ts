/**
 * What the patient views say when a part of the record comes back empty. A
 * payload that carries warnings is one the health system did not send whole,
 * so its empty part reads "… sent no …", never "none on your record".
 */

/** Whether a widget payload (or an answer holding one) says the EHR left something out. */
export const leftOut = (payload: { readonly warnings?: readonly unknown[] } | undefined): boolean =>
  (payload?.warnings?.length ?? 0) > 0;

const EMPTY = {
  results: ['patient.noResults', 'patient.noResultsSent'],
  vitals: ['patient.noVitals', 'patient.noVitalsSent'],
  conditions: ['patient.noConditions', 'patient.noConditionsSent'],
} as const;

/** The message key for an empty part, whole or not ("patient." namespace included). */
export const emptyPartKey = (
  part: keyof typeof EMPTY,
  withheld: boolean,
): (typeof EMPTY)[keyof typeof EMPTY][number] => EMPTY[part][withheld ? 1 : 0];
