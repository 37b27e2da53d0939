import type { CodeableConcept, Coding, Period } from '@medplum/fhirtypes';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

/** Codes of a concept in a system (systems compared exactly). */
export function codesIn(concept: CodeableConcept | undefined, system: string): string[] {
  return (concept?.coding ?? []).filter((c) => c.system === system && c.code).map((c) => c.code as string);
}

/** Any coding's code, whatever the system (for value sets whose system vendors misspell). */
export function anyCode(concept: CodeableConcept | undefined): string | undefined {
  return concept?.coding?.find((c) => c.code)?.code;
}

/** The label a clinician reads: text, then the first display, then the first code. */
export function conceptLabel(concept: CodeableConcept | undefined): string | undefined {
  const text = concept?.text?.trim();
  if (text) return clean(text);
  const withDisplay = concept?.coding?.find((c: Coding) => c.display?.trim());
  if (withDisplay?.display) return clean(withDisplay.display);
  return concept?.coding?.find((c) => c.code)?.code;
}

/** Strips zero-width characters some EHRs leave in display strings. */
export function clean(s: string): string {
  return s.replace(/[\u200B-\u200D\uFEFF]/g, '').trim();
}

/** True when the period covers `now` (open ends count as covering). */
export function isCurrent(period: Period | undefined, now: Date): boolean {
  if (!period) return true;
  const t = now.getTime();
  if (period.start && Date.parse(period.start) > t) return false;
  if (period.end && Date.parse(period.end) < t) return false;
  return true;
}
