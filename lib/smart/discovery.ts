import 'server-only';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { z } from 'zod';
import { AppError } from '../errors';
import { readTextLimited } from '../http/limited-body';
import { processSingleton } from '../process-singleton';
import type { EhrRegistration } from './registrations';

/** The parts of `.well-known/smart-configuration` the app relies on. */
const SmartConfigurationSchema = z.looseObject({
  issuer: z.string().optional(),
  /** RFC 9207: the server names itself (`iss`) in its authorization responses. */
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  jwks_uri: z.string().optional(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  revocation_endpoint: z.url().optional(),
  introspection_endpoint: z.url().optional(),
  capabilities: z.array(z.string()).default([]),
  code_challenge_methods_supported: z.array(z.string()).default([]),
  scopes_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

export type SmartConfiguration = z.infer<typeof SmartConfigurationSchema> & {
  /** The server's CapabilityStatement when it was needed (fallback or vendor detection). */
  readonly capabilityStatement?: CapabilityStatement;
};

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const TTL_MS = 5 * 60_000;
const TIMEOUT_MS = 8_000;
/**
 * Largest SMART configuration or CapabilityStatement read (decoded bytes); a larger one counts as no answer. A
 * server that lists every search parameter of every resource (as HAPI does) sends a large CapabilityStatement, so
 * the limit is set well above what a SMART configuration needs.
 */
export const MAX_DISCOVERY_BYTES = 8 * 1024 * 1024;

interface CacheEntry {
  readonly at: number;
  readonly value: SmartConfiguration;
}
/** Per-process cache of discovery documents, keyed by registered issuer only. */
const cache = processSingleton('discovery', () => new Map<string, CacheEntry>());

async function getJson(url: string, fetchImpl: typeof fetch): Promise<unknown> {
  const res = await fetchImpl(url, {
    headers: { accept: 'application/json, application/fhir+json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${res.status}`);
  }
  return JSON.parse(await readTextLimited(res, MAX_DISCOVERY_BYTES)) as unknown;
}

function fromCapabilityStatement(cs: CapabilityStatement): SmartConfiguration {
  const security = cs.rest?.find((r) => r.mode === 'server')?.security ?? cs.rest?.[0]?.security;
  const ext = security?.extension?.find((e) => e.url === OAUTH_URIS);
  const uri = (name: string): string | undefined => ext?.extension?.find((e) => e.url === name)?.valueUri;
  return {
    ...SmartConfigurationSchema.parse({
      authorization_endpoint: uri('authorize'),
      token_endpoint: uri('token'),
      revocation_endpoint: uri('revoke'),
      introspection_endpoint: uri('introspect'),
    }),
    capabilityStatement: cs,
  };
}

/**
 * SMART discovery for a registered EHR: `.well-known/smart-configuration`,
 * falling back to the CapabilityStatement's oauth-uris extension. The
 * CapabilityStatement is read in both cases (vendor detection needs it) and
 * cached with the configuration; a server without one is still discovered.
 */
export async function discover(
  reg: EhrRegistration,
  opts: { fetch?: typeof fetch; fresh?: boolean; now?: number } = {},
): Promise<SmartConfiguration> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(reg.issuer);
  if (hit && !opts.fresh && now - hit.at < TTL_MS) return hit.value;
  const fetchImpl = opts.fetch ?? fetch;
  const metadata = getJson(`${reg.issuer}/metadata`, fetchImpl).then(
    (cs) => cs as CapabilityStatement,
    () => undefined,
  );
  let value: SmartConfiguration;
  try {
    const parsed = SmartConfigurationSchema.safeParse(
      await getJson(`${reg.issuer}/.well-known/smart-configuration`, fetchImpl),
    );
    if (parsed.success) {
      const cs = await metadata;
      value =
        cs?.resourceType === 'CapabilityStatement'
          ? { ...parsed.data, capabilityStatement: cs }
          : parsed.data;
    } else {
      value = fromCapabilityStatement(
        (await getJson(`${reg.issuer}/metadata`, fetchImpl)) as CapabilityStatement,
      );
    }
  } catch (first) {
    try {
      value = fromCapabilityStatement(
        (await getJson(`${reg.issuer}/metadata`, fetchImpl)) as CapabilityStatement,
      );
    } catch {
      throw new AppError(
        'launch-failed',
        `The EHR "${reg.label}" did not answer its SMART discovery request.`,
        {
          cause: first,
        },
      );
    }
  }
  cache.set(reg.issuer, { at: now, value });
  return value;
}

/** When discovery last succeeded for an issuer (readiness checks). */
export function lastDiscoveryAt(issuer: string): number | undefined {
  return cache.get(issuer)?.at;
}

/** Whether the server advertises PKCE with S256. */
export function supportsPkceS256(config: SmartConfiguration): boolean {
  return config.code_challenge_methods_supported.includes('S256');
}

export function clearDiscoveryCache(): void {
  cache.clear();
}
