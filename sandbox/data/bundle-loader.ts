/**
 * Loads directories of FHIR Bundles (transaction or collection, as Synthea writes
 * them). `urn:uuid:` fullUrls become `Type/id` references with stable ids (the
 * resource's own id, else the uuid), and conditional references such as
 * `Practitioner?identifier=system|value` are resolved when the target was loaded.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';

const UUID_PREFIX = 'urn:uuid:';

interface LoadedFile {
  readonly resources: Resource[];
}

function isBundle(value: unknown): value is Bundle {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'Bundle';
}

/** Replaces every `reference` string through `resolve`, leaving everything else untouched. */
function rewriteReferences(node: unknown, resolve: (reference: string) => string): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      rewriteReferences(item, resolve);
    }
    return;
  }
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'reference' && typeof value === 'string') {
      record[key] = resolve(value);
    } else if (typeof value === 'object') {
      rewriteReferences(value, resolve);
    }
  }
}

function readBundle(bundle: Bundle, uuidMap: Map<string, string>): LoadedFile {
  const resources: Resource[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource) {
      continue;
    }
    const uuid = entry.fullUrl?.startsWith(UUID_PREFIX) ? entry.fullUrl.slice(UUID_PREFIX.length) : undefined;
    const id = resource.id ?? uuid;
    if (!id) {
      continue;
    }
    const withId = { ...resource, id } as Resource;
    if (entry.fullUrl) {
      uuidMap.set(entry.fullUrl, `${resource.resourceType}/${id}`);
    }
    resources.push(withId);
  }
  return { resources };
}

function identifierKey(resourceType: string, system: string | undefined, value: string | undefined): string {
  return `${resourceType}|${system ?? ''}|${value ?? ''}`;
}

export async function listBundleFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => name.endsWith('.json')).sort().map((name) => path.join(dir, name));
}

/** Reads every `*.json` Bundle under the given directories and returns their resources, references rewritten. */
export async function loadBundleDirs(dirs: readonly string[]): Promise<Resource[]> {
  const uuidMap = new Map<string, string>();
  const all: Resource[] = [];
  for (const dir of dirs) {
    for (const file of await listBundleFiles(dir)) {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (isBundle(parsed)) {
        all.push(...readBundle(parsed, uuidMap).resources);
      }
    }
  }
  const byIdentifier = new Map<string, string>();
  for (const resource of all) {
    const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier;
    for (const identifier of Array.isArray(identifiers) ? identifiers : []) {
      byIdentifier.set(identifierKey(resource.resourceType, identifier.system, identifier.value), `${resource.resourceType}/${resource.id ?? ''}`);
    }
  }
  const resolve = (reference: string): string => {
    const mapped = uuidMap.get(reference);
    if (mapped) {
      return mapped;
    }
    const conditional = /^([A-Za-z]+)\?identifier=(.*)$/.exec(reference);
    if (conditional?.[1] && conditional[2] !== undefined) {
      const token = decodeURIComponent(conditional[2]);
      const bar = token.indexOf('|');
      const key = bar >= 0 ? identifierKey(conditional[1], token.slice(0, bar), token.slice(bar + 1)) : identifierKey(conditional[1], undefined, token);
      return byIdentifier.get(key) ?? reference;
    }
    return reference;
  };
  for (const resource of all) {
    rewriteReferences(resource, resolve);
  }
  return all;
}
