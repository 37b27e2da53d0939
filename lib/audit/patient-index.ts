import { blindIndexKey, blindToken, identityMatches, identityTerms, queryTerms } from './blind-index';
import { recordedIdentity } from './audit-event';
import { pseudonym, type AuditKeys } from './crypto';
import { toBuffer, type SqlClient } from './driver';
import { openEvent } from './query';
import type { AuditInput, PatientIdentity } from './types';

/**
 * The patient finder's table, audit.patient_index: (blind token, tenant,
 * patient HMAC), insert-only. A disclosure that names the patient's identity
 * adds its terms' tokens once per patient and identity (remembered in memory;
 * ON CONFLICT DO NOTHING across instances); the event append itself is
 * untouched. A search turns the officer's words into tokens, the tokens into
 * patient HMACs, and reads the patient's name, birth date and MRN back from
 * the patient's own sealed events, so a forged index row cannot mislabel
 * anyone: a patient whose records do not match the search is left out and
 * counted.
 */

export interface FoundPatient {
  readonly tenant: string;
  /** Absolute FHIR reference at the EHR, as the events record it. */
  readonly reference: string;
  /** As the newest disclosure recorded it. */
  readonly identity: PatientIdentity;
}

export interface PatientSearchResult {
  readonly patients: readonly FoundPatient[];
  /** Index entries whose patient's records do not match the search (a forged or stale index row). */
  readonly unconfirmed: number;
  /** More patients matched than `limit`: the officer should narrow the search. */
  readonly truncated: boolean;
}

const REMEMBERED = 50_000;

/** Writes the blind tokens of identities not yet indexed by this process; resolves once they are stored. */
export function patientIndexer(
  db: SqlClient,
  keys: AuditKeys,
): (inputs: readonly AuditInput[]) => Promise<void> {
  const indexKey = blindIndexKey(keys.hmacKey);
  const done = new Set<string>();
  return async (inputs) => {
    const rows = new Map<string, readonly [string, string, string]>();
    const fresh: string[] = [];
    for (const input of inputs) {
      if (!input.patient || !input.patientIdentity) continue;
      const hmac = pseudonym(keys.hmacKey, 'patient', input.patient);
      const tokens = identityTerms(input.patientIdentity).map((t) => blindToken(indexKey, t));
      const key = `${input.tenant}\u0000${hmac}\u0000${tokens.sort().join(',')}`;
      if (done.has(key)) continue;
      fresh.push(key);
      for (const token of tokens) rows.set(`${token}${input.tenant}${hmac}`, [token, input.tenant, hmac]);
    }
    if (rows.size === 0) return;
    // One order for every writer, so concurrent inserts of the same tokens wait instead of deadlocking.
    const cols = [...rows.values()].sort((x, y) => x.join().localeCompare(y.join()));
    await db.query(
      `INSERT INTO audit.patient_index (token, tenant, patient_hmac)
       SELECT decode(t, 'hex'), n, decode(h, 'hex') FROM unnest($1::text[], $2::text[], $3::text[]) AS r(t, n, h)
       ON CONFLICT DO NOTHING`,
      [cols.map((c) => c[0]), cols.map((c) => c[1]), cols.map((c) => c[2])],
    );
    if (done.size + fresh.length > REMEMBERED) done.clear();
    for (const key of fresh) done.add(key);
  };
}

/** Newest successful disclosures per patient read back for its identity. */
const IDENTITY_EVENTS = 10;

/** Patients whose name tokens, birth date and MRN include every term of `text`; throws RangeError when nothing is searchable. */
export async function findPatients(
  db: SqlClient,
  keys: AuditKeys,
  text: string,
  opts: { readonly tenant?: string; readonly limit?: number } = {},
): Promise<PatientSearchResult> {
  const terms = queryTerms(text);
  if (terms.length === 0) throw new RangeError('nothing to search for');
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const indexKey = blindIndexKey(keys.hmacKey);
  const tokens = terms.map((t) => blindToken(indexKey, t));
  const rows = await db.query(
    `WITH hit AS (
       SELECT tenant, patient_hmac FROM audit.patient_index
       WHERE token = ANY (ARRAY(SELECT decode(t, 'hex') FROM unnest($1::text[]) AS t))
         ${opts.tenant !== undefined ? 'AND tenant = $4' : ''}
       GROUP BY tenant, patient_hmac HAVING count(DISTINCT token) = $2
       ORDER BY tenant, patient_hmac LIMIT $3
     )
     SELECT hit.tenant, hit.patient_hmac, ev.canonical, ev.sealed FROM hit
     LEFT JOIN LATERAL (
       -- OFFSET 0 keeps the scan on the patient's own index range whatever the table statistics say.
       SELECT seq FROM (
         SELECT seq, action, outcome FROM audit.events
         WHERE patient_hmac = hit.patient_hmac AND tenant = hit.tenant
         ORDER BY recorded DESC, tenant DESC, seq DESC OFFSET 0
       ) own
       WHERE outcome = '0' AND action IN ('patient-read', 'patient-query')
       LIMIT ${IDENTITY_EVENTS}
     ) e ON true
     LEFT JOIN audit.events ev ON ev.tenant = hit.tenant AND ev.seq = e.seq`,
    [tokens, tokens.length, limit + 1, ...(opts.tenant !== undefined ? [opts.tenant] : [])],
  );
  const byPatient = new Map<string, { tenant: string; found?: FoundPatient }>();
  for (const row of rows) {
    const hmac = toBuffer(row.patient_hmac).toString('hex');
    const key = `${String(row.tenant)}\u0000${hmac}`;
    const entry = byPatient.get(key) ?? { tenant: String(row.tenant) };
    byPatient.set(key, entry);
    if (entry.found || row.sealed === null || row.sealed === undefined) continue;
    const { event } = openEvent(keys, toBuffer(row.canonical), toBuffer(row.sealed));
    const identity = recordedIdentity(event);
    const reference = event.entity?.find((e) => e.role?.code === '1')?.what?.reference;
    if (!identity || !reference || pseudonym(keys.hmacKey, 'patient', reference) !== hmac) continue;
    if (identityMatches(identity, terms)) entry.found = { tenant: entry.tenant, reference, identity };
  }
  const entries = [...byPatient.values()];
  const truncated = entries.length > limit;
  const kept = entries.slice(0, limit);
  const patients = kept.flatMap((e) => (e.found ? [e.found] : []));
  return { patients, unconfirmed: kept.length - patients.length, truncated };
}
