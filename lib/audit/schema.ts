import type { SqlClient, SqlDriver } from './driver';
import { APPEND_FUNCTION, CHECKPOINT_FUNCTION, FUNCTIONS } from './schema-functions';

/**
 * The audit schema. Three layers keep it append-only:
 * 1. grants — the app's role may SELECT, and append and add checkpoints only through two
 *    SECURITY DEFINER functions that check what they write (schema-functions.ts);
 * 2. row and statement triggers refuse UPDATE, DELETE and TRUNCATE, ENABLE ALWAYS so they
 *    also fire under session_replication_role = replica, for the owner as for the app;
 * 3. what a superuser could still do (disable triggers, rewrite rows) is caught by verify()
 *    through the Merkle tree and the signed checkpoints kept outside the database.
 */

export const SCHEMA_VERSION = 3;
export const OWNER_ROLE = 'audit_owner';
export const WRITER_ROLE = 'audit_writer';

const IMMUTABLE = ['events', 'nodes', 'checkpoints', 'patient_index'] as const;

const TABLES = [
  `CREATE TABLE IF NOT EXISTS audit.schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  // One row per event; canonical holds the RFC 8785 bytes the leaf hash commits to, every
  // other column is a copy of a field inside them for indexed search (verify() compares).
  `CREATE TABLE IF NOT EXISTS audit.events (
     tenant text NOT NULL,
     seq bigint NOT NULL CHECK (seq >= 0),
     recorded timestamptz NOT NULL,
     action text NOT NULL,
     outcome text NOT NULL CHECK (outcome IN ('0', '4', '8', '12')),
     user_hmac bytea CHECK (length(user_hmac) = 32),
     patient_hmac bytea CHECK (length(patient_hmac) = 32),
     resource_types text[] NOT NULL,
     canonical bytea NOT NULL,
     leaf_hash bytea NOT NULL CHECK (leaf_hash = sha256('\\x00'::bytea || canonical)),
     -- AES-256-GCM sealed AuditEvent (with entity.query); its SHA-256 is inside canonical.
     sealed bytea NOT NULL,
     PRIMARY KEY (tenant, seq)
   )`,
  // When the row was committed (version 2): how long an unsigned tail has waited, for verify's bound.
  // A liveness measure only, outside the signed record; existing rows get the upgrade time.
  `ALTER TABLE audit.events ADD COLUMN IF NOT EXISTS committed_at timestamptz NOT NULL DEFAULT now()`,
  // Roots of complete subtrees at every fourth level: inclusion and consistency proofs
  // read O(log n) rows instead of rehashing leaves.
  `CREATE TABLE IF NOT EXISTS audit.nodes (
     tenant text NOT NULL,
     level smallint NOT NULL CHECK (level > 0),
     idx bigint NOT NULL CHECK (idx >= 0),
     hash bytea NOT NULL CHECK (length(hash) = 32),
     PRIMARY KEY (tenant, level, idx)
   )`,
  // The chain head: the one mutable row per tenant, locked FOR UPDATE by each writer batch.
  `CREATE TABLE IF NOT EXISTS audit.heads (
     tenant text PRIMARY KEY,
     size bigint NOT NULL CHECK (size >= 0),
     frontier bytea NOT NULL,
     last_leaf bytea NOT NULL,
     root bytea NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS audit.checkpoints (
     tenant text NOT NULL,
     tree_size bigint NOT NULL CHECK (tree_size > 0),
     root bytea NOT NULL CHECK (length(root) = 32),
     signed_at timestamptz NOT NULL,
     note text NOT NULL,
     PRIMARY KEY (tenant, tree_size)
   )`,
  // Version 3: the patient finder's keyed blind tokens (patient-index.ts). Insert-only; no plaintext.
  `CREATE TABLE IF NOT EXISTS audit.patient_index (
     token bytea NOT NULL CHECK (length(token) = 32),
     tenant text NOT NULL,
     patient_hmac bytea NOT NULL CHECK (length(patient_hmac) = 32),
     PRIMARY KEY (token, tenant, patient_hmac)
   )`,
  // The console's searches, newest first, keyset-paged on (recorded, tenant, seq).
  `CREATE INDEX IF NOT EXISTS events_patient ON audit.events (patient_hmac, recorded, tenant, seq) WHERE patient_hmac IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS events_user ON audit.events (user_hmac, recorded, tenant, seq) WHERE user_hmac IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS events_tenant_recorded ON audit.events (tenant, recorded, seq)`,
  `CREATE INDEX IF NOT EXISTS events_action ON audit.events (action, recorded, tenant, seq)`,
  `CREATE INDEX IF NOT EXISTS events_outcome ON audit.events (outcome, recorded, tenant, seq)`,
  `CREATE INDEX IF NOT EXISTS events_recorded ON audit.events (recorded, tenant, seq)`,
  `CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit log is append-only: % on audit.% refused', TG_OP, TG_TABLE_NAME
       USING ERRCODE = 'insufficient_privilege';
   END $$`,
];

function triggers(table: string, ops: { row: string; statement: string }): string[] {
  return [
    `DROP TRIGGER IF EXISTS ${table}_refuse_row ON audit.${table}`,
    `CREATE TRIGGER ${table}_refuse_row BEFORE ${ops.row} ON audit.${table} FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`,
    `ALTER TABLE audit.${table} ENABLE ALWAYS TRIGGER ${table}_refuse_row`,
    `DROP TRIGGER IF EXISTS ${table}_refuse_statement ON audit.${table}`,
    `CREATE TRIGGER ${table}_refuse_statement BEFORE ${ops.statement} ON audit.${table} FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
    `ALTER TABLE audit.${table} ENABLE ALWAYS TRIGGER ${table}_refuse_statement`,
  ];
}

const TRIGGERS = [
  ...IMMUTABLE.flatMap((t) =>
    triggers(t, { row: 'UPDATE OR DELETE', statement: 'UPDATE OR DELETE OR TRUNCATE' }),
  ),
  // The head moves forward by UPDATE, but is never deleted.
  ...triggers('heads', { row: 'DELETE', statement: 'DELETE OR TRUNCATE' }),
];

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function roleStatements(appRole: string | undefined): { before: string[]; after: string[] } {
  const ensure = (role: string) =>
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`;
  return {
    before: [
      ensure(OWNER_ROLE),
      ensure(WRITER_ROLE),
      `GRANT ${OWNER_ROLE} TO CURRENT_USER`,
      `CREATE SCHEMA IF NOT EXISTS audit AUTHORIZATION ${OWNER_ROLE}`,
      `SET LOCAL ROLE ${OWNER_ROLE}`,
    ],
    after: [
      `REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA audit TO ${WRITER_ROLE}`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM ${WRITER_ROLE}`,
      // Read everything; write the log only through the two owner functions (schema-functions.ts).
      `GRANT SELECT ON ALL TABLES IN SCHEMA audit TO ${WRITER_ROLE}`,
      // The patient finder's tokens are not part of the signed log: the app adds them directly.
      `GRANT INSERT ON audit.patient_index TO ${WRITER_ROLE}`,
      `REVOKE ALL ON FUNCTION ${APPEND_FUNCTION}, ${CHECKPOINT_FUNCTION} FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION ${APPEND_FUNCTION}, ${CHECKPOINT_FUNCTION} TO ${WRITER_ROLE}`,
      ...(appRole ? [`RESET ROLE`, `GRANT ${WRITER_ROLE} TO ${quoteIdent(appRole)}`] : []),
    ],
  };
}

export interface MigrateOptions {
  /** PostgreSQL login role the app connects as; it is made a member of audit_writer. */
  readonly appRole?: string;
}

/**
 * The order a writer's batch takes the tables in (the head's row lock, then the events and nodes it
 * inserts), then the rest. The DDL below takes each table's ACCESS EXCLUSIVE lock as it reaches it,
 * in another order: an instance starting beside running ones (a rolling deploy) would then deadlock
 * with a writer holding the head, and that writer's disclosure would be withheld.
 */
const WRITER_LOCK_ORDER = ['heads', 'events', 'nodes', 'checkpoints', 'patient_index', 'schema_version'];

/** Takes every existing audit table up front, in the writers' order: the migration waits for batches in flight. */
async function lockInWritersOrder(tx: SqlClient): Promise<void> {
  const present = await tx.query<{ name: string }>(
    `SELECT t AS name FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)
     WHERE to_regclass('audit.' || t) IS NOT NULL ORDER BY i`,
    [WRITER_LOCK_ORDER],
  );
  if (present.length > 0)
    await tx.query(`LOCK TABLE ${present.map((r) => `audit.${r.name}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/** Creates or upgrades the schema; idempotent and safe to run from several processes at once. */
export async function migrate(driver: SqlDriver, options: MigrateOptions = {}): Promise<void> {
  const pg = driver.kind === 'postgres';
  const roles = pg
    ? roleStatements(options.appRole)
    : { before: [`CREATE SCHEMA IF NOT EXISTS audit`], after: [] };
  await driver.transaction(async (tx) => {
    if (pg) await tx.query(`SELECT pg_advisory_xact_lock(727170001)`);
    for (const sql of roles.before) await tx.query(sql);
    if (pg) await lockInWritersOrder(tx);
    for (const sql of [...TABLES, ...TRIGGERS, ...FUNCTIONS, ...roles.after]) await tx.query(sql);
    await tx.query(`INSERT INTO audit.schema_version (version) VALUES ($1) ON CONFLICT DO NOTHING`, [
      SCHEMA_VERSION,
    ]);
  });
}

/** True when the schema exists at the version this code expects (the app role cannot create it). */
export async function schemaReady(driver: SqlDriver): Promise<boolean> {
  const rows = await driver.query<{ ok: boolean }>(
    `SELECT to_regclass('audit.schema_version') IS NOT NULL AS ok`,
  );
  if (rows[0]?.ok !== true) return false;
  const v = await driver.query<{ version: number }>(
    `SELECT max(version) AS version FROM audit.schema_version`,
  );
  return v[0]?.version === SCHEMA_VERSION;
}
