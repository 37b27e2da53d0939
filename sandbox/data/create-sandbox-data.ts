/** Builds the sandbox's in-memory FHIR data set: generated patients plus any loaded Bundles. */
import { MemoryRepository } from '@medplum/fhir-router';
import type { Organization, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import type { DirectoryPatient, SandboxDirectory } from '../contract';
import { primeIndex } from '../fhir/repo-index';
import { loadBundleDirs } from './bundle-loader';
import { generatePatientRecord } from './patient-record';
import { LARGE_PROFILE, PROFILES } from './profiles';
import type { PatientProfile } from './profile-types';
import { DAY_MS, DEFAULT_ANCHOR, dateOnly } from './time';

export interface SandboxDataOptions {
  readonly seed?: number;
  readonly largePatient?: boolean;
  readonly bundleDirs?: readonly string[];
  /** The instant all generated dates are relative to (ISO 8601). */
  readonly anchor?: string;
}

export const DEFAULT_SEED = 20_251_001;

const PRACTITIONERS = [
  { id: 'sbx-dr-lee', given: 'Jordan', family: 'Lee', npi: '9990000011' },
  { id: 'sbx-dr-okafor', given: 'Amara', family: 'Okafor', npi: '9990000029' },
] as const;

function staticResources(): Resource[] {
  const organization: Organization = {
    resourceType: 'Organization',
    id: 'sbx-org',
    active: true,
    name: 'Sandbox Community Clinic',
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '9990000003' }],
  };
  const practitioners = PRACTITIONERS.map(
    (p): Practitioner => ({
      resourceType: 'Practitioner',
      id: p.id,
      active: true,
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: p.npi }],
      name: [{ use: 'official', family: p.family, given: [p.given], prefix: ['Dr.'], text: `Dr. ${p.given} ${p.family}` }],
    }),
  );
  return [organization, ...practitioners];
}

/** The profile with the birth date it has at this anchor (moved with it when the patient keeps their age). */
export function atAnchor(profile: PatientProfile, anchorMs: number): PatientProfile {
  if (!profile.keepsAge) return profile;
  const days = Math.round((anchorMs - Date.parse(DEFAULT_ANCHOR)) / DAY_MS);
  const born = Date.parse(`${profile.birthDate}T00:00:00Z`) + days * DAY_MS;
  return { ...profile, birthDate: dateOnly(new Date(born).toISOString()) };
}

/** Every generated resource, in a stable order (the same seed and anchor give identical output). */
export function generateSandboxResources(opts: SandboxDataOptions = {}): Resource[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const anchorMs = Date.parse(opts.anchor ?? new Date(DEFAULT_ANCHOR).toISOString());
  const profiles = opts.largePatient === false ? PROFILES : [...PROFILES, LARGE_PROFILE];
  const resources = staticResources();
  profiles.forEach((profile, index) =>
    resources.push(...generatePatientRecord(atAnchor(profile, anchorMs), index, seed, anchorMs)),
  );
  const lastUpdated = new Date(anchorMs).toISOString();
  // A fixed version and timestamp keep the repository's content reproducible as well.
  return resources.map((r) => ({ ...r, meta: { ...r.meta, versionId: '1', lastUpdated } }));
}

function directoryEntry(patient: Patient, description: string): DirectoryPatient {
  const name = patient.name?.[0];
  return {
    id: patient.id ?? '',
    name: name?.text ?? [name?.given?.join(' '), name?.family].filter(Boolean).join(' '),
    birthDate: patient.birthDate ?? '',
    gender: patient.gender ?? 'unknown',
    description,
  };
}

export async function createSandboxData(opts: SandboxDataOptions = {}): Promise<{ repo: MemoryRepository; directory: SandboxDirectory }> {
  const repo = new MemoryRepository();
  const generated = generateSandboxResources(opts);
  const loaded = opts.bundleDirs && opts.bundleDirs.length > 0 ? await loadBundleDirs(opts.bundleDirs) : [];
  const descriptions = new Map([...PROFILES, LARGE_PROFILE].map((p) => [p.id, p.description]));
  const patients: DirectoryPatient[] = [];
  const stored: Resource[] = [];
  for (const resource of [...generated, ...loaded]) {
    stored.push(await repo.createResource(resource));
    if (resource.resourceType === 'Patient') {
      patients.push(directoryEntry(resource, descriptions.get(resource.id ?? '') ?? 'loaded from a FHIR Bundle'));
    }
  }
  // The FHIR server searches through a per-patient index; build it now from the stored copies.
  primeIndex(repo, stored);
  const practitioners = PRACTITIONERS.map((p) => ({ id: p.id, name: `Dr. ${p.given} ${p.family}` }));
  return { repo, directory: { patients, practitioners } };
}
