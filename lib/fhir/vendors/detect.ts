import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { Vendor } from '../types';

/** The bits of `.well-known/smart-configuration` detection looks at. */
export interface SmartConfiguration {
  readonly [key: string]: unknown;
}

/** Names vendors put in their CapabilityStatement (software, publisher, implementation). */
const PATTERNS: readonly (readonly [Vendor, RegExp])[] = [
  ['epic', /\bepic\b/i],
  ['cerner', /\b(cerner|millennium|oracle health)\b/i],
  ['athena', /\bathena(health|net)?\b/i],
  ['nextgen', /\bnextgen\b/i],
  ['veradigm', /\b(veradigm|allscripts|touchworks|sunrise)\b/i],
];

function isUrlLike(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim());
}

/**
 * Which vendor an EHR is, from what it says about itself: CapabilityStatement
 * `software.name`, `publisher`, `implementation.description`, `name`, and
 * non-URL text fields of the SMART configuration. URLs are never matched: a
 * host name proves nothing about the software behind it. Unknown → generic.
 */
export function detectVendor(
  capabilityStatement?: CapabilityStatement,
  smartConfiguration?: SmartConfiguration,
): Vendor {
  const texts: string[] = [];
  if (capabilityStatement) {
    const cs = capabilityStatement;
    for (const t of [cs.software?.name, cs.publisher, cs.implementation?.description, cs.name, cs.title]) {
      if (t && !isUrlLike(t)) texts.push(t);
    }
  }
  if (smartConfiguration) {
    for (const key of ['software', 'software_name', 'vendor', 'publisher', 'name'] as const) {
      const v = smartConfiguration[key];
      if (typeof v === 'string' && !isUrlLike(v)) texts.push(v);
    }
  }
  for (const text of texts) {
    for (const [vendor, re] of PATTERNS) if (re.test(text)) return vendor;
  }
  return 'generic';
}
