import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../test/memory-audit';
import { buildEnv } from '../env';
import { PEER_ADDRESS_HEADER } from '../http/request';
import { RateLimiter } from '../http/request-limits';
import { overLimit } from './over-limit';

describe('rate-limited routes', () => {
  it('answer 429 with Retry-After past the limit and record the refusal', async () => {
    const env = buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rl-')) });
    const audit = new MemoryAuditLog();
    const limiter = new RateLimiter({ launch: { max: 2, windowMs: 60_000 } });
    const req = () =>
      new Request('http://localhost/launch', { headers: { [PEER_ADDRESS_HEADER]: '192.0.2.7' } });
    const deps = { env, audit, limiter, now: () => 1_000 };
    expect(await overLimit(req(), 'launch', deps, false)).toBeUndefined();
    expect(await overLimit(req(), 'launch', deps, false)).toBeUndefined();
    const refused = await overLimit(req(), 'launch', deps, true);
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('retry-after')).toBe('60');
    expect(await refused?.json()).toMatchObject({ error: { code: 'rate-limited' } });
    // A flood is recorded once a window, not once a request.
    for (let i = 0; i < 5; i++) expect((await overLimit(req(), 'launch', deps, true))?.status).toBe(429);
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'rate-limited',
        outcome: '4',
        outcomeDesc: 'launch',
        sourceIp: '192.0.2.7',
      }),
    ]);
  });

  it('does not let a client choose the address it is counted under', async () => {
    const env = buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rl-')) });
    const limiter = new RateLimiter({ launch: { max: 1, windowMs: 60_000 } });
    const deps = { env, audit: new MemoryAuditLog(), limiter };
    const spoofed = (xff: string) =>
      new Request('http://localhost/launch', {
        headers: { [PEER_ADDRESS_HEADER]: '192.0.2.9', 'x-forwarded-for': xff },
      });
    expect(await overLimit(spoofed('1.1.1.1'), 'launch', deps, false)).toBeUndefined();
    // Without TRUST_PROXY a forged X-Forwarded-For changes nothing: same socket address, same window.
    expect((await overLimit(spoofed('2.2.2.2'), 'launch', deps, false))?.status).toBe(429);
  });

  it('behind a proxy that appends to X-Forwarded-For, counts the address the proxy saw, not what the client wrote', async () => {
    const env = { ...buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rl-')) }), trustProxy: true };
    const limiter = new RateLimiter({ launch: { max: 1, windowMs: 60_000 } });
    const audit = new MemoryAuditLog();
    const deps = { env, audit, limiter };
    // The proxy's peer is 198.51.100.4 each time; the client writes a new address of its own before it.
    const appended = (own: string) =>
      new Request('http://localhost/launch', {
        headers: { [PEER_ADDRESS_HEADER]: '10.0.0.2', 'x-forwarded-for': `${own}, 198.51.100.4` },
      });
    expect(await overLimit(appended('10.9.8.1'), 'launch', deps, false)).toBeUndefined();
    expect((await overLimit(appended('10.9.8.2'), 'launch', deps, true))?.status).toBe(429);
    expect(audit.records.map((r) => r.sourceIp)).toEqual(['198.51.100.4']);
  });
});
