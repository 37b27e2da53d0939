import type { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, Condition, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSandboxResources } from '../data';
import { createSandboxData } from '../data';
import { collectAll, fetchBundle } from './test-support';
import { startTestFhirServer } from './test-server';
import type { TestFhirServer } from './test-server';

let repo: MemoryRepository;
let server: TestFhirServer;
let expected: Resource[];

const HTN = 'sbx-adult-htn';

function ofPatient<T extends Resource>(type: T['resourceType'], patient: string): T[] {
  return expected.filter(
    (r): r is T => r.resourceType === type && (r as Observation).subject?.reference === `Patient/${patient}`,
  );
}

function hasCategory(r: Observation | Condition, code: string): boolean {
  return (r.category ?? []).some((c) => c.coding?.some((x) => x.code === code));
}

beforeAll(async () => {
  ({ repo } = await createSandboxData({ largePatient: false }));
  // An independent copy of what was generated, to count against.
  expected = generateSandboxResources({ largePatient: false });
  server = await startTestFhirServer(repo, 'generic');
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('authentication', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const res = await server.get(`/Patient/${HTN}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 invalid_token for an unknown token and for a token issued to another base', async () => {
    expect((await server.get(`/Patient/${HTN}`, 'nope')).status).toBe(401);
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      aud: 'http://elsewhere.invalid/fhir',
    });
    const res = await server.get(`/Patient/${HTN}`, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('serves the CapabilityStatement without a token, with the SMART oauth-uris', async () => {
    const res = await server.get('/metadata');
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const cs = (await res.json()) as CapabilityStatement;
    expect(cs.software?.name).toBe('HAPI FHIR Server');
    const ext = cs.rest?.[0]?.security?.extension?.find(
      (e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
    expect(ext?.extension?.map((e) => e.url)).toEqual(expect.arrayContaining(['authorize', 'token']));
  });
});

describe('read and search', () => {
  let token: string;
  beforeAll(() => {
    token = server.grant({ clientId: 'c', scopes: ['user/*.read'] });
  });

  it('reads a patient as application/fhir+json and 404s an unknown one with an OperationOutcome', async () => {
    const res = await server.get(`/Patient/${HTN}`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expect(((await res.json()) as Resource).id).toBe(HTN);
    const missing = await server.get('/Patient/does-not-exist', token);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Resource).resourceType).toBe('OperationOutcome');
  });

  it('pages through every Observation of a patient, following next links verbatim', async () => {
    const { resources, pages } = await collectAll(server, `/Observation?patient=${HTN}&_count=50`, token);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[1]?.link?.find((l) => l.relation === 'self')?.url).toContain('_getpages=');
    expect(resources.map((r) => r.id).sort()).toEqual(
      ofPatient<Observation>('Observation', HTN)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('filters by category and code, and sorts by -date', async () => {
    const { resources } = await collectAll(
      server,
      `/Observation?patient=Patient/${HTN}&category=laboratory&code=http://loinc.org|2823-3&_sort=-date&_count=5`,
      token,
    );
    const want = ofPatient<Observation>('Observation', HTN).filter(
      (o) => hasCategory(o, 'laboratory') && o.code?.coding?.[0]?.code === '2823-3',
    );
    expect(resources).toHaveLength(want.length);
    const dates = (resources as Observation[]).map((o) => o.effectiveDateTime ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('applies date prefixes', async () => {
    const all = ofPatient<Observation>('Observation', HTN).filter((o) => hasCategory(o, 'vital-signs'));
    const cut = all[Math.floor(all.length / 2)]?.effectiveDateTime?.slice(0, 10) ?? '';
    const { resources } = await collectAll(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&date=ge${cut}&_count=200`,
      token,
    );
    expect(resources.length).toBe(all.filter((o) => (o.effectiveDateTime ?? '') >= cut).length);
    const { resources: before } = await collectAll(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&date=lt${cut}&_count=200`,
      token,
    );
    expect(before.length + resources.length).toBe(all.length);
  });

  it('filters Conditions by clinical-status and category', async () => {
    const active = await collectAll(server, `/Condition?patient=${HTN}&clinical-status=active`, token);
    const want = ofPatient<Condition>('Condition', HTN).filter(
      (c) => c.clinicalStatus?.coding?.[0]?.code === 'active',
    );
    expect(active.resources.map((r) => r.id).sort()).toEqual(want.map((c) => c.id).sort());
    const dx = await collectAll(server, `/Condition?patient=${HTN}&category=encounter-diagnosis`, token);
    expect(dx.resources).toHaveLength(1);
  });

  it('finds patients by name, birthdate and identifier', async () => {
    expect(
      (await fetchBundle(server, '/Patient?name=brenn', token)).entry?.map((e) => e.resource?.id),
    ).toEqual([HTN]);
    expect(
      (await fetchBundle(server, '/Patient?birthdate=1968-03-14', token)).entry?.map((e) => e.resource?.id),
    ).toEqual([HTN]);
    const patient = (await (await server.get(`/Patient/${HTN}`, token)).json()) as {
      identifier: { system: string; value: string }[];
    };
    const id = patient.identifier[0];
    const byId: Bundle = await fetchBundle(
      server,
      `/Patient?identifier=${encodeURIComponent(`${id?.system}|${id?.value}`)}`,
      token,
    );
    expect(byId.entry?.map((e) => e.resource?.id)).toEqual([HTN]);
  });

  it('rejects unknown search parameters with 400', async () => {
    expect((await server.get(`/Observation?patient=${HTN}&colour=blue`, token)).status).toBe(400);
  });
});

describe('scope enforcement', () => {
  it('keeps a patient/ token inside its patient: another patient is 403', async () => {
    const token = server.grant({ clientId: 'c', scopes: ['patient/*.read'], patient: HTN });
    expect((await server.get(`/Patient/${HTN}`, token)).status).toBe(200);
    const other = await server.get('/Patient/sbx-child', token);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { issue: { code: string }[] }).issue[0]?.code).toBe('forbidden');
    expect((await server.get('/Observation?patient=sbx-child&category=vital-signs', token)).status).toBe(403);
    const childObs = ofPatient<Observation>('Observation', 'sbx-child')[0];
    expect((await server.get(`/Observation/${childObs?.id ?? ''}`, token)).status).toBe(403);
  });

  it('restricts a search without patient to the patient in context', async () => {
    const token = server.grant({ clientId: 'c', scopes: ['patient/Observation.rs'], patient: 'sbx-child' });
    const { resources } = await collectAll(server, '/Observation?category=vital-signs&_count=100', token);
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.every((r) => (r as Observation).subject?.reference === 'Patient/sbx-child')).toBe(true);
    const patients = await collectAll(
      server,
      '/Patient',
      server.grant({ clientId: 'c', scopes: ['patient/Patient.rs'], patient: 'sbx-child' }),
    );
    expect(patients.resources.map((p) => p.id)).toEqual(['sbx-child']);
  });

  it('answers 403 when no scope covers the resource type', async () => {
    const token = server.grant({ clientId: 'c', scopes: ['patient/Observation.read'], patient: HTN });
    expect((await server.get(`/Condition?patient=${HTN}`, token)).status).toBe(403);
  });

  it('applies v2 query restrictions (category)', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['patient/Observation.rs?category=laboratory'],
      patient: HTN,
    });
    const { resources } = await collectAll(server, `/Observation?patient=${HTN}&_count=200`, token);
    expect(resources.length).toBe(
      ofPatient<Observation>('Observation', HTN).filter((o) => hasCategory(o, 'laboratory')).length,
    );
    const vital = ofPatient<Observation>('Observation', HTN).find((o) => hasCategory(o, 'vital-signs'));
    expect((await server.get(`/Observation/${vital?.id ?? ''}`, token)).status).toBe(403);
  });

  it('does not let another client follow a next link', async () => {
    const token = server.grant({ clientId: 'a', scopes: ['user/*.read'] });
    const first = await fetchBundle(server, `/Observation?patient=${HTN}&_count=10`, token);
    const next = first.link?.find((l) => l.relation === 'next')?.url ?? '';
    const intruder = server.grant({ clientId: 'b', scopes: ['user/*.read'] });
    expect((await server.get(next, intruder)).status).toBe(410);
  });
});
