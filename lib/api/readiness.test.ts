import { describe, expect, it } from 'vitest';
import { PEER_ADDRESS_HEADER } from '../http/request';
import { isLocalRequest, readyResponse, type Readiness } from './readiness';

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
