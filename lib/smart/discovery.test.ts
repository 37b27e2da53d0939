import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ResponseTooLargeError } from '../http/limited-body';
import { startStreamingServer, type StreamingServer } from '../fhir/testing/streaming-server';
import { clearDiscoveryCache, discover, MAX_DISCOVERY_BYTES } from './discovery';
import { parseRegistrations, type EhrRegistration } from './registrations';

const FLOOD = 64 * 1024 * 1024;

let server: StreamingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  clearDiscoveryCache();
});

function registration(issuer: string): EhrRegistration {
  const [reg] = parseRegistrations(
    [{ id: 'big', label: 'Big', issuer, client: { type: 'public', clientId: 'c' } }],
    'test',
  );
  return reg!;
}

const smartConfiguration = Buffer.from(
  JSON.stringify({
    authorization_endpoint: 'https://ehr.test/authorize',
    token_endpoint: 'https://ehr.test/token',
  }),
);

/** A CapabilityStatement of exactly `bytes` bytes. */
function capabilityStatementOf(bytes: number): Buffer {
  const head = '{"resourceType":"CapabilityStatement","status":"active","publisher":"';
  const tail = '"}';
  return Buffer.from(`${head}${'a'.repeat(bytes - head.length - tail.length)}${tail}`);
}

describe('discover: document size', () => {
  it('refuses discovery documents over 8 MiB, and stops the server writing them', async () => {
    expect(MAX_DISCOVERY_BYTES).toBe(8 * 1024 * 1024);
    server = await startStreamingServer(() => ({ body: FLOOD }));
    const e = await discover(registration(`${server.origin}/fhir`)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('launch-failed');
    expect((e as AppError).cause).toBeInstanceOf(ResponseTooLargeError);
    expect(((e as AppError).cause as Error).message).toContain('8 MiB');
    const written = await Promise.all(server.answers);
    expect(written.length).toBeGreaterThan(0);
    for (const w of written) {
      expect(w.complete).toBe(false);
      expect(w.written).toBeLessThan(FLOOD / 4);
    }
  });

  it('reads a CapabilityStatement of exactly 8 MiB beside the SMART configuration, not one byte more', async () => {
    let metadataBytes = MAX_DISCOVERY_BYTES;
    server = await startStreamingServer((path) => ({
      body: path.endsWith('/metadata') ? capabilityStatementOf(metadataBytes) : smartConfiguration,
      contentLength: true,
    }));
    const reg = registration(`${server.origin}/fhir`);
    expect((await discover(reg)).capabilityStatement?.resourceType).toBe('CapabilityStatement');
    metadataBytes++;
    const config = await discover(reg, { fresh: true });
    expect(config.token_endpoint).toBe('https://ehr.test/token');
    expect(config.capabilityStatement).toBeUndefined();
  });
});
