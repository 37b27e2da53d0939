import type { AuditKeys } from './crypto';
import { toBuffer, type SqlClient } from './driver';
import { inspectRow, type EventRow, type Inspection, type RowFinding } from './event-check';
import { HASH_BYTES } from './merkle';

/**
 * A page of events travels as one buffer in PostgreSQL's binary COPY layout:
 * per row a 2-byte field count, then every column as a 4-byte length (-1 for
 * NULL) and its binary form (int8 and timestamptz as 8-byte integers, text as
 * UTF-8, text[] as array_send writes it, bytea as stored). On PostgreSQL it is
 * what `COPY ... TO STDOUT (FORMAT binary)` sends, which costs the server
 * little beyond the scan; on PGlite one string_agg builds the same rows.
 * One value instead of thousands of rows keeps the reading thread's work per
 * event small, and the buffer moves to a checking thread as it is.
 */
const COLUMNS = [
  ['seq', 'int8send'],
  ['action', 'textsend'],
  ['outcome', 'textsend'],
  ['canonical', ''],
  ['sealed', ''],
  ['recorded', 'timestamptz_send'],
  ['user_hmac', ''],
  ['patient_hmac', ''],
  ['resource_types', 'array_send'],
  ['leaf_hash', ''],
] as const;

const WHERE = `FROM audit.events WHERE tenant = $1 AND seq >= $2 AND seq < $3`;
const COPY_QUERY = `SELECT ${COLUMNS.map(([c]) => c).join(', ')} ${WHERE} ORDER BY seq`;
const bytesOf = ([c, send]: (typeof COLUMNS)[number]) => (send ? `${send}(${c})` : c);
const AGG_QUERY = `SELECT string_agg(int2send(${COLUMNS.length}::int2) || ${COLUMNS.map(
  (col) => `coalesce(int4send(length(${bytesOf(col)})) || ${bytesOf(col)}, int4send(-1))`,
).join(' || ')}, ''::bytea ORDER BY seq) AS page ${WHERE}`;

/** How much room a page needs per sequence number, as the last page read did. */
let bytesPerSeq = 64;

/** Events [from, to) of a tenant as one buffer, or undefined when there are none. */
export async function fetchPage(
  db: SqlClient,
  tenant: string,
  from: number,
  to: number,
): Promise<Buffer | undefined> {
  if (db.copyOutBinary) {
    const page = await db.copyOutBinary(COPY_QUERY, [tenant, from, to], Math.ceil((to - from) * bytesPerSeq));
    bytesPerSeq = (page.length / (to - from)) * 1.05;
    return firstRowAt(page) < page.length - 2 ? page : undefined;
  }
  const rows = await db.query(AGG_QUERY, [tenant, from, to]);
  const page = rows[0]?.page;
  return page === null || page === undefined ? undefined : toBuffer(page);
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Where the rows start: after COPY's header when there is one. */
function firstRowAt(buf: Buffer): number {
  if (buf.length < 19 || !COPY_SIGNATURE.equals(buf.subarray(0, 11))) return 0;
  return 19 + buf.readUInt32BE(15);
}

const readInt64 = (buf: Buffer, at: number): number =>
  buf.readInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4);

/** A text[] in array_send's form, or null when it is not a one-dimensional array of non-null text. */
function textArray(buf: Buffer, start: number, end: number): string[] | null {
  const dims = buf.readInt32BE(start);
  if (dims === 0) return end === start + 12 ? [] : null;
  if (dims !== 1 || buf.readInt32BE(start + 4) !== 0) return null;
  const count = buf.readInt32BE(start + 12);
  const out: string[] = [];
  let at = start + 20;
  for (let i = 0; i < count; i++) {
    const length = buf.readInt32BE(at);
    if (length < 0 || at + 4 + length > end) return null;
    out.push(buf.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  return at === end ? out : null;
}

/**
 * Calls `visit` with each row of a fetched page, in the order they were read,
 * and returns how many there were. Rows are decoded one at a time (none is
 * kept), and with `visit` undefined the page is only counted.
 */
export function forEachRow(page: Uint8Array, visit?: (row: EventRow, index: number) => void): number {
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const starts = new Int32Array(COLUMNS.length);
  const ends = new Int32Array(COLUMNS.length);
  const bytes = (i: number): Buffer | null => (starts[i]! < 0 ? null : buf.subarray(starts[i], ends[i]));
  const text = (i: number): string | null =>
    starts[i]! < 0 ? null : buf.toString('utf8', starts[i], ends[i]);
  const int64 = (i: number): number | null =>
    ends[i]! - starts[i]! === 8 ? readInt64(buf, starts[i]!) : null;
  let at = firstRowAt(buf);
  let count = 0;
  while (at < buf.length) {
    const fields = buf.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    if (fields !== COLUMNS.length)
      throw new TypeError(`a page row has ${fields} columns, not ${COLUMNS.length}`);
    for (let i = 0; i < fields; i++) {
      const length = buf.readInt32BE(at);
      at += 4;
      starts[i] = length < 0 ? -1 : at;
      ends[i] = length < 0 ? -1 : at + length;
      if (length > 0) at += length;
    }
    if (at > buf.length) throw new TypeError('a page ends inside a row');
    const seq = int64(0);
    if (seq === null) throw new TypeError('a page row has no sequence number');
    visit?.(
      {
        seq,
        action: text(1),
        outcome: text(2),
        canonical: bytes(3),
        sealed: bytes(4),
        recordedMicros: int64(5),
        userHmac: bytes(6),
        patientHmac: bytes(7),
        resourceTypes: starts[8]! < 0 ? null : textArray(buf, starts[8]!, ends[8]!),
        leafHash: bytes(9),
      },
      count,
    );
    count++;
  }
  return count;
}

/** How a record names its predecessor (PageCheck.prevKinds). */
export const PREV_UNREADABLE = 0;
export const PREV_NONE = 1;
export const PREV_LEAF = 2;
export const PREV_OTHER = 3;

/** What inspecting a page found, packed so it crosses threads cheaply (no object or string per row). */
export interface PageCheck {
  readonly seqs: Float64Array;
  /** HASH_BYTES per row. */
  readonly leaves: Uint8Array;
  /**
   * Each record's `prev`: PREV_NONE for '' (the first event), PREV_LEAF for a leaf hash (then
   * in `prevs`, HASH_BYTES per row), PREV_OTHER for anything else (it chains to nothing),
   * PREV_UNREADABLE when the record cannot be read.
   */
  readonly prevKinds: Uint8Array;
  readonly prevs: Uint8Array;
  readonly columnsMatch: Uint8Array;
  /** Only the rows with findings, by their index in the page. */
  readonly flagged: { readonly index: number; readonly linkAt: number; readonly findings: RowFinding[] }[];
}

const LEAF_HEX = /^[0-9a-f]{64}$/;

/** A PageCheck being filled row by row. */
function pageCheck(count: number): PageCheck & { put(index: number, i: Inspection): void } {
  const check = {
    seqs: new Float64Array(count),
    leaves: new Uint8Array(count * HASH_BYTES),
    prevKinds: new Uint8Array(count),
    prevs: new Uint8Array(count * HASH_BYTES),
    columnsMatch: new Uint8Array(count),
    flagged: [] as { index: number; linkAt: number; findings: RowFinding[] }[],
  };
  const put = (index: number, i: Inspection): void => {
    check.seqs[index] = i.seq;
    check.leaves.set(i.leaf, index * HASH_BYTES);
    if (i.prev === undefined) check.prevKinds[index] = PREV_UNREADABLE;
    else if (i.prev === '') check.prevKinds[index] = PREV_NONE;
    else if (LEAF_HEX.test(i.prev)) {
      check.prevKinds[index] = PREV_LEAF;
      check.prevs.set(Buffer.from(i.prev, 'hex'), index * HASH_BYTES);
    } else check.prevKinds[index] = PREV_OTHER;
    check.columnsMatch[index] = i.columnsMatch ? 1 : 0;
    if (i.findings.length > 0) check.flagged.push({ index, linkAt: i.linkAt, findings: [...i.findings] });
  };
  return { ...check, put };
}

const packed = ({ seqs, leaves, prevKinds, prevs, columnsMatch, flagged }: PageCheck): PageCheck => ({
  seqs,
  leaves,
  prevKinds,
  prevs,
  columnsMatch,
  flagged,
});

/** inspectRow for every row of a page, in one go; runs on a checking thread (check-worker.mjs). */
export function inspectPage(keys: AuditKeys, tenant: string, page: Uint8Array, deep = false): PageCheck {
  const check = pageCheck(forEachRow(page));
  forEachRow(page, (row, index) => check.put(index, inspectRow(keys, tenant, row, deep)));
  return packed(check);
}

/**
 * inspectPage in the serving thread: it gives way to other work (appends, requests) whenever it has
 * run for `sliceMs`, so checking a few hundred events before a checkpoint never holds an append up
 * for longer than a slice. `page` must not change until the promise settles.
 */
export async function inspectPageInSlices(
  keys: AuditKeys,
  tenant: string,
  page: Uint8Array,
  sliceMs = 1,
  deep = false,
): Promise<PageCheck> {
  const rows: EventRow[] = [];
  forEachRow(page, (row) => void rows.push(row));
  const check = pageCheck(rows.length);
  let sliceStart = performance.now();
  for (let index = 0; index < rows.length; index++) {
    check.put(index, inspectRow(keys, tenant, rows[index]!, deep));
    if (performance.now() - sliceStart >= sliceMs && index + 1 < rows.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return packed(check);
}
