import type { Observation } from '@medplum/fhirtypes';
import { codesIn, conceptLabel, LOINC } from './coding';
import type { CauseOfDeath } from './types';
import { isReportable } from './vitals';

/** LOINC 69453-9 "Cause of death [US Standard Certificate of Death]". */
export const CAUSE_OF_DEATH_LOINC = '69453-9';

interface Cause {
  readonly text: string;
  /** The certificate's line (a = 1 is the immediate cause), when the EHR gives it as a component's integer. */
  readonly line: number;
  readonly ms: number;
  readonly preliminary: boolean;
}

function causeOf(o: Observation): Cause | undefined {
  const preliminary = o.status.trim() === 'preliminary';
  if (!isReportable(o) || !codesIn(o.code, LOINC).includes(CAUSE_OF_DEATH_LOINC)) return undefined;
  const text = conceptLabel(o.valueCodeableConcept) ?? o.valueString?.trim();
  if (!text) return undefined;
  const line = o.component?.find((c) => Number.isInteger(c.valueInteger))?.valueInteger;
  const ms = Date.parse(o.effectiveDateTime ?? o.issued ?? '');
  return {
    text,
    line: line ?? Number.MAX_SAFE_INTEGER,
    ms: Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms,
    preliminary,
  };
}

/**
 * The cause of death as the EHR recorded it: each distinct cause once, in the certificate's order of lines where the
 * EHR numbers them (the immediate cause first), else in the order recorded. Final, amended or corrected records
 * count; preliminary ones only when there is no other, and then the model says so. Undefined when none is recorded:
 * the banner then says nothing, never "unknown".
 */
export function mapCauseOfDeath(observations: readonly Observation[]): CauseOfDeath | undefined {
  const all = observations.map(causeOf).filter((c): c is Cause => c !== undefined);
  const settled = all.filter((c) => !c.preliminary);
  const chosen = (settled.length > 0 ? settled : all).sort((a, b) => a.line - b.line || a.ms - b.ms);
  const causes: string[] = [];
  for (const c of chosen)
    if (!causes.some((t) => t.toLowerCase() === c.text.toLowerCase())) causes.push(c.text);
  if (causes.length === 0) return undefined;
  return { causes, preliminary: settled.length === 0 };
}
