import 'server-only';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { env } from '../env';
import { processSingleton } from '../process-singleton';
import type { FhirServerConfig, MrnRule, Vendor } from '../fhir/types';
import { VENDORS } from '../fhir/types';
import { DEFAULTS as FHIR_DEFAULTS } from '../fhir/http';

/**
 * Registered EHRs: the issuer allow-list. A launch whose `iss` is not the
 * exact FHIR base of one of these is refused; the app never fetches a URL it
 * was not configured to trust.
 */

const MrnRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('type-code'), code: z.string().min(1) }),
  z.object({ kind: z.literal('system'), system: z.string().min(1) }),
  z.object({ kind: z.literal('type-text'), text: z.string().min(1) }),
]);

const ClientSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('public'), clientId: z.string().min(1) }),
  /** A confidential symmetric client: the secret in the Authorization header, or in the form body. */
  z.object({
    type: z.literal(['client_secret_basic', 'client_secret_post']),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
  }),
  z.object({ type: z.literal('private_key_jwt'), clientId: z.string().min(1) }),
  /** Open FHIR servers (e.g. the public HAPI server): no authorization at all. */
  z.object({ type: z.literal('none') }),
]);

/**
 * SMART Backend Services (client_credentials with private_key_jwt, signed with the app's key):
 * the server-side lookups the audit console makes at alert time, with no user present.
 */
const BackendServicesSchema = z.object({
  clientId: z.string().min(1),
  /** Space-separated system/ scopes, e.g. "system/Patient.read system/Practitioner.read". */
  scopes: z.string().regex(/^system\/\S+( system\/\S+)*$/, { message: 'space-separated system/ scopes' }),
  /** Send the FHIR base as the RFC 8707 `resource` of the token request (turn off for servers that refuse it). */
  resourceIndicator: z.boolean().default(true),
});

const RegistrationSchema = z.object({
  /** Stable id; also the audit tenant. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'lowercase letters, digits and dashes' }),
  label: z.string().min(1),
  /** Exact FHIR base URL (the SMART `iss`). */
  issuer: z.url(),
  vendor: z.enum(VENDORS as [Vendor, ...Vendor[]]).optional(),
  client: ClientSchema,
  /**
   * The `iss` the EHR's id_tokens carry, for authorization servers whose SMART
   * configuration names no `issuer` and whose OpenID issuer is not the FHIR
   * base (Oracle Health: https://authorization.cerner.com/). Defaults to `issuer`.
   */
  idTokenIssuer: z.url().optional(),
  /**
   * Scopes for EHR launch. The clinician's name comes from the id_token with `profile`; without it,
   * from their fhirUser Practitioner (or PractitionerRole) when a scope allows reading it
   * (`user/Practitioner.read`, or `user/Practitioner.rs` in SMART v2; lib/smart/user-name.ts).
   */
  scopes: z
    .string()
    .default('launch openid fhirUser patient/Patient.read patient/Observation.read patient/Condition.read'),
  /** Scopes for standalone launch (patient or provider picking a patient). */
  standaloneScopes: z
    .string()
    .default(
      'launch/patient openid fhirUser patient/Patient.read patient/Observation.read patient/Condition.read',
    ),
  /**
   * Scopes for a clinician's standalone sign-in: `user/` reads, so that when the EHR names no
   * patient the app can search for one and read the chosen patient's chart.
   */
  providerScopes: z
    .string()
    .default('launch/patient openid fhirUser user/Patient.read user/Observation.read user/Condition.read'),
  /** PKCE: S256 always, or only when the server advertises it. */
  pkce: z.enum(['S256', 'auto']).default('S256'),
  /** Offer a standalone launch on the home page, for patients and/or providers. */
  standalone: z.array(z.enum(['patient', 'provider'])).default([]),
  mrn: MrnRuleSchema.optional(),
  /** Origins of EHR pages allowed to frame the app. */
  frameOrigins: z.array(z.url()).default([]),
  pageCap: z.number().int().min(1).max(1000).optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  maxConcurrency: z.number().int().min(1).max(64).optional(),
  backendServices: BackendServicesSchema.optional(),
});

export type EhrRegistration = z.infer<typeof RegistrationSchema>;
export type BackendServices = z.infer<typeof BackendServicesSchema>;
const RegistrationsSchema = z.array(RegistrationSchema).min(1);

export function normalizeIssuer(iss: string): string {
  return iss.replace(/\/+$/, '');
}

/** The built-in sandbox EHR, one registration per vendor personality. */
export function sandboxRegistrations(sandboxUrl: string): EhrRegistration[] {
  const base = normalizeIssuer(sandboxUrl);
  const origin = new URL(base).origin;
  const make = (
    personality: string,
    vendor: Vendor,
    label: string,
    client: EhrRegistration['client'],
    extra: Partial<EhrRegistration> = {},
  ): EhrRegistration =>
    RegistrationSchema.parse({
      id: `sandbox-${personality}`,
      label,
      issuer: `${base}/${personality}/fhir`,
      vendor,
      client,
      // `profile` for clinicians: their id_token then carries their name, as Epic's and Oracle
      // Health's do; where the EHR withholds it, their own Practitioner record names them
      // (lib/smart/user-name.ts). Not for patients, whose name the app has no need to keep.
      scopes:
        'launch openid fhirUser profile offline_access patient/Patient.rs patient/Observation.rs patient/Condition.rs user/Practitioner.rs',
      standaloneScopes:
        'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs patient/Condition.rs',
      providerScopes:
        'launch/patient openid fhirUser profile offline_access user/Patient.rs user/Observation.rs user/Condition.rs user/Practitioner.rs',
      standalone: ['patient', 'provider'],
      frameOrigins: [origin],
      // Enough to read the sandbox's 20,000-Observation record whole ("All" range) without the cap cutting it.
      pageSize: 500,
      pageCap: 200,
      backendServices: {
        clientId: 'smart-chart-backend',
        scopes: 'system/Patient.read system/Practitioner.read',
      },
      ...extra,
    });
  return [
    make('generic', 'generic', 'Sandbox EHR', { type: 'public', clientId: 'smart-chart' }),
    make('epic', 'epic', 'Sandbox EHR (Epic behaviour)', {
      type: 'client_secret_basic',
      clientId: 'smart-chart-confidential',
      clientSecret: 'sandbox-dev-secret-change-me',
    }),
    make(
      'cerner',
      'cerner',
      'Sandbox EHR (Oracle Health behaviour)',
      { type: 'private_key_jwt', clientId: 'smart-chart-jwt' },
      {
        scopes:
          'launch openid fhirUser profile online_access patient/Patient.read patient/Observation.read patient/Condition.read user/Practitioner.read',
      },
    ),
    make('athena', 'athena', 'Sandbox EHR (athenahealth behaviour)', {
      type: 'public',
      clientId: 'smart-chart',
    }),
    make('nextgen', 'nextgen', 'Sandbox EHR (NextGen behaviour)', {
      type: 'public',
      clientId: 'smart-chart',
    }),
    // An open FHIR base (no authorization), reached through the console's open-server mode.
    make(
      'open',
      'generic',
      'Sandbox open FHIR server',
      { type: 'none' },
      { standalone: [], backendServices: undefined },
    ),
  ];
}

/** EHR_REGISTRATIONS cannot be read or is not valid: the app refuses to start, saying which and where. */
export class RegistrationsError extends Error {
  override readonly name = 'RegistrationsError';
}

export function parseRegistrations(json: unknown, source: string): EhrRegistration[] {
  const result = RegistrationsSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  [${i.path.join('.')}] ${i.message}`);
    throw new RegistrationsError(`Invalid EHR registrations in ${source}:\n${lines.join('\n')}`);
  }
  const ids = new Set<string>();
  for (const r of result.data) {
    if (ids.has(r.id))
      throw new RegistrationsError(`Invalid EHR registrations in ${source}: duplicate id "${r.id}"`);
    ids.add(r.id);
  }
  return result.data.map((r) => ({ ...r, issuer: normalizeIssuer(r.issuer) }));
}

function readRegistrations(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RegistrationsError(`EHR_REGISTRATIONS names ${file}, which cannot be read (${code}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RegistrationsError(`EHR_REGISTRATIONS in ${file} is not JSON: ${(e as Error).message}`);
  }
}

/** The registered EHRs, read once per process (see lib/process-singleton.ts). */
const loaded = processSingleton('registrations', (): { list?: EhrRegistration[] } => ({}));

export function registrations(): EhrRegistration[] {
  if (!loaded.list) {
    const file = env().EHR_REGISTRATIONS;
    loaded.list = file
      ? parseRegistrations(readRegistrations(file), file)
      : sandboxRegistrations(env().SANDBOX_URL);
  }
  return loaded.list;
}

/** Exact match on the normalized issuer; never a prefix or substring match. */
export function findByIssuer(
  iss: string,
  list: readonly EhrRegistration[] = registrations(),
): EhrRegistration | undefined {
  const wanted = normalizeIssuer(iss);
  return list.find((r) => r.issuer === wanted);
}

export function findById(
  id: string,
  list: readonly EhrRegistration[] = registrations(),
): EhrRegistration | undefined {
  return list.find((r) => r.id === id);
}

export function fhirServerConfig(reg: EhrRegistration, vendor: Vendor): FhirServerConfig {
  const mrn: MrnRule | undefined = reg.mrn;
  return {
    fhirBaseUrl: reg.issuer,
    vendor,
    mrn,
    pageCap: reg.pageCap,
    pageSize: reg.pageSize,
    timeoutMs: reg.timeoutMs,
    maxConcurrency: ehrConcurrency(reg),
  };
}

/**
 * This instance's share of the EHR's concurrency limit: the registration's (or the default) divided by the number of
 * instances (INSTANCES), at least one, so the pool together stays within what the EHR was promised.
 */
export function ehrConcurrency(reg: EhrRegistration, instances: number = env().INSTANCES ?? 1): number {
  return Math.max(1, Math.floor((reg.maxConcurrency ?? FHIR_DEFAULTS.maxConcurrency) / instances));
}
