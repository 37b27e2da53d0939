import type { MemoryRepository } from '@medplum/fhir-router';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxData } from '../data';
import { setGlobalFaults } from './faults';
import { startTestFhirServer } from './test-server';
import type { TestFhirServer } from './test-server';

let repo: MemoryRepository;
let server: TestFhirServer;
const PATH = '/Patient/sbx-child';

beforeAll(async () => {
  ({ repo } = await createSandboxData({ largePatient: false }));
  server = await startTestFhirServer(repo, 'generic');
}, 120_000);

afterEach(() => {
  setGlobalFaults([]);
});

afterAll(async () => {
  await server.close();
});

describe('faults carried by the grant', () => {
  it('answers 429 with Retry-After for `count` requests, then normally', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'status-429', retryAfterSeconds: 7, count: 2 }],
    });
    const first = await server.get(PATH, token);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await server.get(PATH, token)).status).toBe(429);
    expect((await server.get(PATH, token)).status).toBe(200);
  });

  it('answers 500 only for the resource type named', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'status-500', count: 1, resourceType: 'Observation' }],
    });
    expect((await server.get(PATH, token)).status).toBe(200);
    expect((await server.get('/Observation?patient=sbx-child', token)).status).toBe(500);
    expect((await server.get('/Observation?patient=sbx-child', token)).status).toBe(200);
  });

  it("mixes another patient's copies into searches, every nth entry, and leaves reads alone", async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'foreign-subject', every: 2, resourceType: 'Observation' }],
    });
    const plain = server.grant({ clientId: 'c', scopes: ['user/*.read'] });
    const query = '/Observation?patient=sbx-child&_count=10';
    type Page = { entry: { resource: { id: string; subject: { reference: string } } }[] };
    const mixed = (await (await server.get(query, token)).json()) as Page;
    const own = (await (await server.get(query, plain)).json()) as Page;
    expect(own.entry).toHaveLength(10);
    expect(mixed.entry.map((e) => [e.resource.id, e.resource.subject.reference])).toEqual(
      own.entry.flatMap((e, i) => {
        const kept = [e.resource.id, e.resource.subject.reference];
        return i % 2 === 1 ? [kept, [`${e.resource.id}-other`, 'Patient/sbx-other-patient']] : [kept];
      }),
    );
    expect((await server.get(PATH, token)).status).toBe(200);
  });

  it('writes every nth entry of a search page as its resource alone, and leaves reads alone', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'bare-entry', every: 3 }],
    });
    const plain = server.grant({ clientId: 'c', scopes: ['user/*.read'] });
    const query = '/Observation?patient=sbx-child&_count=10';
    type Page = { entry: { resource?: { id: string }; resourceType?: string; id?: string }[] };
    const bare = (await (await server.get(query, token)).json()) as Page;
    const own = (await (await server.get(query, plain)).json()) as Page;
    expect(own.entry).toHaveLength(10);
    expect(bare.entry.map((e) => (e.resource ? ['entry', e.resource.id] : [e.resourceType, e.id]))).toEqual(
      own.entry.map((e, i) => (i % 3 === 2 ? ['Observation', e.resource!.id] : ['entry', e.resource!.id])),
    );
    expect((await server.get(PATH, token)).status).toBe(200);
  });

  it('revokes from the nth request on', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'revoke-after', requests: 3 }],
    });
    expect((await server.get(PATH, token)).status).toBe(200);
    expect((await server.get(PATH, token)).status).toBe(200);
    const revoked = await server.get(PATH, token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await server.get(PATH, token)).status).toBe(401);
  });

  it('holds the request open on timeout until the client gives up', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'timeout', count: 1 }],
    });
    const attempt = fetch(`${server.base}${PATH}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(300),
    });
    await expect(attempt).rejects.toThrow();
    expect((await server.get(PATH, token)).status).toBe(200);
  });

  it('still answers under added latency', async () => {
    const token = server.grant({
      clientId: 'c',
      scopes: ['user/*.read'],
      faults: [{ kind: 'latency', ms: 50 }],
    });
    expect((await server.get(PATH, token)).status).toBe(200);
  });
});

describe('process-wide faults', () => {
  it('apply to every token until cleared', async () => {
    setGlobalFaults([{ kind: 'status-500', count: 1 }]);
    const token = server.grant({ clientId: 'c', scopes: ['user/*.read'] });
    expect((await server.get(PATH, token)).status).toBe(500);
    expect((await server.get(PATH, token)).status).toBe(200);
    setGlobalFaults([{ kind: 'status-429', retryAfterSeconds: 1, count: 5 }]);
    expect((await server.get(PATH, token)).status).toBe(429);
    setGlobalFaults([]);
    expect((await server.get(PATH, token)).status).toBe(200);
  });
});
