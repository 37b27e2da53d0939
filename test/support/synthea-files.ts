import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes';

/** The shared Synthea patients (never copied into the repository); absent on machines without them. */
export const SYNTHEA_DIR = path.resolve(import.meta.dirname, '../..', '../shared/fixtures/synthea');

/** The Synthea Bundles' file names; empty where the shared fixtures are absent. */
export const syntheaFiles: readonly string[] = existsSync(SYNTHEA_DIR)
  ? readdirSync(SYNTHEA_DIR).filter((f) => f.endsWith('.json'))
  : [];

/** One Synthea patient as its Bundle holds it: the Patient and every resource. */
export function rawSynthea(file: string): { patient: Patient; resources: Resource[] } {
  const bundle = JSON.parse(readFileSync(path.join(SYNTHEA_DIR, file), 'utf8')) as Bundle;
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  return { patient: resources.find((r): r is Patient => r.resourceType === 'Patient')!, resources };
}

export const inCategory = (o: Observation, code: string): boolean =>
  (o.category ?? []).some((c) => c.coding?.some((x) => x.code === code));
