/**
 * A FHIR date or dateTime as the EHR wrote it ("2024", "2024-03", "2024-03-05", "2024-03-05T09:30:00-05:00"):
 * nothing else. Free text in its place ("approx. 2012", a Condition's onsetString) is not a date: the platform's
 * lenient parser would make it the first of January, a day nobody recorded.
 */
const FHIR_DATE_TIME =
  /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export const isFhirDateTime = (value: string): boolean => FHIR_DATE_TIME.test(value);

/** Milliseconds since the epoch of a FHIR date or dateTime; NaN for anything else. */
export function fhirTime(value: string): number {
  return isFhirDateTime(value) ? Date.parse(value) : NaN;
}
