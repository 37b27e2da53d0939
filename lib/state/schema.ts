import type { SqlDriver } from '../audit/driver';

/**
 * Shared application state, kept apart from the audit store: the launches this
 * app has open or has ended, the OAuth `state` values already used, and the
 * request counts of the rate limits. One schema, so several app instances on
 * one PostgreSQL see the same state.
 */
const STATEMENTS = [
  `CREATE SCHEMA IF NOT EXISTS app_state`,
  `CREATE TABLE IF NOT EXISTS app_state.launches (
     launch_id text PRIMARY KEY,
     -- SHA-256 of the random handle in the browser's cookie; the handle itself is never stored.
     handle_hash bytea NOT NULL CHECK (length(handle_hash) = 32),
     -- The session (tokens included), sealed with the app's session secret.
     sealed text NOT NULL,
     framed boolean NOT NULL,
     -- The patient the launch is bound to; NULL until a clinician who launched without one chooses one.
     patient_id text,
     created_at timestamptz NOT NULL,
     last_seen_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     ended_at timestamptz,
     ended_reason text
   )`,
  // Launch stores made before patient choice lacked the column.
  `ALTER TABLE app_state.launches ADD COLUMN IF NOT EXISTS patient_id text`,
  // A keyed MAC over (launch, patient): the database login alone cannot rebind a launch to another patient.
  `ALTER TABLE app_state.launches ADD COLUMN IF NOT EXISTS patient_mac bytea`,
  `CREATE INDEX IF NOT EXISTS launches_expires ON app_state.launches (expires_at)`,
  `CREATE TABLE IF NOT EXISTS app_state.used_states (
     state_hash bytea PRIMARY KEY,
     expires_at timestamptz NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS used_states_expires ON app_state.used_states (expires_at)`,
  // Console accounts, when several app servers share them (lib/console/account-records-sql.ts).
  `CREATE TABLE IF NOT EXISTS app_state.console_users (id text PRIMARY KEY, record jsonb NOT NULL)`,
  // Requests per client address (SHA-256) and fixed window, counted by every instance.
  `CREATE TABLE IF NOT EXISTS app_state.rate_windows (
     bucket text NOT NULL,
     key_hash bytea NOT NULL,
     window_start timestamptz NOT NULL,
     hits integer NOT NULL,
     PRIMARY KEY (bucket, key_hash, window_start)
   )`,
  `CREATE INDEX IF NOT EXISTS rate_windows_start ON app_state.rate_windows (window_start)`,
];

export async function migrateState(driver: SqlDriver): Promise<void> {
  // Two instances starting together may both create the schema: serialise them.
  await driver.transaction(async (tx) => {
    if (driver.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(7420117)`);
    for (const sql of STATEMENTS) await tx.query(sql);
  });
}
