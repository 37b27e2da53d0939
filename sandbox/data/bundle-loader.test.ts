import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAll } from '../fhir/test-support';
import { startTestFhirServer } from '../fhir/test-server';
import type { TestFhirServer } from '../fhir/test-server';
import { createSandboxData } from './create-sandbox-data';

const SYNTHEA = path.resolve(import.meta.dirname, '../../../shared/fixtures/synthea');

/** Counts per patient straight from the raw Bundles, without the loader. */
function rawCounts(): Map<string, { Observation: number; Condition: number }> {
  const counts = new Map<string, { Observation: number; Condition: number }>();
  for (const name of readdirSync(SYNTHEA).filter((n) => n.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(path.join(SYNTHEA, name), 'utf8')) as Bundle;
    const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
    const id = patient?.resource?.id ?? patient?.fullUrl?.replace('urn:uuid:', '') ?? '';
    const count = { Observation: 0, Condition: 0 };
    for (const entry of bundle.entry ?? []) {
      const type = entry.resource?.resourceType;
      if (type === 'Observation' || type === 'Condition') {
        count[type]++;
      }
    }
    counts.set(id, count);
  }
  return counts;
}

describe.skipIf(!existsSync(SYNTHEA))('Synthea Bundle loading (needs ../shared/fixtures/synthea)', () => {
  let server: TestFhirServer;
  let token: string;
  const expected = existsSync(SYNTHEA) ? rawCounts() : new Map();

  beforeAll(async () => {
    const { repo, directory } = await createSandboxData({ largePatient: false, bundleDirs: [SYNTHEA] });
    expect(directory.patients.filter((p) => expected.has(p.id))).toHaveLength(expected.size);
    server = await startTestFhirServer(repo, 'generic');
    token = server.grant({ clientId: 'c', scopes: ['user/*.read'] });
  }, 180_000);

  afterAll(async () => {
    await server.close();
  });

  it('loads every patient, with references rewritten from urn:uuid to Type/id', async () => {
    expect(expected.size).toBeGreaterThan(0);
    for (const id of expected.keys()) {
      const res = await server.get(`/Patient/${String(id)}`, token);
      expect(res.status).toBe(200);
    }
    const { resources } = await collectAll(server, `/Encounter?patient=${String([...expected.keys()][0])}&_count=500`, token);
    expect(JSON.stringify(resources)).not.toContain('urn:uuid:');
  });

  it('finds as many Observations and Conditions per patient as the raw Bundles hold', async () => {
    for (const [id, count] of expected) {
      const obs: Resource[] = (await collectAll(server, `/Observation?patient=${String(id)}&_count=200`, token)).resources;
      const conditions: Resource[] = (await collectAll(server, `/Condition?patient=${String(id)}&_count=200`, token)).resources;
      expect({ id, Observation: obs.length, Condition: conditions.length }).toEqual({ id, ...(count as object) });
    }
  }, 120_000);
});
