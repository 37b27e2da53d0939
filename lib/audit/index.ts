import 'server-only';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { embeddedAuditDir, env } from '@/lib/env';
import { processSingleton } from '@/lib/process-singleton';
import { directorySink, type CheckpointSink } from './checkpoint-dir';
import type { AuditKeys } from './crypto';
import type { SqlDriver } from './driver';
import { pgDriver } from './driver-pg';
import { pgliteDriver } from './driver-pglite';
import { migrate, schemaReady } from './schema';
import { createSqlAuditStore, type AuditStore } from './store';
import type { AuditInput, AuditLog } from './types';
import { parseWitnesses, type WitnessPolicy } from './witnesses';

export type { AuditStore, InclusionProof, TreeHead } from './store';
export type { AuditQueryFilter, AuditPage, AuditQueryResult, StoredAuditEvent } from './query';
export type { VerifyOptions, VerifyReport, TenantVerifyReport } from './verify';
export type { AuditHealth, AuditHealthProblem } from './coverage';
export type { FoundPatient, PatientSearchResult } from './patient-index';
import { AuditUnavailableError } from './errors';

export { AuditUnavailableError };
export { acceptNewerCheckpoint, openCheckpoint } from './checkpoint';
export { verifyInclusion, verifyConsistency } from './merkle';

export type AuditDatabase =
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  | {
      readonly kind: 'postgres';
      /** The app's login (member of audit_writer: INSERT and SELECT only). */
      readonly url: string;
      /** Privileged URL for migrations; without it the schema must already exist. */
      readonly ownerUrl?: string;
    };

export interface CreateAuditStoreOptions {
  readonly database: AuditDatabase | SqlDriver;
  readonly keys: AuditKeys;
  /** External checkpoint directory, or a custom sink (write-once object storage); null disables (tests only). */
  readonly checkpoints: string | CheckpointSink | null;
  readonly appId?: string;
  readonly checkpointDelayMs?: number;
  /** Public keys of earlier signing keys (key rotation). */
  readonly previousPublicKeys?: readonly KeyObject[];
  /** Where background checkpoint failures are reported (default: one JSON line per alert, tenant and codes only). */
  readonly onBackgroundError?: (e: unknown) => void;
  /** How long appended events may wait for a signed checkpoint before the store is unavailable (default 5 s). */
  readonly coverageBoundMs?: number;
  /** Witnesses that must cosign each checkpoint (lib/audit/witnesses.ts); none by default. */
  readonly witnesses?: WitnessPolicy | undefined;
}

const isDriver = (d: AuditDatabase | SqlDriver): d is SqlDriver => 'transaction' in d;

function appRoleOf(url: string): string | undefined {
  const user = new URL(url).username;
  return user ? decodeURIComponent(user) : undefined;
}

/**
 * Opens an audit store and brings its schema up to date. On PostgreSQL the
 * schema is created through the owner URL (DDL, roles, grants) and the app
 * then works through its own, unprivileged login.
 */
export async function createAuditStore(opts: CreateAuditStoreOptions): Promise<AuditStore> {
  let driver: SqlDriver;
  const db = opts.database;
  if (isDriver(db)) {
    driver = db;
    await migrate(driver);
  } else if (db.kind === 'pglite') {
    driver = await pgliteDriver(db.dataDir);
    try {
      await migrate(driver);
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw e;
    }
  } else {
    if (db.ownerUrl) {
      const owner = pgDriver(db.ownerUrl, { max: 1 });
      try {
        await migrate(owner, { appRole: appRoleOf(db.url) });
      } finally {
        await owner.close();
      }
    }
    driver = pgDriver(db.url);
    if (!(await schemaReady(driver))) {
      await driver.close();
      throw new Error(
        'The audit schema is missing or outdated: run the migration with AUDIT_DATABASE_OWNER_URL set.',
      );
    }
  }
  const sink =
    opts.checkpoints === null
      ? undefined
      : typeof opts.checkpoints === 'string'
        ? directorySink(opts.checkpoints)
        : opts.checkpoints;
  return createSqlAuditStore({
    driver,
    keys: opts.keys,
    sink,
    appId: opts.appId ?? 'smart-chart',
    ...(opts.checkpointDelayMs !== undefined ? { checkpointDelayMs: opts.checkpointDelayMs } : {}),
    ...(opts.onBackgroundError ? { onBackgroundError: opts.onBackgroundError } : {}),
    ...(opts.coverageBoundMs !== undefined ? { coverageBoundMs: opts.coverageBoundMs } : {}),
    ...(opts.previousPublicKeys ? { previousPublicKeys: opts.previousPublicKeys } : {}),
    witnesses: opts.witnesses,
  });
}

/** Splits concatenated PEM public keys (AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS). */
export function parsePublicKeys(pems: string | undefined): KeyObject[] {
  if (!pems) return [];
  return (pems.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map((pem) =>
    createPublicKey(pem),
  );
}

// Process-wide handle to the store (a connection pool), never request data: shared by every route bundle.
const holder = processSingleton(
  'audit-log',
  (): { shared?: Promise<AuditLog & { store: AuditStore }> } => ({}),
);

/** The app's audit log, built from env() on first use. */
export function getAuditLog(): Promise<AuditLog & { store: AuditStore }> {
  holder.shared ??= (async () => {
    const e = env();
    const store = await createAuditStore({
      database: e.AUDIT_DATABASE_URL
        ? {
            kind: 'postgres',
            url: e.AUDIT_DATABASE_URL,
            ...(e.AUDIT_DATABASE_OWNER_URL ? { ownerUrl: e.AUDIT_DATABASE_OWNER_URL } : {}),
          }
        : { kind: 'pglite', dataDir: embeddedAuditDir(e.dataDir) },
      keys: {
        hmacKey: e.secrets.auditHmacKey,
        encryptionKey: e.secrets.auditEncryptionKey,
        signingKey: e.secrets.auditSigningKey,
      },
      checkpoints: e.auditCheckpointDir,
      appId: e.APP_URL,
      previousPublicKeys: parsePublicKeys(e.AUDIT_PREVIOUS_SIGNING_PUBLIC_KEYS),
      coverageBoundMs: e.AUDIT_SIGNATURE_BOUND_MS,
      witnesses: parseWitnesses(e.AUDIT_WITNESSES, e.AUDIT_WITNESS_QUORUM),
    });
    return {
      store,
      async record(input: AuditInput) {
        const [receipt] = await store.append([input]);
        if (!receipt) throw new Error('audit append returned no receipt');
        return receipt;
      },
    };
  })().catch((cause: unknown) => {
    // A failed start (database down) must not stick: the next call tries again. Routes fail closed.
    holder.shared = undefined;
    throw new AuditUnavailableError({ cause });
  });
  return holder.shared;
}
