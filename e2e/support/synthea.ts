import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';

/** The shared Synthea patients (never copied into the repository); absent on machines without them. */
export const SYNTHEA_DIR = path.resolve('../shared/fixtures/synthea');
export const hasSynthea = (): boolean => existsSync(SYNTHEA_DIR);

export interface SyntheaPatient {
  readonly patient: Patient;
  /** Values of the patient's SSN, driver's licence and passport identifiers. */
  readonly national: readonly string[];
}

const NATIONAL = new Set(['SS', 'DL', 'PPN']);

/** Each Synthea patient's Bundle, as the file holds it. */
export function syntheaBundles(): Bundle[] {
  return readdirSync(SYNTHEA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(SYNTHEA_DIR, f), 'utf8')) as Bundle);
}

/** The resources of a Bundle's entries. */
export const bundleResources = (bundle: Bundle): Resource[] =>
  (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));

/** Each Synthea patient with its national identifier values, read straight from the Bundles. */
export function syntheaPatients(): SyntheaPatient[] {
  return syntheaBundles().flatMap((bundle) => {
    const entry = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
    const patient = entry?.resource as Patient | undefined;
    if (!patient) return [];
    const id = patient.id ?? entry?.fullUrl?.replace('urn:uuid:', '') ?? '';
    const national = (patient.identifier ?? [])
      .filter(
        (i) =>
          i.system === 'http://hl7.org/fhir/sid/us-ssn' ||
          (i.type?.coding ?? []).some((c) => NATIONAL.has(c.code ?? '')),
      )
      .flatMap((i) => (i.value ? [i.value] : []));
    return [{ patient: { ...patient, id }, national }];
  });
}

const officialName = (p: Patient) => p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
/** The family name as recorded. */
export const familyName = (p: Patient): string => officialName(p)?.family ?? '';
/** The first given name as recorded. */
export const givenName = (p: Patient): string => officialName(p)?.given?.[0] ?? '';
/** Without accents, as an officer without the key for them types it. */
export const withoutAccents = (s: string): string => s.normalize('NFKD').replace(/\p{M}+/gu, '');

/**
 * The two Synthea patients whose chart openings the finder spec counts exactly (a family name with accents, one
 * with an apostrophe); other specs that open charts of every patient leave them alone. Empty without the Bundles.
 */
export function finderPatients(): { readonly accented?: Patient; readonly apostrophe?: Patient } {
  if (!hasSynthea()) return {};
  const all = syntheaPatients().map((s) => s.patient);
  return {
    accented: all.find((p) => withoutAccents(familyName(p)) !== familyName(p)),
    apostrophe: all.find((p) => familyName(p).includes("'")),
  };
}
