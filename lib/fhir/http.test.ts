import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, fhirGet, parseRetryAfter } from './http';
import {
  rejection,
  startFakeFhirServer,
  type FakeFhirServer,
  type FakeHandler,
} from './testing/fake-fhir-server';

let server: FakeFhirServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: FakeHandler): Promise<string> {
  server = await startFakeFhirServer(handler);
  return `${server.origin}/fhir`;
}

describe('fhirGet', () => {
  it('sends Accept and the bearer token, and parses JSON', async () => {
    const base = await serve(() => ({ body: { resourceType: 'Patient', id: 'p1' } }));
    const res = await fhirGet(`${base}/Patient/p1`, { fhirBaseUrl: base, accessToken: 'tok-123' });
    expect(res.body).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(server?.requests[0]?.headers.accept).toBe('application/fhir+json');
    expect(server?.requests[0]?.headers.authorization).toBe('Bearer tok-123');
  });

  it('times out a slow server', async () => {
    const base = await serve(() => ({ body: {}, delayMs: 2_000 }));
    const e = await rejection(
      fhirGet(`${base}/Patient/p1`, { fhirBaseUrl: base, timeoutMs: 100, retries: 0 }),
    );
    expect(e.kind).toBe('timeout');
    expect(e.code).toBe('ehr-unavailable');
  });

  it('reports a caller abort as aborted, not as a timeout', async () => {
    const base = await serve(() => ({ body: {}, delayMs: 2_000 }));
    const ac = new AbortController();
    const p = fhirGet(`${base}/Patient/p1`, { fhirBaseUrl: base, signal: ac.signal, timeoutMs: 5_000 });
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(p)).kind).toBe('aborted');
  });

  it('retries a 429 storm honouring Retry-After, then gives up', async () => {
    const base = await serve(() => ({ status: 429, headers: { 'retry-after': '0' }, body: '' }));
    const e = await rejection(fhirGet(`${base}/Observation`, { fhirBaseUrl: base, retries: 3 }));
    expect(e.httpStatus).toBe(429);
    expect(e.code).toBe('rate-limited');
    expect(server?.requests).toHaveLength(4);
  });

  it('succeeds after 503s', async () => {
    let n = 0;
    const base = await serve(() =>
      ++n < 3 ? { status: 503, body: '' } : { body: { resourceType: 'Bundle' } },
    );
    const res = await fhirGet(`${base}/Observation`, { fhirBaseUrl: base, retries: 3, retryBaseMs: 5 });
    expect(res.attempts).toBe(3);
  });

  it('does not retry a 500', async () => {
    const base = await serve(() => ({
      status: 500,
      body: '<html>oops</html>',
      headers: { 'content-type': 'text/html' },
    }));
    const e = await rejection(fhirGet(`${base}/Observation`, { fhirBaseUrl: base, retries: 3 }));
    expect(e.httpStatus).toBe(500);
    expect(e.code).toBe('ehr-error');
    expect(server?.requests).toHaveLength(1);
  });

  it('names the failed request for the audit record, where no copy or log of the error carries it', async () => {
    const base = await serve(() => ({ status: 500, body: { resourceType: 'OperationOutcome', issue: [] } }));
    const e = await rejection(
      fhirGet(`${base}/Observation?patient=p-77&category=laboratory`, { fhirBaseUrl: base, retries: 0 }),
    );
    expect(e.query).toBe('Observation?patient=p-77&category=laboratory');
    expect(JSON.stringify({ ...e })).not.toContain('p-77');
    expect(Object.keys(e)).not.toContain('query');
    // A page the server linked to elsewhere on its host is named by its path.
    const timedOut = await rejection(
      fhirGet(`${server!.origin}/other/Observation?page=2`, { fhirBaseUrl: base, retries: 0 }),
    );
    expect(timedOut.query).toBe('other/Observation?page=2');
  });

  it('reports malformed JSON in a 200', async () => {
    const base = await serve(() => ({ body: '{"resourceType":"Bun' }));
    expect((await rejection(fhirGet(`${base}/Observation`, { fhirBaseUrl: base }))).kind).toBe('malformed');
  });

  it('reports a refused connection as a network error', async () => {
    const base = await serve(() => ({ body: {} }));
    await server?.close();
    server = undefined;
    expect((await rejection(fhirGet(`${base}/Patient/x`, { fhirBaseUrl: base, retries: 0 }))).kind).toBe(
      'network',
    );
  });

  it('keeps at most maxConcurrency requests in flight per EHR', async () => {
    let inFlight = 0;
    let peak = 0;
    const base = await serve(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((ok) => setTimeout(ok, 20));
      inFlight--;
      return { body: { resourceType: 'Bundle' } };
    });
    await Promise.all(
      Array.from({ length: 8 }, () =>
        fhirGet(`${base}/Observation`, { fhirBaseUrl: base, maxConcurrency: 2 }),
      ),
    );
    expect(peak).toBe(2);
    expect(server?.requests).toHaveLength(8);
  });
});

describe('backoff', () => {
  it('parses Retry-After seconds and HTTP-dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('caps Retry-After and uses full jitter otherwise', () => {
    expect(backoffMs(0, '3600', { retryCapMs: 2000 })).toBe(2000);
    expect(backoffMs(3, undefined, { retryBaseMs: 100, retryCapMs: 10_000 }, 0, () => 0.5)).toBe(400);
    expect(backoffMs(10, undefined, { retryBaseMs: 100, retryCapMs: 1000 }, 0, () => 0.999)).toBe(999);
  });
});
