import type { AuditKeys } from './crypto';
import { toBuffer, type Row, type SqlClient } from './driver';
import { inspectRow, type RowFinding } from './event-check';
import { HASH_BYTES } from './merkle';

/**
 * A page of events travels as one bytea: every column of every row as a
 * 4-byte length (-1 for NULL) and its bytes, rows in seq order. One value
 * instead of thousands of rows keeps the reading thread's work per event
 * small, and the buffer moves to a checking thread without a copy.
 */
const field = (bytes: string) => `coalesce(int4send(length(${bytes})) || ${bytes}, int4send(-1))`;
const text = (expr: string) => field(`convert_to(${expr}, 'UTF8')`);

/** The columns inspectRow (event-check.ts) compares, in the forms the record holds them, in this order. */
const PAGE_FIELDS = [
  'seq',
  'action',
  'outcome',
  'canonical',
  'sealed',
  'recorded',
  'user_hmac',
  'patient_hmac',
  'resource_types',
  'leaf_hash',
] as const;
const ROW_BYTES = [
  field('int8send(seq)'),
  text('action'),
  text('outcome'),
  field('canonical'),
  field('sealed'),
  text(`to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`),
  field('user_hmac'),
  field('patient_hmac'),
  text('array_to_json(resource_types)::text'),
  field('leaf_hash'),
].join(' || ');

/** Events [from, to) of a tenant as one buffer, or undefined when there are none. */
export async function fetchPage(
  db: SqlClient,
  tenant: string,
  from: number,
  to: number,
): Promise<Buffer | undefined> {
  const rows = await db.query(
    `SELECT string_agg(${ROW_BYTES}, ''::bytea ORDER BY seq) AS page
       FROM audit.events WHERE tenant = $1 AND seq >= $2 AND seq < $3`,
    [tenant, from, to],
  );
  const page = rows[0]?.page;
  return page === null || page === undefined ? undefined : toBuffer(page);
}

/** The rows of a fetched page: hmacs and leaf hash as hex, time at microsecond precision in UTC. */
export function decodePage(page: Uint8Array): Row[] {
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const rows: Row[] = [];
  let at = 0;
  const next = (): Buffer | null => {
    const length = buf.readInt32BE(at);
    at += 4;
    if (length < 0) return null;
    const value = buf.subarray(at, at + length);
    at += length;
    return value;
  };
  const hex = (b: Buffer | null) => (b === null ? null : b.toString('hex'));
  const str = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));
  while (at < buf.length) {
    const v = PAGE_FIELDS.map(() => next());
    rows.push({
      seq: Number(v[0]?.readBigInt64BE(0)),
      action: str(v[1] ?? null),
      outcome: str(v[2] ?? null),
      canonical: v[3],
      sealed: v[4],
      recorded: str(v[5] ?? null),
      user_hmac: hex(v[6] ?? null),
      patient_hmac: hex(v[7] ?? null),
      resource_types: str(v[8] ?? null),
      leaf_hash: hex(v[9] ?? null),
    });
  }
  return rows;
}

/** What inspecting a page found, packed so it crosses threads cheaply. */
export interface PageCheck {
  readonly seqs: Float64Array;
  /** HASH_BYTES per row. */
  readonly leaves: Uint8Array;
  /** Each record's `prev` (hex), '' for the first event, undefined when the record is unreadable. */
  readonly prevs: (string | undefined)[];
  readonly columnsMatch: Uint8Array;
  /** Only the rows with findings, by their index in the page. */
  readonly flagged: { readonly index: number; readonly linkAt: number; readonly findings: RowFinding[] }[];
}

/** inspectRow for every row of a page; runs on a checking thread (check-worker.ts) or inline. */
export function inspectPage(keys: AuditKeys, tenant: string, page: Uint8Array): PageCheck {
  const rows = decodePage(page);
  const seqs = new Float64Array(rows.length);
  const leaves = new Uint8Array(rows.length * HASH_BYTES);
  const prevs: (string | undefined)[] = [];
  const columnsMatch = new Uint8Array(rows.length);
  const flagged: PageCheck['flagged'] = [];
  rows.forEach((row, index) => {
    const i = inspectRow(keys, tenant, row);
    seqs[index] = i.seq;
    leaves.set(i.leaf, index * HASH_BYTES);
    prevs.push(i.prev);
    columnsMatch[index] = i.columnsMatch ? 1 : 0;
    if (i.findings.length > 0) flagged.push({ index, linkAt: i.linkAt, findings: [...i.findings] });
  });
  return { seqs, leaves, prevs, columnsMatch, flagged };
}
