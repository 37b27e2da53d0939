import type { CodeableConcept, Coding, Period } from '@medplum/fhirtypes';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

function readCodes(concept: CodeableConcept | undefined, system: string): readonly string[] {
  return (concept?.coding ?? []).filter((c) => c.system === system && c.code).map((c) => c.code as string);
}

/** Codes already read of concepts that cannot change (lib/chart/chart-fields.ts holds a search's concepts once, frozen). */
const READ = new WeakMap<CodeableConcept, Map<string, readonly string[]>>();

/**
 * Codes of a concept in a system (systems compared exactly). A large record repeats a few dozen frozen concepts tens
 * of thousands of times; their codes are read once.
 */
export function codesIn(concept: CodeableConcept | undefined, system: string): readonly string[] {
  if (concept === undefined || !Object.isFrozen(concept)) return readCodes(concept, system);
  let bySystem = READ.get(concept);
  if (!bySystem) READ.set(concept, (bySystem = new Map<string, readonly string[]>()));
  let codes = bySystem.get(system);
  if (!codes) bySystem.set(system, (codes = Object.freeze(readCodes(concept, system))));
  return codes;
}

/**
 * The code of a concept bound to a small FHIR value set (a Condition's clinical or verification status, a reference
 * range's meaning): the coding in the value set's own system first, then any coding whose code is one of the set's,
 * whatever its system (vendors misspell the system, or leave it out). A vendor's own coding listed before the
 * standard one is never taken for it: a local "EIE" ahead of `entered-in-error` must not hide the latter.
 */
export function valueSetCode(
  concept: CodeableConcept | undefined,
  system: string,
  codes: ReadonlySet<string>,
): string | undefined {
  const codings = concept?.coding ?? [];
  const known = (c: Coding) => {
    const code = c.code?.trim();
    return code !== undefined && codes.has(code) ? code : undefined;
  };
  for (const c of codings) if (c.system === system && known(c)) return known(c);
  for (const c of codings) if (known(c)) return known(c);
  return undefined;
}

export const SNOMED = 'http://snomed.info/sct';

/**
 * The semantic tag that ends a SNOMED CT fully specified name, "Anemia (disorder)", "Cloudy urine (finding)"
 * (SNOMED CT Editorial Guide, semantic tags). It names the concept's hierarchy for terminologists; a problem list or
 * a result reads the term without it, as the concept's preferred term does.
 */
const SEMANTIC_TAG =
  /\s*\((?:disorder|finding|situation|event|procedure|regime\/therapy|observable entity|body structure|morphologic abnormality|qualifier value|substance|product|physical object|organism|person|social concept|environment|record artifact|specimen|staging scale|assessment scale|attribute|disposition)\)\s*$/i;

/** A name without the SNOMED CT semantic tag that may end it ("Anemia (disorder)" → "Anemia"). */
export function withoutSemanticTag(name: string): string {
  return name.replace(SEMANTIC_TAG, '');
}

/**
 * The label a clinician reads: text, then the first display, then the first code. A SNOMED CT-coded concept's
 * label loses a trailing semantic tag.
 */
export function conceptLabel(concept: CodeableConcept | undefined): string | undefined {
  const snomed = concept?.coding?.some((c) => c.system === SNOMED) ?? false;
  const term = (s: string) => (snomed ? withoutSemanticTag(clean(s)) : clean(s));
  const text = concept?.text?.trim();
  if (text) return term(text);
  const withDisplay = concept?.coding?.find((c: Coding) => c.display?.trim());
  if (withDisplay?.display) return term(withDisplay.display);
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
