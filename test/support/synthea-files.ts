import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { bundleResources, hasSynthea, SYNTHEA_DIR } from '../../e2e/support/synthea';

export { SYNTHEA_DIR };

/** The Synthea Bundles' file names, one test case each; empty where the shared fixtures are absent. */
export const syntheaFiles: readonly string[] = hasSynthea()
  ? readdirSync(SYNTHEA_DIR).filter((f) => f.endsWith('.json'))
  : [];

/** One Synthea patient as its Bundle holds it: the Patient and every resource. */
export function rawSynthea(file: string): { patient: Patient; resources: Resource[] } {
  const resources = bundleResources(JSON.parse(readFileSync(path.join(SYNTHEA_DIR, file), 'utf8')) as Bundle);
  return { patient: resources.find((r): r is Patient => r.resourceType === 'Patient')!, resources };
}

export const inCategory = (o: Observation, code: string): boolean =>
  (o.category ?? []).some((c) => c.coding?.some((x) => x.code === code));
