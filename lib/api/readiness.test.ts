import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEhr, type FakeEhr } from '../../test/fake-ehr';
import { createAuditStore, type AuditStore } from '../audit';
import { generateAuditKeys } from '../audit/crypto';
import { buildEnv } from '../env';
import { parseRegistrations } from '../smart/registrations';
import { memoryLaunchStore } from '../state/testing';
import type { LaunchStore } from '../state/launch-store';
import { PEER_ADDRESS_HEADER } from '../http/request';
import { checkReadiness, isLocalRequest, readyResponse, type Readiness } from './readiness';

/** An EHR that accepts connections and never answers: the worst case for a balancer's probe. */
async function silentEhr(): Promise<{ url: string; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_req, res) => void held.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const r of held) r.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('readiness', () => {
  let store: AuditStore;
  let launches: LaunchStore;
  let ehr: FakeEhr;
  let silent: Awaited<ReturnType<typeof silentEhr>>;
  const env = buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ready-')) });
  const audit = async () => ({ store });

  beforeAll(async () => {
    store = await createAuditStore({
      database: { kind: 'pglite', dataDir: undefined },
      keys: generateAuditKeys(),
      checkpoints: null,
    });
    launches = await memoryLaunchStore();
    ehr = await startFakeEhr('c');
    silent = await silentEhr();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([store.close(), launches.close(), ehr.close(), silent.close()]);
  });

  const registrations = () =>
    parseRegistrations(
      [
        {
          id: 'up',
          label: 'Up',
          issuer: ehr.fhirBase,
          vendor: 'generic',
          client: { type: 'public', clientId: 'c' },
        },
        {
          id: 'silent',
          label: 'Silent',
          issuer: `${silent.url}/fhir`,
          vendor: 'generic',
          client: { type: 'public', clientId: 'c' },
        },
        {
          id: 'refused',
          label: 'Refused',
          issuer: 'http://127.0.0.1:1/fhir',
          vendor: 'generic',
          client: { type: 'public', clientId: 'c' },
        },
      ],
      'test',
    );

  it('stays ready through EHR outages, reports each EHR, and answers before a silent EHR would', async () => {
    const started = Date.now();
    const r = await checkReadiness(audit, registrations(), Date.now(), {
      launchStore: () => launches.ping(),
      secrets: env.secrets,
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(r).toEqual({
      ready: true,
      audit: 'ok',
      launchStore: 'ok',
      keys: 'ok',
      ehrs: { up: 'ok', silent: 'unreachable', refused: 'unreachable' },
    });
  }, 20_000);

  it('is not ready when its own launch store does not answer or a key does not load', async () => {
    const down = await checkReadiness(audit, [], Date.now(), {
      launchStore: () => Promise.reject(new Error('connection refused')),
      secrets: env.secrets,
    });
    expect(down).toMatchObject({ ready: false, audit: 'ok', launchStore: 'unavailable', keys: 'ok' });
    const wrongKey = { ...env.secrets, auditSigningKey: env.secrets.smartClientKey };
    const badKeys = await checkReadiness(audit, [], Date.now(), {
      launchStore: () => launches.ping(),
      secrets: wrongKey,
    });
    expect(badKeys).toMatchObject({ ready: false, keys: 'invalid' });
  });
});

const state: Readiness = {
  ready: true,
  audit: 'ok',
  ehrs: { 'epic-prod': 'ok', 'cerner-prod': 'ok', hapi: 'open' },
};
const req = (peer: string, extra: Record<string, string> = {}) =>
  new Request('http://localhost:3000/api/ready', { headers: { [PEER_ADDRESS_HEADER]: peer, ...extra } });
const ready = async () => state;
const nobody = async () => false;
const direct = { trustProxy: false };
const proxied = { trustProxy: true };

describe('/api/ready', () => {
  it('tells the world only whether the app is ready', async () => {
    const res = await readyResponse(req('203.0.113.9'), direct, ready, nobody);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ ready: true });
    for (const id of ['epic-prod', 'cerner-prod', 'hapi']) expect(text).not.toContain(id);
  });

  it('keeps the status code for load balancers when not ready', async () => {
    const down = async (): Promise<Readiness> => ({ ...state, ready: false, audit: 'unavailable' });
    const res = await readyResponse(req('10.0.0.5'), direct, down, nobody);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false });
  });

  it('gives the detail to the loopback address and to a console admin', async () => {
    expect(await (await readyResponse(req('127.0.0.1'), direct, ready, nobody)).json()).toEqual(state);
    expect(await (await readyResponse(req('::1'), direct, ready, nobody)).json()).toEqual(state);
    expect(await (await readyResponse(req('203.0.113.9'), direct, ready, async () => true)).json()).toEqual(
      state,
    );
  });

  it('behind a trusted proxy on this host, judges the forwarded address, not the proxy’s', () => {
    expect(isLocalRequest(req('::ffff:127.0.0.1'), direct)).toBe(true);
    expect(isLocalRequest(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), proxied)).toBe(false);
    expect(isLocalRequest(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), proxied)).toBe(true);
    expect(isLocalRequest(req('1127.0.0.1'), direct)).toBe(false);
    expect(isLocalRequest(new Request('http://localhost:3000/api/ready'), direct)).toBe(false);
  });
});
