import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MemoryRepository } from '@medplum/fhir-router';
import type {
  Bundle,
  CapabilityStatement,
  Condition,
  Observation,
  OperationOutcome,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxData, generateSandboxResources } from '../../data';
import { collectAll, fetchBundle } from '../test-support';
import { startTestFhirServer } from '../test-server';
import type { TestFhirServer } from '../test-server';

const HTN = 'sbx-adult-htn';
const EPIC_FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/vendors/epic');

let repo: MemoryRepository;
const servers: TestFhirServer[] = [];
const generated = generateSandboxResources({ largePatient: false });
const htnObservations = generated.filter(
  (r): r is Observation => r.resourceType === 'Observation' && r.subject?.reference === `Patient/${HTN}`,
);
const vitalCount = htnObservations.filter((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs').length;

async function serve(
  personality: Parameters<typeof startTestFhirServer>[1],
): Promise<{ server: TestFhirServer; token: string }> {
  const server = await startTestFhirServer(repo, personality);
  servers.push(server);
  return { server, token: server.grant({ clientId: 'c', scopes: ['user/*.read'] }) };
}

beforeAll(async () => {
  ({ repo } = await createSandboxData({ largePatient: false }));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('generic (HAPI-like)', () => {
  it('links pages with _getpages on the base and leaves out total on multi-page results', async () => {
    const { server, token } = await serve('generic');
    const first = await fetchBundle(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&_count=20`,
      token,
    );
    expect(first.total).toBeUndefined();
    expect(first.link?.find((l) => l.relation === 'next')?.url).toMatch(
      new RegExp(
        `^${server.base}\\?_getpages=[0-9a-f-]{36}&_getpagesoffset=20&_count=20&_bundletype=searchset$`,
      ),
    );
  });
});

describe('epic', () => {
  let server: TestFhirServer;
  let token: string;
  beforeAll(async () => {
    ({ server, token } = await serve('epic'));
  });

  it('identifies itself as Epic', async () => {
    const cs = (await (await server.get('/metadata')).json()) as CapabilityStatement;
    expect(cs.software?.name).toBe('Epic');
  });

  it('refuses an Observation search without category or code (59108)', async () => {
    const res = await server.get(`/Observation?patient=${HTN}`, token);
    expect(res.status).toBe(400);
    const body = (await res.json()) as OperationOutcome;
    expect(body.issue[0]?.details?.coding?.[0]?.code).toBe('59108');
    expect(body.issue[0]?.diagnostics).toBe('Must have either code or category.');
  });

  it('refuses an unsupported category', async () => {
    const res = await server.get(`/Observation?patient=${HTN}&category=procedure`, token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as OperationOutcome).issue.map((i) => i.details?.coding?.[0]?.code)).toEqual([
      '59204',
      '59022',
    ]);
  });

  describe.skipIf(!existsSync(EPIC_FIXTURES))(
    'matches the recorded Epic bodies (needs ../shared/fixtures)',
    () => {
      const fixture = (name: string): unknown =>
        JSON.parse(readFileSync(path.join(EPIC_FIXTURES, name), 'utf8'));
      it('sends the recorded 400 bodies', async () => {
        expect(await (await server.get(`/Observation?patient=${HTN}`, token)).json()).toEqual(
          fixture('observation-search-no-category-400-operationoutcome.json'),
        );
        expect(
          await (await server.get(`/Observation?patient=${HTN}&category=procedure`, token)).json(),
        ).toEqual(fixture('observation-search-unsupported-category-procedure-400-operationoutcome.json'));
      });
    },
  );

  it('pages with opaque sessionID links, total = page matches, and an outcome entry on every page', async () => {
    const { pages, resources } = await collectAll(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&_count=50`,
      token,
    );
    expect(resources).toHaveLength(vitalCount);
    for (const page of pages) {
      const matches = page.entry?.filter((e) => e.search?.mode === 'match') ?? [];
      expect(page.total).toBe(matches.length);
      expect(
        page.entry?.filter(
          (e) => e.search?.mode === 'outcome' && e.resource?.resourceType === 'OperationOutcome',
        ),
      ).toHaveLength(1);
    }
    expect(pages[0]?.link?.find((l) => l.relation === 'next')?.url).toMatch(
      new RegExp(`^${server.base}/Observation\\?sessionID=[0-9A-Z-]+$`),
    );
  });

  it('suppresses encounter diagnoses with a warning', async () => {
    const bundle = await fetchBundle(server, `/Condition?patient=${HTN}`, token);
    const conditions = bundle.entry?.filter((e) => e.search?.mode === 'match').map((e) => e.resource) ?? [];
    expect(conditions.length).toBeGreaterThan(0);
    expect(JSON.stringify(conditions)).not.toContain('encounter-diagnosis');
    const outcome = bundle.entry?.find((e) => e.search?.mode === 'outcome')?.resource as OperationOutcome;
    expect(outcome.issue.map((i) => i.diagnostics)).toContain(
      'Client not authorized for Condition - Encounter Diagnosis. Search results of this type have not been included.',
    );
  });

  it('answers a missing scope with an empty 403 and insufficient_scope', async () => {
    const narrow = server.grant({ clientId: 'c', scopes: ['patient/Observation.read'], patient: HTN });
    const res = await server.get(`/Condition?patient=${HTN}`, narrow);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(await res.text()).toBe('');
  });

  it('adds EPI and MRN identifiers to Patient', async () => {
    const patient = (await (await server.get(`/Patient/${HTN}`, token)).json()) as Patient;
    expect(patient.identifier?.map((i) => i.type?.text)).toEqual(expect.arrayContaining(['EPI', 'MRN']));
  });
});

describe('cerner', () => {
  it('ignores _count on the first page, caps it at 200 later, and sends no total on Observation', async () => {
    const { server, token } = await serve('cerner');
    const first = await fetchBundle(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&_count=500`,
      token,
    );
    expect(first.entry).toHaveLength(50);
    expect(first.total).toBeUndefined();
    const next = first.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next).toContain('-pageContext=');
    expect(next).toContain('-pageDirection=NEXT');
    const second = await fetchBundle(server, next, token);
    expect(second.entry).toHaveLength(Math.min(200, vitalCount - 50));
  });

  it('returns entered-in-error results and several MRNs, and answers 400 in plain text', async () => {
    const { server, token } = await serve('cerner');
    const { resources } = await collectAll(server, `/Observation?patient=${HTN}&category=laboratory`, token);
    expect(resources.some((r) => (r as Observation).status === 'entered-in-error')).toBe(true);
    const patient = (await (await server.get(`/Patient/${HTN}`, token)).json()) as Patient;
    expect(
      patient.identifier?.filter((i) => i.type?.coding?.some((c) => c.code === 'MR')).length,
    ).toBeGreaterThanOrEqual(3);
    const bad = await server.get(`/Observation?patient=${HTN}&colour=blue`, token);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('text/plain');
  });
});

describe('athena', () => {
  it('pages with cursor= links, no total, and hides entered-in-error', async () => {
    const { server, token } = await serve('athena');
    const { resources, pages } = await collectAll(server, `/Observation?patient=${HTN}&_count=50`, token);
    expect(pages.every((p) => p.total === undefined)).toBe(true);
    expect(pages[0]?.link?.find((l) => l.relation === 'next')?.url).toContain('cursor=');
    expect(resources).toHaveLength(htnObservations.filter((o) => o.status !== 'entered-in-error').length);
  });
});

describe('nextgen', () => {
  it('demands category or code, serves 25 per page with page=N links and a full total', async () => {
    const { server, token } = await serve('nextgen');
    const refused = await server.get(`/Observation?patient=${HTN}`, token);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as OperationOutcome).issue[0]?.code).toBeUndefined();
    const first: Bundle = await fetchBundle(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&_count=50`,
      token,
    );
    expect(first.entry).toHaveLength(25);
    expect(first.total).toBe(vitalCount);
    expect(first.link?.find((l) => l.relation === 'next')?.url).toContain('page=2');
    const { resources } = await collectAll(
      server,
      `/Observation?patient=${HTN}&category=vital-signs&_count=50`,
      token,
    );
    expect(new Set(resources.map((r) => r.id)).size).toBe(vitalCount);
  });

  it("writes a Condition's onset date as midnight UTC, as NextGen's recorded answers do", async () => {
    const { server, token } = await serve('nextgen');
    const nextgen = await collectAll(server, `/Condition?patient=${HTN}`, token);
    const { server: plain, token: plainToken } = await serve('generic');
    const generic = await collectAll(plain, `/Condition?patient=${HTN}`, plainToken);
    const onsets = (list: readonly Resource[]): Record<string, string | undefined> =>
      Object.fromEntries(list.map((r) => [r.id ?? '', (r as Condition).onsetDateTime]));
    const dates = onsets(generic.resources);
    expect(Object.values(dates).some((d) => /^\d{4}-\d{2}-\d{2}$/.test(d ?? ''))).toBe(true);
    expect(onsets(nextgen.resources)).toEqual(
      Object.fromEntries(
        Object.entries(dates).map(([id, d]) => [
          id,
          d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00+00:00` : d,
        ]),
      ),
    );
  });
});

describe('_sort', () => {
  it('is honoured by the generic personality only; the vendor personalities refuse it with their 400', async () => {
    const query = `/Observation?patient=${HTN}&category=vital-signs&_sort=-date&_count=5`;
    const { server, token } = await serve('generic');
    const sorted = await fetchBundle(server, query, token);
    const times = (sorted.entry ?? []).map((e) => (e.resource as Observation).effectiveDateTime ?? '');
    expect(times).toEqual([...times].sort().reverse());
    for (const personality of ['epic', 'cerner', 'athena', 'nextgen'] as const) {
      const vendor = await serve(personality);
      const res = await vendor.server.get(query, vendor.token);
      expect(res.status, personality).toBe(400);
      const unsorted = await vendor.server.get(query.replace('&_sort=-date', ''), vendor.token);
      expect(unsorted.status, personality).toBe(200);
    }
  });
});
