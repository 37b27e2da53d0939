import 'server-only';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { clusterRefusals } from './deployment';
import { processSingleton } from './process-singleton';

/**
 * The one place that reads process.env. Every variable is optional: with none
 * set, the app runs on embedded defaults (secrets generated into DATA_DIR,
 * audit store in PGlite under DATA_DIR, the sandbox EHR as the only EHR).
 * DEPLOYMENT=cluster refuses those defaults (lib/deployment.ts).
 */

const intFromString = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const base64Key = (bytes: number) =>
  z.string().refine((s) => Buffer.from(s, 'base64').length === bytes, {
    message: `must be ${bytes} bytes, base64-encoded`,
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** `cluster`: one of several instances; refuses generated secrets and PGlite (lib/deployment.ts). */
  DEPLOYMENT: z.enum(['single', 'cluster']).default('single'),
  APP_URL: z
    .url({ message: 'must be an absolute URL such as https://chart.example.org' })
    .default('http://localhost:3000'),
  DATA_DIR: z.string().min(1).default('./data'),
  SANDBOX_URL: z.url().default('http://localhost:4000'),
  EHR_REGISTRATIONS: z.string().min(1).optional(),
  /** Path to a SMART User-access Brands bundle (JSON) for the patients' start page (lib/brands). */
  USER_ACCESS_BRANDS: z.string().min(1).optional(),
  AUDIT_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Privileged URL used only to create or upgrade the audit schema and its roles (see lib/audit/index.ts). */
  AUDIT_DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  /** Shared app state (open and ended launches, used OAuth states); embedded under DATA_DIR when unset (lib/state). */
  STATE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Milliseconds appended events may wait for a signed checkpoint before the audit store reports itself unavailable. */
  AUDIT_SIGNATURE_BOUND_MS: z.coerce.number().int().min(500).max(600_000).default(5000),
  /** C2SP tlog-witnesses that must cosign each checkpoint: `<URL> <vkey>` entries separated by commas. */
  AUDIT_WITNESSES: z
    .string()
    .regex(
      /^\s*https?:\/\/\S+\s+\S+\+[0-9a-fA-F]{8}\+\S+\s*(,\s*https?:\/\/\S+\s+\S+\+[0-9a-fA-F]{8}\+\S+\s*)*$/,
      {
        message: 'must be "<URL> <witness vkey>" entries separated by commas',
      },
    )
    .optional(),
  /** Cosignatures a checkpoint needs to count (default: every configured witness). */
  AUDIT_WITNESS_QUORUM: intFromString(1, 100).optional(),
  /** How many app instances share the EHRs; each EHR's concurrency limit is divided among them (lib/smart/registrations.ts). */
  INSTANCES: intFromString(1, 64).optional(),
  SESSION_SECRET: base64Key(32).optional(),
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  AUDIT_SIGNING_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM Ed25519 private key' })
    .optional(),
  /** Public halves (PEM) of signing keys used before a rotation, so their checkpoints still verify. */
  AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS: z
    .string()
    .includes('PUBLIC KEY', { message: 'must be one or more PEM Ed25519 public keys' })
    .optional(),
  AUDIT_HMAC_KEY: base64Key(32).optional(),
  AUDIT_ENCRYPTION_KEY: base64Key(32).optional(),
  SMART_CLIENT_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM EC P-384 private key' })
    .optional(),
  /** Requests per minute per client address (rate limits); defaults in lib/http/request-limits.ts. */
  RATE_LIMIT_LAUNCH: intFromString(1, 1_000_000).optional(),
  RATE_LIMIT_CALLBACK: intFromString(1, 1_000_000).optional(),
  RATE_LIMIT_VIEW: intFromString(1, 1_000_000).optional(),
  RATE_LIMIT_REFUSED: intFromString(1, 1_000_000).optional(),
  SESSION_IDLE_MINUTES: intFromString(1, 24 * 60).default(15),
  SESSION_MAX_HOURS: intFromString(1, 72).default(12),
  /** How often each instance ends launches past those limits that no request has come for (lib/lifecycle.ts). */
  SESSION_SWEEP_SECONDS: intFromString(1, 3600).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  CONSOLE_OIDC_ISSUER: z.url().optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** First-run password of the console's `admin` account (tests and scripted installs); random and printed once when unset. */
  CONSOLE_ADMIN_PASSWORD: z.string().min(1).optional(),
  /** `true`: every local console account must set up a TOTP second factor before anything else. */
  CONSOLE_REQUIRE_SECOND_FACTOR: z.enum(['true', 'false']).default('false'),
  /** next-auth 4 reads its base URL from here itself; scripts/server.mjs sets it from APP_URL. */
  NEXTAUTH_URL: z.url().optional(),
  /** Console sign-in: failed attempts allowed per address within the window (accounts are slowed, never locked). */
  CONSOLE_LOGIN_MAX_FAILURES: intFromString(1, 1000).default(10),
  CONSOLE_LOGIN_WINDOW_MINUTES: intFromString(1, 24 * 60).default(15),
  /** Alert: more distinct patients than this for one user within one hour. */
  CONSOLE_ALERT_PATIENTS_PER_HOUR: intFromString(1, 100_000).default(30),
});

export type RawEnv = z.infer<typeof EnvSchema>;

export interface Secrets {
  readonly sessionSecret: string;
  readonly nextAuthSecret: string;
  readonly auditSigningKey: string;
  readonly auditHmacKey: string;
  readonly auditEncryptionKey: string;
  /** ES384 private key (PKCS#8 PEM) the app signs SMART client assertions with (private_key_jwt). */
  readonly smartClientKey: string;
}

type SecretVariable =
  | 'SESSION_SECRET'
  | 'NEXTAUTH_SECRET'
  | 'AUDIT_SIGNING_KEY'
  | 'AUDIT_HMAC_KEY'
  | 'AUDIT_ENCRYPTION_KEY'
  | 'SMART_CLIENT_KEY';

export interface Env extends Omit<RawEnv, SecretVariable | 'TRUST_PROXY'> {
  readonly dataDir: string;
  readonly auditCheckpointDir: string;
  readonly secrets: Secrets;
  readonly trustProxy: boolean;
  readonly secureCookies: boolean;
}

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

/** Parses an environment; throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): RawEnv {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

function generateSecrets(): Secrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  const client = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return {
    smartClientKey: client.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sessionSecret: randomBytes(32).toString('base64'),
    nextAuthSecret: randomBytes(32).toString('base64'),
    auditSigningKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    auditHmacKey: randomBytes(32).toString('base64'),
    auditEncryptionKey: randomBytes(32).toString('base64'),
  };
}

/** Where the embedded (PGlite) audit database lives when AUDIT_DATABASE_URL is not set. */
export const embeddedAuditDir = (dataDir: string): string => path.join(dataDir, 'audit');

const AUDIT_KEYS = ['auditSigningKey', 'auditHmacKey', 'auditEncryptionKey'] as const;
type AuditKeyName = (typeof AUDIT_KEYS)[number];

const holdsSomething = (dir: string): boolean => {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
};

/**
 * DATA_DIR holds the keys and the embedded databases (the launch store's pages carry patient ids; the embedded
 * PostgreSQL writes its files readable and writable by everyone): it is made its owner's alone at every start, also
 * when it existed before the first (a package's folder under /var/lib, a mounted volume). Where the app may not
 * change it and others can reach it, the app does not start.
 */
function makePrivate(dir: string): void {
  try {
    chmodSync(dir, 0o700);
  } catch (e) {
    if ((statSync(dir).mode & 0o077) !== 0)
      throw new EnvError(
        `DATA_DIR ${dir} can be reached by other users, and the app could not make it private ` +
          `(${(e as NodeJS.ErrnoException).code ?? 'error'}). Fix: chmod 700 ${dir}, or let the user the app runs as own it.`,
      );
  }
}

/**
 * Reads DATA_DIR/secrets.json, creating it (mode 0600) on first run. Safe across concurrent processes.
 *
 * New audit keys are never made beside an audit log that already exists (`audit.logPlaces`: the embedded database,
 * the checkpoint directory): its events are sealed and its checkpoints signed with the keys the file held, and new
 * ones could neither read it nor extend it — the first event under them would leave the log unverifiable even after
 * the old file came back. `audit.keysFromFile` names the audit keys not given in the environment.
 */
export function loadOrCreateSecrets(
  dataDir: string,
  audit: { keysFromFile?: readonly AuditKeyName[]; logPlaces?: readonly string[] } = {},
): Secrets {
  const file = path.join(/*turbopackIgnore: true*/ dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  makePrivate(dataDir);
  const refuseNewAuditKeys = (missing: (k: AuditKeyName) => boolean): void => {
    const needed = (audit.keysFromFile ?? []).filter(missing);
    const logs = needed.length > 0 ? (audit.logPlaces ?? []).filter(holdsSomething) : [];
    if (logs.length === 0) return;
    throw new EnvError(
      `Refusing to make new audit keys: ${file} ${existsSync(file) ? `has no ${needed.join(', ')}` : 'is missing'}, ` +
        `but an audit log sealed and signed with the keys it held is here (${logs.join(', ')}). New keys could ` +
        `neither read nor extend it. Fix: restore secrets.json from your backup (or give AUDIT_SIGNING_KEY, ` +
        `AUDIT_HMAC_KEY and AUDIT_ENCRYPTION_KEY in the environment). To begin a new audit log instead, move the old ` +
        `one and its checkpoints elsewhere and keep them for their retention period.`,
    );
  };
  if (!existsSync(file)) refuseNewAuditKeys(() => true);
  try {
    writeFileSync(file, JSON.stringify(generateSecrets(), null, 2), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  refuseNewAuditKeys((k) => !parsed[k]);
  const fresh = generateSecrets();
  // A secrets file from an older version may lack a newer key: add it, keep the rest.
  const merged: Secrets = { ...fresh, ...parsed };
  if (Object.keys(fresh).some((k) => !(k in parsed))) {
    writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
  }
  return merged;
}

/** Set-ups every deployment refuses, not only DEPLOYMENT=cluster: each would start and then fail every request. */
function setUpRefusals(raw: RawEnv): string[] {
  const refusals: string[] = [];
  const witnesses = (raw.AUDIT_WITNESSES ?? '').split(/[,\n]/).filter((w) => w.trim() !== '').length;
  const quorum = raw.AUDIT_WITNESS_QUORUM;
  if (quorum !== undefined && quorum > witnesses)
    refusals.push(
      `AUDIT_WITNESS_QUORUM: ${quorum}, but AUDIT_WITNESSES lists ${witnesses} witness${witnesses === 1 ? '' : 'es'}` +
        `${raw.AUDIT_WITNESSES ? '' : ' (npm start runs one of its own when AUDIT_WITNESSES is unset)'}: ` +
        `no checkpoint could ever be final. Set it from 1 to the number of witnesses, or list more.`,
    );
  const sso = [raw.CONSOLE_OIDC_ISSUER, raw.CONSOLE_OIDC_CLIENT_ID, raw.CONSOLE_OIDC_CLIENT_SECRET];
  if (sso.some((v) => v !== undefined) && sso.some((v) => v === undefined))
    refusals.push(
      'CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID and CONSOLE_OIDC_CLIENT_SECRET: single sign-on needs all three ' +
        '(set them together, or none for password sign-in only).',
    );
  return refusals;
}

/** Keys that pass their variable's format check but are not the kind the app signs and authenticates with. */
function keyRefusals(s: Secrets): string[] {
  const kind = (pem: string) => {
    try {
      const key = createPrivateKey(pem);
      return key.asymmetricKeyType === 'ec'
        ? `ec ${key.asymmetricKeyDetails?.namedCurve}`
        : key.asymmetricKeyType;
    } catch {
      return undefined;
    }
  };
  const refusals: string[] = [];
  if (kind(s.auditSigningKey) !== 'ed25519')
    refusals.push(
      'AUDIT_SIGNING_KEY: must be an Ed25519 private key in PEM (PKCS #8); checkpoints are Ed25519 notes.',
    );
  if (kind(s.smartClientKey) !== 'ec secp384r1')
    refusals.push(
      'SMART_CLIENT_KEY: must be a P-384 EC private key in PEM (PKCS #8), for ES384 client assertions.',
    );
  return refusals;
}

export function buildEnv(source: Record<string, string | undefined>): Env {
  const raw = parseEnv(source);
  if (raw.DEPLOYMENT === 'cluster') {
    const refusals = clusterRefusals(raw);
    if (refusals.length > 0) {
      throw new EnvError(
        `DEPLOYMENT=cluster refuses this set-up:\n${refusals.map((r) => `  - ${r}`).join('\n')}`,
      );
    }
  }
  const refused = setUpRefusals(raw);
  if (refused.length > 0)
    throw new EnvError(`Invalid environment:\n${refused.map((r) => `  ${r}`).join('\n')}`);
  const authUrl = new URL('/api/auth', raw.APP_URL).href;
  if (raw.NEXTAUTH_URL !== undefined && raw.NEXTAUTH_URL !== authUrl)
    throw new EnvError(
      `Invalid environment:\n  NEXTAUTH_URL: must be ${authUrl} (APP_URL + /api/auth) or unset`,
    );
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.DATA_DIR);
  // Its owner's alone whether or not the secrets file is needed: the embedded databases live there too.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  makePrivate(dataDir);
  const needsFile =
    !raw.SESSION_SECRET ||
    !raw.NEXTAUTH_SECRET ||
    !raw.AUDIT_SIGNING_KEY ||
    !raw.AUDIT_HMAC_KEY ||
    !raw.AUDIT_ENCRYPTION_KEY ||
    !raw.SMART_CLIENT_KEY;
  const auditCheckpointDir = path.resolve(
    /*turbopackIgnore: true*/ raw.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'checkpoints'),
  );
  const givenAuditKeys: Record<AuditKeyName, string | undefined> = {
    auditSigningKey: raw.AUDIT_SIGNING_KEY,
    auditHmacKey: raw.AUDIT_HMAC_KEY,
    auditEncryptionKey: raw.AUDIT_ENCRYPTION_KEY,
  };
  const fileSecrets = needsFile
    ? loadOrCreateSecrets(dataDir, {
        keysFromFile: AUDIT_KEYS.filter((k) => !givenAuditKeys[k]),
        logPlaces: [...(raw.AUDIT_DATABASE_URL ? [] : [embeddedAuditDir(dataDir)]), auditCheckpointDir],
      })
    : undefined;
  const pick = (given: string | undefined, key: keyof Secrets): string => given ?? fileSecrets![key];
  const {
    SESSION_SECRET,
    NEXTAUTH_SECRET,
    AUDIT_SIGNING_KEY,
    AUDIT_HMAC_KEY,
    AUDIT_ENCRYPTION_KEY,
    SMART_CLIENT_KEY,
    TRUST_PROXY,
    ...rest
  } = raw;
  const secrets: Secrets = {
    sessionSecret: pick(SESSION_SECRET, 'sessionSecret'),
    nextAuthSecret: pick(NEXTAUTH_SECRET, 'nextAuthSecret'),
    auditSigningKey: pick(AUDIT_SIGNING_KEY, 'auditSigningKey'),
    auditHmacKey: pick(AUDIT_HMAC_KEY, 'auditHmacKey'),
    auditEncryptionKey: pick(AUDIT_ENCRYPTION_KEY, 'auditEncryptionKey'),
    smartClientKey: pick(SMART_CLIENT_KEY, 'smartClientKey'),
  };
  const badKeys = keyRefusals(secrets);
  if (badKeys.length > 0)
    throw new EnvError(`Invalid environment:\n${badKeys.map((r) => `  ${r}`).join('\n')}`);
  return {
    ...rest,
    dataDir,
    auditCheckpointDir,
    secrets,
    trustProxy: TRUST_PROXY === 'true',
    secureCookies: isSecureOrigin(raw.APP_URL),
  };
}

/** Browsers keep `Secure` cookies on https and on loopback http (a trustworthy origin). */
function isSecureOrigin(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}

/** The parsed environment, shared by every route bundle (see lib/process-singleton.ts). */
const parsed = processSingleton('env', (): { env?: Env } => ({}));

/** The process environment, parsed once per process. */
export function env(): Env {
  parsed.env ??= buildEnv(process.env);
  return parsed.env;
}
