/**
 * The sandbox EHR's own configuration, read from its environment. The sandbox is a separate
 * program from the chart app, so it does not share the app's lib/env.ts.
 */
import { z } from 'zod';

/** Documented development secret of the `smart-chart-confidential` client; never a real credential. */
export const DEV_CLIENT_SECRET = 'sandbox-dev-secret-change-me';

/** The fixed password every sandbox portal user signs in with (documented on the login page). */
export const SANDBOX_PASSWORD = 'sandbox';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const httpUrl = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_PUBLIC_URL: httpUrl.default('http://localhost:4000'),
  SANDBOX_APP_URL: httpUrl.default('http://localhost:3000'),
  SANDBOX_CLIENT_SECRET: z.string().min(8).default(DEV_CLIENT_SECRET),
  SANDBOX_ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86_400).default(3600),
  SANDBOX_BUNDLES_DIR: z.string().min(1).optional(),
  SANDBOX_LARGE_PATIENT: booleanFlag.default(true),
  SANDBOX_SEED: z.coerce.number().int().optional(),
});

export interface SandboxConfig {
  readonly port: number;
  readonly host: string;
  /** Origin (and optional path) the sandbox is reached at, without a trailing slash. */
  readonly publicUrl: string;
  /** The chart app: redirect URI `${appUrl}/callback`, JWKS, launch URL. */
  readonly appUrl: string;
  readonly clientSecret: string;
  /** Access token lifetime in seconds (personalities may override, e.g. Cerner's 570 s). */
  readonly accessTokenTtl: number;
  /** Directory of extra FHIR Bundles to load, if any. */
  readonly bundlesDir?: string;
  readonly largePatient: boolean;
  /** Seed of the synthetic-patient generator; unset means the generator's documented default. */
  readonly seed?: number;
}

/** Parses the sandbox's environment; throws a readable error naming the bad variables. */
export function loadSandboxConfig(env: Readonly<Record<string, string | undefined>>): SandboxConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid sandbox configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.SANDBOX_PORT,
    host: e.SANDBOX_HOST,
    publicUrl: e.SANDBOX_PUBLIC_URL,
    appUrl: e.SANDBOX_APP_URL,
    clientSecret: e.SANDBOX_CLIENT_SECRET,
    accessTokenTtl: e.SANDBOX_ACCESS_TOKEN_TTL,
    ...(e.SANDBOX_BUNDLES_DIR === undefined ? {} : { bundlesDir: e.SANDBOX_BUNDLES_DIR }),
    largePatient: e.SANDBOX_LARGE_PATIENT,
    ...(e.SANDBOX_SEED === undefined ? {} : { seed: e.SANDBOX_SEED }),
  };
}
