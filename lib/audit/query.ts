import { createHash } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { parseRecord } from './canonical';
import { commitmentSalt } from './commitment';
import { pseudonym, sealedAad, decryptEventBody, type AuditKeys } from './crypto';
import { unpackEventBody } from './event-body';
import { toBuffer, toDate, toNumber, type SqlClient } from './driver';
import { AuditIntegrityError } from './errors';
import type { AuditAction, AuditOutcome } from './types';

export interface AuditQueryFilter {
  readonly tenant?: string;
  /** Absolute FHIR reference of the patient; matched through its keyed HMAC. */
  readonly patient?: string;
  /** Any of these patients (absolute FHIR references, e.g. from findPatients); an empty list matches nothing. */
  readonly patients?: readonly string[];
  /** User reference as recorded (fhirUser or console-user/<id>); matched through its keyed HMAC. */
  readonly user?: string;
  readonly actions?: readonly AuditAction[];
  /** One outcome, or 'failure' for every non-zero outcome. */
  readonly outcome?: AuditOutcome | 'failure';
  readonly from?: Date;
  /** Exclusive upper bound. */
  readonly to?: Date;
}

export interface AuditPage {
  /** 1..500, default 50. */
  readonly limit?: number;
  /** Opaque cursor from the previous page. */
  readonly cursor?: string;
}

export interface StoredAuditEvent {
  readonly tenant: string;
  readonly seq: number;
  readonly leafHash: string;
  readonly recorded: string;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly resourceTypes: readonly string[];
  /** Base64 of the stored canonical record: SHA-256(0x00 || these bytes) is the leaf hash, so exports can be checked offline. */
  readonly record: string;
  /** The decrypted FHIR AuditEvent (only for authorized console reads). */
  readonly event: AuditEvent;
  /**
   * Hex salt of the record's payload commitment (format v2), so an export can be checked
   * without keys; absent for v1 records, stored before commitments existed.
   */
  readonly commitmentSalt?: string;
}

export interface AuditQueryResult {
  readonly items: StoredAuditEvent[];
  readonly nextCursor?: string;
}

interface Cursor {
  readonly r: string;
  readonly t: string;
  readonly s: number;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** Whether a page cursor from a URL is one the store could have written (a time, a log's name, a sequence number). */
export function isCursor(text: string): boolean {
  try {
    const c = decodeCursor(text);
    return (
      /^\d{4}-\d{2}-\d{2}T/.test(c.r) &&
      !Number.isNaN(Date.parse(c.r)) &&
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(c.t) &&
      Number.isSafeInteger(c.s) &&
      c.s >= 0
    );
  } catch {
    return false;
  }
}
function decodeCursor(text: string): Cursor {
  const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  if (typeof c.r !== 'string' || typeof c.t !== 'string' || typeof c.s !== 'number')
    throw new TypeError('bad cursor');
  return { r: c.r, t: c.t, s: c.s };
}

/** Opens the sealed AuditEvent of a stored record. */
export function openEvent(
  keys: AuditKeys,
  canonical: Buffer,
  sealed: Buffer,
): { record: ReturnType<typeof parseRecord>; event: AuditEvent } {
  const record = parseRecord(canonical);
  try {
    if (createHash('sha256').update(sealed).digest('hex') !== record.sealedSha256)
      throw new Error('sealed event replaced');
    const plain = unpackEventBody(decryptEventBody(keys.encryptionKey, sealed, sealedAad(record)));
    return { record, event: JSON.parse(plain.toString('utf8')) as AuditEvent };
  } catch {
    throw new AuditIntegrityError(`audit event ${record.tenant}/${record.seq} cannot be decrypted`, {
      code: 'event-unreadable',
      tenant: record.tenant,
      seq: record.seq,
    });
  }
}

/** Newest first, keyset-paged on (recorded, tenant, seq) so deep pages stay as fast as the first. */
export async function queryEvents(
  db: SqlClient,
  keys: AuditKeys,
  filter: AuditQueryFilter,
  page: AuditPage,
): Promise<AuditQueryResult> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), 500);
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.tenant !== undefined) where.push(`tenant = ${p(filter.tenant)}`);
  if (filter.patient !== undefined)
    where.push(`patient_hmac = ${p(Buffer.from(pseudonym(keys.hmacKey, 'patient', filter.patient), 'hex'))}`);
  // Several patients (the patient finder's): their HMACs once each, searched one index range each (below).
  const patients =
    filter.patients === undefined
      ? undefined
      : p([...new Set(filter.patients.map((ref) => pseudonym(keys.hmacKey, 'patient', ref)))]);
  if (filter.user !== undefined)
    where.push(`user_hmac = ${p(Buffer.from(pseudonym(keys.hmacKey, 'user', filter.user), 'hex'))}`);
  if (filter.actions && filter.actions.length > 0)
    where.push(`action = ANY(${p([...filter.actions])}::text[])`);
  if (filter.outcome === 'failure') where.push(`outcome <> '0'`);
  else if (filter.outcome !== undefined) where.push(`outcome = ${p(filter.outcome)}`);
  if (filter.from) where.push(`recorded >= ${p(filter.from.toISOString())}`);
  if (filter.to) where.push(`recorded < ${p(filter.to.toISOString())}`);
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    where.push(`(recorded, tenant, seq) < (${p(c.r)}::timestamptz, ${p(c.t)}, ${p(c.s)})`);
  }
  const columns = 'tenant, seq, recorded, canonical, leaf_hash, sealed';
  const order = 'ORDER BY recorded DESC, tenant DESC, seq DESC';
  const take = p(limit + 1);
  const rows = await db.query(
    patients === undefined
      ? `SELECT ${columns} FROM audit.events
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ${order} LIMIT ${take}`
      : // Each patient's newest events through its own index range (OFFSET 0 keeps the scan there whatever
        // the statistics say; PGlite never analyzes), keys only, merged; then the rows themselves.
        `SELECT ev.tenant, ev.seq, ev.recorded, ev.canonical, ev.leaf_hash, ev.sealed FROM (
           SELECT e.tenant, e.seq FROM unnest(${patients}::text[]) AS ph(h)
           CROSS JOIN LATERAL (
             SELECT tenant, seq, recorded FROM (
               SELECT tenant, seq, recorded, action, outcome, user_hmac, patient_hmac FROM audit.events
               WHERE patient_hmac = decode(ph.h, 'hex') ${order} OFFSET 0
             ) own
             ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
             ${order} LIMIT ${take}
           ) e
           ORDER BY e.recorded DESC, e.tenant DESC, e.seq DESC LIMIT ${take}
         ) k JOIN audit.events ev ON ev.tenant = k.tenant AND ev.seq = k.seq
         ORDER BY ev.recorded DESC, ev.tenant DESC, ev.seq DESC`,
    params,
  );
  const items = rows.slice(0, limit).map((row): StoredAuditEvent => {
    const { record, event } = openEvent(keys, toBuffer(row.canonical), toBuffer(row.sealed));
    return {
      tenant: record.tenant,
      seq: toNumber(row.seq),
      leafHash: toBuffer(row.leaf_hash).toString('hex'),
      recorded: toDate(row.recorded).toISOString(),
      action: record.action,
      outcome: record.outcome,
      resourceTypes: record.resourceTypes,
      record: toBuffer(row.canonical).toString('base64'),
      event,
      ...(record.v !== 1 ? { commitmentSalt: commitmentSalt(keys.hmacKey, record.tenant, record.seq) } : {}),
    };
  });
  const last = items[items.length - 1];
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor({ r: last.recorded, t: last.tenant, s: last.seq }) }
    : { items };
}
