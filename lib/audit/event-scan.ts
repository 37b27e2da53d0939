import type { EventChecker } from './check-pool';
import { toNumber, type SqlClient } from './driver';
import { brokenLink, type RowFinding } from './event-check';
import { fetchPage, PREV_LEAF, PREV_NONE, PREV_UNREADABLE, type PageCheck } from './event-page';
import { HASH_BYTES } from './merkle';

/** One event as checkRow (event-check.ts) would report it, link to its predecessor included. */
export interface ScannedRow {
  readonly seq: number;
  readonly leaf: Buffer;
  readonly findings: readonly RowFinding[];
}

const NONE: readonly RowFinding[] = [];

/** Visits a checked page in order, chaining each row to the one before; returns the last leaf (null before the first). */
function visitPage(
  page: PageCheck,
  prevLeaf: Buffer | null,
  visit: (row: ScannedRow) => void,
): Buffer | null {
  const flagged = new Map(page.flagged.map((f) => [f.index, f]));
  const leaves = Buffer.from(page.leaves.buffer, page.leaves.byteOffset, page.leaves.byteLength);
  const prevs = Buffer.from(page.prevs.buffer, page.prevs.byteOffset, page.prevs.byteLength);
  let prev = prevLeaf;
  for (let i = 0; i < page.seqs.length; i++) {
    const seq = page.seqs[i] as number;
    const at = i * HASH_BYTES;
    const leaf = leaves.subarray(at, at + HASH_BYTES);
    const kind = page.prevKinds[i];
    const chains =
      kind === PREV_UNREADABLE ||
      (kind === PREV_NONE && prev === null) ||
      (kind === PREV_LEAF && prev !== null && prev.compare(prevs, at, at + HASH_BYTES) === 0);
    const link = brokenLink(seq, page.columnsMatch[i] === 1, chains);
    const own = flagged.get(i);
    const findings = own
      ? link
        ? [...own.findings.slice(0, own.linkAt), link, ...own.findings.slice(own.linkAt)]
        : own.findings
      : link
        ? [link]
        : NONE;
    visit({ seq, leaf, findings });
    prev = leaf;
  }
  return prev;
}

/**
 * Reads and checks events [from, to) of a tenant in order, `pageSize` seq
 * numbers per page, with several pages read and checked at once (the
 * database, this thread and the checking threads work side by side).
 * Missing events are simply absent: the visitor sees the seq it gets.
 * Returns the leaf (hex) of the last event visited, or `prevLeaf`.
 */
export async function scanEvents(
  db: SqlClient,
  checker: EventChecker,
  tenant: string,
  range: { readonly from: number; readonly to: number; readonly pageSize: number; readonly prevLeaf: string },
  visit: (row: ScannedRow) => void,
): Promise<string> {
  const { from, to, pageSize } = range;
  const depth = checker.parallelism + 2;
  const inFlight: Promise<PageCheck | undefined>[] = [];
  let next = from;
  const launch = () => {
    const start = next;
    next = Math.min(start + pageSize, to);
    const p = fetchPage(db, tenant, start, next).then((page) => page && checker.inspect(tenant, page));
    // Awaited in order below; a failure is reported there, not as an unhandled rejection.
    p.catch(() => undefined);
    inFlight.push(p);
  };
  while (inFlight.length < depth && next < to) launch();
  let prev: Buffer | null = range.prevLeaf === '' ? null : Buffer.from(range.prevLeaf, 'hex');
  for (let p = inFlight.shift(); p; p = inFlight.shift()) {
    const page = await p;
    // An empty page is a gap (events removed, or one far ahead): read on from the next event there is.
    if (!page && next < to) next = Math.min(to, await nextSeq(db, tenant, next));
    if (next < to) launch();
    if (page) prev = visitPage(page, prev, visit);
  }
  return prev === null ? '' : prev.toString('hex');
}

/** The smallest seq at or after `from` that a tenant holds, or +Infinity. */
async function nextSeq(db: SqlClient, tenant: string, from: number): Promise<number> {
  const row = (
    await db.query(`SELECT min(seq) AS n FROM audit.events WHERE tenant = $1 AND seq >= $2`, [tenant, from])
  )[0];
  return row?.n === null || row?.n === undefined ? Number.POSITIVE_INFINITY : toNumber(row.n);
}

/** The largest seq a tenant holds, or -1. */
export async function lastSeq(db: SqlClient, tenant: string): Promise<number> {
  const row = (await db.query(`SELECT max(seq) AS n FROM audit.events WHERE tenant = $1`, [tenant]))[0];
  return row?.n === null || row?.n === undefined ? -1 : toNumber(row.n);
}
