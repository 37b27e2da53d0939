/**
 * An in-memory index of the repository by patient compartment, so that a search
 * on a 30,000-Observation patient touches only that patient's resources. The
 * sandbox FHIR API is read-only, so the index is built once per repository.
 */
import { getResourceTypes } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import { ensureFhirSchema } from './schema';

/** Fields whose Patient reference puts a resource in that patient's compartment. */
const PATIENT_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

export class RepoIndex {
  private readonly byType = new Map<string, Map<string, Resource>>();
  private readonly byPatient = new Map<string, Map<string, Resource[]>>();

  add(resource: Resource): void {
    const id = resource.id;
    if (!id) {
      return;
    }
    let ofType = this.byType.get(resource.resourceType);
    if (!ofType) {
      ofType = new Map();
      this.byType.set(resource.resourceType, ofType);
    }
    ofType.set(id, resource);
    for (const patientId of patientsOf(resource)) {
      let buckets = this.byPatient.get(patientId);
      if (!buckets) {
        buckets = new Map();
        this.byPatient.set(patientId, buckets);
      }
      const list = buckets.get(resource.resourceType) ?? [];
      list.push(resource);
      buckets.set(resource.resourceType, list);
    }
  }

  get(resourceType: string, id: string): Resource | undefined {
    return this.byType.get(resourceType)?.get(id);
  }

  all(resourceType: string): readonly Resource[] {
    return [...(this.byType.get(resourceType)?.values() ?? [])];
  }

  /** The patient's resources of one type (the Patient itself for type Patient). */
  forPatient(patientId: string, resourceType: string): readonly Resource[] {
    if (resourceType === 'Patient') {
      const patient = this.get('Patient', patientId);
      return patient ? [patient] : [];
    }
    return this.byPatient.get(patientId)?.get(resourceType) ?? [];
  }

  isKnownType(resourceType: string): boolean {
    return getResourceTypes().includes(resourceType as Resource['resourceType']);
  }
}

export function patientsOf(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') {
    return resource.id ? [resource.id] : [];
  }
  const record = resource as unknown as Record<string, unknown>;
  const ids: string[] = [];
  for (const field of PATIENT_FIELDS) {
    const reference = (record[field] as { reference?: unknown } | undefined)?.reference;
    if (typeof reference === 'string' && reference.startsWith('Patient/')) {
      ids.push(reference.slice('Patient/'.length));
    }
  }
  return ids;
}

const cache = new WeakMap<MemoryRepository, Promise<RepoIndex>>();

/**
 * Registers an index built by whoever filled the repository (saves a second copy of
 * every resource at start-up). The resources must be the ones stored in `repo`.
 */
export function primeIndex(repo: MemoryRepository, resources: Iterable<Resource>): void {
  ensureFhirSchema();
  const index = new RepoIndex();
  for (const resource of resources) {
    index.add(resource);
  }
  cache.set(repo, Promise.resolve(index));
}

/** Builds (once per repository) the index of everything the repository holds. */
export function indexRepository(repo: MemoryRepository): Promise<RepoIndex> {
  let pending = cache.get(repo);
  if (!pending) {
    pending = (async () => {
      ensureFhirSchema();
      const index = new RepoIndex();
      for (const resourceType of getResourceTypes()) {
        const bundle = await repo.search({ resourceType });
        for (const entry of bundle.entry ?? []) {
          if (entry.resource) {
            index.add(entry.resource);
          }
        }
      }
      return index;
    })();
    cache.set(repo, pending);
  }
  return pending;
}
