import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS, fhirGet } from './http';
import { rejection } from './testing/fake-fhir-server';
import { startStreamingServer, type StreamedAnswer, type StreamingServer } from './testing/streaming-server';

const CAP = 64 * 1024;
/** What a server would send if nobody stopped it: far more than the cap and any socket buffer between. */
const FLOOD = 64 * 1024 * 1024;

let server: StreamingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(answer: (path: string) => StreamedAnswer): Promise<string> {
  server = await startStreamingServer(answer);
  return `${server.origin}/fhir`;
}

/** A Bundle of exactly `bytes` bytes of JSON. */
function bundleOf(bytes: number): Buffer {
  const head = '{"resourceType":"Bundle","id":"';
  const tail = '"}';
  return Buffer.from(`${head}${'a'.repeat(bytes - head.length - tail.length)}${tail}`);
}

describe('fhirGet response limit', () => {
  it('defaults to 32 MiB', () => {
    expect(DEFAULTS.maxResponseBytes).toBe(32 * 1024 * 1024);
  });

  it.each([
    ['with Content-Length', true],
    ['chunked, without Content-Length', false],
  ])('refuses an answer over the limit %s, and stops the server writing it', async (_, contentLength) => {
    const base = await serve(() => ({ body: FLOOD, contentLength }));
    const e = await rejection(
      fhirGet(`${base}/Observation?patient=p-1`, { fhirBaseUrl: base, maxResponseBytes: CAP, retries: 3 }),
    );
    expect(e.kind).toBe('malformed');
    expect(e.code).toBe('ehr-error');
    expect(e.httpStatus).toBe(200);
    expect(e.userMessage).toBe("The EHR's answer is larger than the app's limit of 64 KiB.");
    expect(e.query).toBe('Observation?patient=p-1');
    const [written] = await Promise.all(server!.answers);
    expect(written?.complete).toBe(false);
    expect(written?.written).toBeLessThan(FLOOD / 4);
    // Not retried: a second try would bring the same answer.
    expect(server!.answers).toHaveLength(1);
  });

  it('reads an answer of exactly the limit, and refuses one byte more', async () => {
    const base = await serve((path) => ({ body: bundleOf(path.endsWith('over') ? CAP + 1 : CAP) }));
    const res = await fhirGet(`${base}/Bundle/at`, { fhirBaseUrl: base, maxResponseBytes: CAP });
    expect(res.body).toMatchObject({ resourceType: 'Bundle' });
    const e = await rejection(fhirGet(`${base}/Bundle/over`, { fhirBaseUrl: base, maxResponseBytes: CAP }));
    expect(e.kind).toBe('malformed');
  });

  it('counts the decoded bytes of a compressed answer', async () => {
    const zipped = gzipSync(bundleOf(CAP * 16));
    expect(zipped.byteLength).toBeLessThan(CAP);
    const base = await serve(() => ({
      body: zipped,
      contentLength: true,
      headers: { 'content-encoding': 'gzip' },
    }));
    const e = await rejection(fhirGet(`${base}/Observation`, { fhirBaseUrl: base, maxResponseBytes: CAP }));
    expect(e.kind).toBe('malformed');
  });

  it('keeps the status of an error answer over the limit, and still retries a 503', async () => {
    let n = 0;
    const base = await serve(() =>
      ++n === 1 ? { status: 503, body: FLOOD } : { body: bundleOf(1024), contentLength: true },
    );
    const res = await fhirGet(`${base}/Observation`, {
      fhirBaseUrl: base,
      maxResponseBytes: CAP,
      retries: 3,
      retryBaseMs: 5,
    });
    expect(res.attempts).toBe(2);
    const [first] = await Promise.all(server!.answers);
    expect(first?.written).toBeLessThan(FLOOD / 4);
  });
});
