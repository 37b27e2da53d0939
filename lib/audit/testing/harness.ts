import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { CheckpointSink } from '../checkpoint-dir';
import { generateAuditKeys, type AuditKeys } from '../crypto';
import type { SqlDriver } from '../driver';
import { pgDriver } from '../driver-pg';
import { pgliteDriver } from '../driver-pglite';
import { createAuditStore } from '../index';
import { migrate } from '../schema';
import type { AuditStore } from '../store';
import type { WitnessPolicy } from '../witnesses';

/**
 * Test-only: one store per driver kind plus a privileged handle for playing
 * the attacker (a database superuser). Never imported by the app.
 */
export interface Harness {
  readonly kind: 'postgres' | 'pglite';
  readonly keys: AuditKeys;
  readonly checkpointDir: string;
  readonly store: AuditStore;
  /** Superuser access to the same database. */
  readonly admin: SqlDriver;
  /** The app's own login, as a compromised app would use it (PGlite: the same connection). */
  readonly app: SqlDriver;
  /** Re-creates the triggers (ENABLE ALWAYS) after an attacker disabled them. */
  restoreTriggers(): Promise<void>;
  /** Opens another store on the same database (PostgreSQL only: PGlite has one process). */
  openAnother?(): Promise<AuditStore>;
  /**
   * An independent store on the same database (another app instance; on PGlite the same
   * connection), for attacks that stop it: the shared store stays healthy for other tests.
   */
  openStore(o?: IsolatedStoreOptions): Promise<AuditStore>;
  dispose(): Promise<void>;
}

export interface IsolatedStoreOptions {
  /** Default: the harness's checkpoint directory. */
  readonly checkpointDir?: string;
  /** An external checkpoint store of the test's own (instead of a directory). */
  readonly sink?: CheckpointSink;
  readonly coverageBoundMs?: number;
  readonly checkpointDelayMs?: number;
  readonly onBackgroundError?: (e: unknown) => void;
  readonly witnesses?: WitnessPolicy;
}

const isolated = (o: IsolatedStoreOptions, dir: string) => ({
  checkpoints: o.sink ?? o.checkpointDir ?? dir,
  checkpointDelayMs: o.checkpointDelayMs ?? 50,
  onBackgroundError: o.onBackgroundError ?? (() => undefined),
  ...(o.coverageBoundMs !== undefined ? { coverageBoundMs: o.coverageBoundMs } : {}),
  ...(o.witnesses ? { witnesses: o.witnesses } : {}),
});

// Test configuration comes from the test runner's environment, not from lib/env.
const PG_URL = process.env.AUDIT_TEST_PG_URL;
export const pgTestUrl = (): string | undefined => (PG_URL && PG_URL.length > 0 ? PG_URL : undefined);
export const APP_LOGIN = 'audit_app_test';
const APP_PASSWORD = 'audit_app_test';

const withDb = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};
export const asApp = (url: string): string => {
  const u = new URL(url);
  u.username = APP_LOGIN;
  u.password = APP_PASSWORD;
  return u.toString();
};

/** A fresh database (and the app login, shared by all test databases) on the test cluster. */
export async function freshPgDatabase(superUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `audit_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: superUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
    await client
      .query(
        `DO $$ BEGIN CREATE ROLE ${APP_LOGIN} LOGIN PASSWORD '${APP_PASSWORD}'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
      )
      .catch(() => undefined);
  } finally {
    await client.end();
  }
  return {
    url: withDb(superUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: superUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

export async function pgHarness(superUrl: string): Promise<Harness> {
  const db = await freshPgDatabase(superUrl);
  const keys = generateAuditKeys();
  const checkpointDir = tempDir('audit-cp-');
  const open = () =>
    createAuditStore({
      database: { kind: 'postgres', url: asApp(db.url), ownerUrl: db.url },
      keys,
      checkpoints: checkpointDir,
      checkpointDelayMs: 50,
      onBackgroundError: () => undefined,
    });
  const store = await open();
  const admin = pgDriver(db.url, { max: 2 });
  const app = pgDriver(asApp(db.url), { max: 2 });
  const extra: AuditStore[] = [];
  return {
    kind: 'postgres',
    keys,
    checkpointDir,
    store,
    admin,
    app,
    restoreTriggers: () => migrate(admin, { appRole: APP_LOGIN }),
    async openAnother() {
      const s = await open();
      extra.push(s);
      return s;
    },
    async openStore(o = {}) {
      const s = await createAuditStore({
        database: { kind: 'postgres', url: asApp(db.url) },
        keys,
        ...isolated(o, checkpointDir),
      });
      extra.push(s);
      return s;
    },
    async dispose() {
      await Promise.allSettled([store.close(), ...extra.map((s) => s.close())]);
      await admin.close();
      await app.close();
      await db.drop();
      await rm(checkpointDir, { recursive: true, force: true });
    },
  };
}

export async function pgliteHarness(): Promise<Harness> {
  const dataDir = tempDir('audit-pglite-');
  const checkpointDir = tempDir('audit-cp-');
  const keys = generateAuditKeys();
  // PGlite is single-connection: the attacker's handle and the store share it.
  const driver = await pgliteDriver(dataDir);
  const store = await createAuditStore({
    database: driver,
    keys,
    checkpoints: checkpointDir,
    checkpointDelayMs: 50,
    onBackgroundError: () => undefined,
  });
  return {
    kind: 'pglite',
    keys,
    checkpointDir,
    store,
    admin: driver,
    app: driver,
    restoreTriggers: () => migrate(driver),
    // The shared connection stays open when the isolated store closes.
    openStore: (o = {}) =>
      createAuditStore({
        database: { ...driver, close: async () => undefined },
        keys,
        ...isolated(o, checkpointDir),
      }),
    async dispose() {
      await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
      await rm(checkpointDir, { recursive: true, force: true });
    },
  };
}
