/**
 * `DEPLOYMENT=cluster`: several instances behind a balancer. What one machine
 * may generate or embed for itself must then be shared, so such a set-up is
 * refused at start with the fix named. `npm start` (DEPLOYMENT unset) keeps
 * the embedded defaults.
 */

const SECRET_VARIABLES = [
  'SESSION_SECRET',
  'NEXTAUTH_SECRET',
  'AUDIT_SIGNING_KEY',
  'AUDIT_HMAC_KEY',
  'AUDIT_ENCRYPTION_KEY',
  'SMART_CLIENT_KEY',
] as const;

type Vars = Readonly<
  Partial<
    Record<
      | (typeof SECRET_VARIABLES)[number]
      | 'AUDIT_DATABASE_URL'
      | 'STATE_DATABASE_URL'
      | 'AUDIT_CHECKPOINT_DIR'
      | 'AUDIT_WITNESSES',
      string
    >
  > & { readonly AUDIT_WITNESS_QUORUM?: number | undefined; readonly INSTANCES?: number | undefined }
>;

const loginOf = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).username);
  } catch {
    return '';
  }
};

/** Each reason a cluster instance must not start with these variables, with its fix; empty when safe. */
export function clusterRefusals(vars: Vars): string[] {
  const refusals: string[] = [];
  const missing = SECRET_VARIABLES.filter((v) => !vars[v]);
  if (missing.length > 0) {
    refusals.push(
      `${missing.join(', ')} not set: each instance would generate its own into DATA_DIR/secrets.json, so ` +
        `sessions, audit search keys and checkpoint signatures would differ between instances. ` +
        `Fix: give every instance the same values from your secret manager.`,
    );
  }
  if (!vars.AUDIT_DATABASE_URL) {
    refusals.push(
      `AUDIT_DATABASE_URL not set: each instance would keep its own audit log in PGlite under DATA_DIR/audit. ` +
        `Fix: point every instance at one PostgreSQL audit database (AUDIT_DATABASE_URL, and ` +
        `AUDIT_DATABASE_OWNER_URL where the schema is created).`,
    );
  }
  if (!vars.AUDIT_CHECKPOINT_DIR) {
    refusals.push(
      `AUDIT_CHECKPOINT_DIR not set: each instance would keep the signed checkpoints it makes under its own ` +
        `DATA_DIR/checkpoints, and verification would find the others' missing. Fix: give every instance the ` +
        `same directory on shared, append-only storage.`,
    );
  }
  refusals.push(...witnessRefusals(vars));
  if (vars.INSTANCES === undefined) {
    refusals.push(
      `INSTANCES not set: each instance would open as many requests to an EHR as the registration allows, so ` +
        `the EHR would see that limit times the number of instances. Fix: set INSTANCES to the number of ` +
        `instances behind the balancer; each then takes its share of every EHR's limit.`,
    );
  }
  if (!vars.STATE_DATABASE_URL) {
    refusals.push(
      `STATE_DATABASE_URL not set: each instance would keep its own launches, used OAuth states and rate ` +
        `limits in an embedded database under DATA_DIR. Fix: point every instance at one PostgreSQL database for ` +
        `the launch store, with a login of its own.`,
    );
  } else if (
    vars.AUDIT_DATABASE_URL &&
    loginOf(vars.STATE_DATABASE_URL) === loginOf(vars.AUDIT_DATABASE_URL)
  ) {
    refusals.push(
      `STATE_DATABASE_URL uses the audit store's login. Fix: give the launch store a PostgreSQL login of its ` +
        `own, so the audit login stays limited to appending and reading the audit log.`,
    );
  }
  return refusals;
}

/**
 * Without witnesses the instances' own signature is all that stands behind a checkpoint: someone
 * who rewrites the audit database and the shared checkpoint directory together goes unnoticed,
 * and the next instance to start signs the rewritten log.
 */
function witnessRefusals(vars: Vars): string[] {
  const count = (vars.AUDIT_WITNESSES ?? '').split(',').filter((e) => e.trim() !== '').length;
  if (count === 0)
    return [
      `AUDIT_WITNESSES not set: checkpoints would carry only the instances' own signature, so a rewritten ` +
        `audit database and checkpoint directory would be signed again unnoticed. Fix: run one or more ` +
        `witnesses (scripts/witness.ts) on hosts the app's operators cannot write to, and set ` +
        `AUDIT_WITNESSES to their "<URL> <vkey>" entries, separated by commas, with AUDIT_WITNESS_QUORUM ` +
        `(1 or more; default all of them).`,
    ];
  const quorum = vars.AUDIT_WITNESS_QUORUM ?? count;
  if (quorum < 1 || quorum > count)
    return [
      `AUDIT_WITNESS_QUORUM is ${quorum} but AUDIT_WITNESSES lists ${count}. Fix: set a quorum from 1 to ${count}, ` +
        `or list more witnesses.`,
    ];
  return [];
}
