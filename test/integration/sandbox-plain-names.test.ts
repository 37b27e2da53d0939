/**
 * The patient view of every sandbox patient, in Spanish, names each test in Spanish: every lab and vital sign the
 * sandbox EHR generates has a plain name (lib/chart/plain-language.ts), so none falls back to the chart's English name
 * beside the Spanish "ask your care team what this test measures".
 */
import type { Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { plainTestKey } from '../../lib/chart/plain-language';
import { generateSandboxResources } from '../../sandbox/data';

const LOINC = 'http://loinc.org';
const SHOWN = new Set(['laboratory', 'vital-signs']);

const isObservation = (r: Resource): r is Observation => r.resourceType === 'Observation';

/** The LOINC codes of the results the patient view shows (labs and vital signs), each once. */
function shownCodes(resources: readonly Resource[]): string[] {
  const codes = resources
    .filter(isObservation)
    .filter((o) => o.category?.some((c) => c.coding?.some((k) => SHOWN.has(k.code ?? ''))))
    .flatMap((o) => o.code.coding?.filter((c) => c.system === LOINC).map((c) => c.code ?? '') ?? []);
  return [...new Set(codes)].sort();
}

describe('plain names of the sandbox’s tests', () => {
  const codes = shownCodes(generateSandboxResources());

  it('finds the labs and vital signs it checks', () => {
    expect(codes.length).toBeGreaterThan(25);
  });

  it.each(codes)('LOINC %s has a plain name', (code) => {
    expect(plainTestKey(code)).toBeDefined();
  });
});
