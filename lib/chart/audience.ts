/**
 * Who the chart is for. A patient who signed in to see their own record gets
 * the patient view; everyone else (clinicians, staff) the clinician's chart.
 */

export type ChartAudience = 'patient' | 'clinician';

/** fhirUser names a Patient: ".../Patient/123" or "Patient/123". */
const PATIENT_USER = /(^|\/)Patient\/[^/]+$/;

export function chartAudience(
  user: string | undefined,
  mode: 'ehr' | 'patient' | 'provider' | undefined,
): ChartAudience {
  if (mode === 'patient') return 'patient';
  if (user !== undefined && PATIENT_USER.test(user)) return 'patient';
  return 'clinician';
}
