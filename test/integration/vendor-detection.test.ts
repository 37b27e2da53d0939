/**
 * Vendor detection for registrations that do not name their vendor: every
 * sandbox personality, over HTTP, through the same discovery the launch uses
 * (SMART configuration and CapabilityStatement together).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectVendor } from '../../lib/fhir/vendors';
import type { Vendor } from '../../lib/fhir/types';
import { clearDiscoveryCache, discover } from '../../lib/smart/discovery';
import { sandboxRegistrations, type EhrRegistration } from '../../lib/smart/registrations';
import type { Personality } from '../../sandbox/contract';
import { startHarness, type Harness } from '../../sandbox/test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h.close();
});

function withoutVendor(personality: Personality): EhrRegistration {
  const reg = sandboxRegistrations(h.sandbox.url).find((r) => r.id === `sandbox-${personality}`);
  if (!reg) throw new Error(`no sandbox registration for ${personality}`);
  const { vendor: _named, ...rest } = reg;
  return rest;
}

const EXPECTED: Readonly<Record<Personality, Vendor>> = {
  generic: 'generic',
  epic: 'epic',
  cerner: 'cerner',
  athena: 'athena',
  nextgen: 'nextgen',
};

describe('vendor detection without a vendor in the registration', () => {
  it.each(Object.entries(EXPECTED) as [Personality, Vendor][])(
    '%s is detected as %s',
    async (personality, vendor) => {
      clearDiscoveryCache();
      const reg = withoutVendor(personality);
      expect(reg.vendor).toBeUndefined();
      const config = await discover(reg);
      // The SMART configuration answered, and the CapabilityStatement was read beside it.
      expect(config.token_endpoint).toContain('/oauth/');
      expect(config.capabilityStatement?.resourceType).toBe('CapabilityStatement');
      expect(detectVendor(config.capabilityStatement, config)).toBe(vendor);
    },
  );

  it('keeps the CapabilityStatement in the discovery cache', async () => {
    clearDiscoveryCache();
    const reg = withoutVendor('epic');
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    await discover(reg, { fetch: counting });
    const again = await discover(reg, { fetch: counting });
    expect(requests).toBe(2);
    expect(detectVendor(again.capabilityStatement, again)).toBe('epic');
  });

  it('still discovers a server whose CapabilityStatement fails', async () => {
    clearDiscoveryCache();
    const reg = withoutVendor('cerner');
    const noMetadata: typeof fetch = (input, init) =>
      (input instanceof Request ? input.url : input.toString()).endsWith('/metadata')
        ? Promise.resolve(new Response('down', { status: 503 }))
        : fetch(input, init);
    const config = await discover(reg, { fetch: noMetadata });
    expect(config.capabilityStatement).toBeUndefined();
    expect(detectVendor(config.capabilityStatement, config)).toBe('generic');
  });
});
