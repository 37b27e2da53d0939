import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineChecker, threadedChecker, type EventChecker } from './check-pool';
import { fetchPage, inspectPage, inspectPageInSlices } from './event-page';
import { lastSeq, scanEvents, type ScannedRow } from './event-scan';
import { buildRecord } from './append-batch';
import { deleteEvent, disableTriggers, editEvent, insertEvent } from './testing/attacker';
import { pgliteHarness, type Harness } from './testing/harness';
import { anotherUser, sealedByMistake } from './testing/forger';
import { readInput } from './testing/store-suite-input';

/**
 * Verify and the signer check pages of events on checking threads; what they
 * find must be exactly what checking row by row in this thread finds, bad
 * rows included, with the chain and the leaves in order.
 */
describe('event checks on checking threads', () => {
  let h: Harness;
  const tenant = 'threads';
  beforeAll(async () => {
    h = await pgliteHarness();
    for (let at = 0; at < 600; at += 200)
      await h.store.append(Array.from({ length: 200 }, (_, k) => readInput(tenant, at + k)));
    await h.store.checkpoint(tenant);
    await disableTriggers(h.admin);
    await editEvent(h.admin, tenant, 130);
    await deleteEvent(h.admin, tenant, 401);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  const scan = async (checker: EventChecker): Promise<ScannedRow[]> => {
    const rows: ScannedRow[] = [];
    const to = (await lastSeq(h.admin, tenant)) + 1;
    const last = await scanEvents(
      h.admin,
      checker,
      tenant,
      { from: 0, to, pageSize: 128, prevLeaf: '' },
      (r) => rows.push(r),
    );
    expect(last).toBe(rows[rows.length - 1]?.leaf.toString('hex'));
    return rows;
  };

  it('finds the same events, leaves and problems as the check in this thread', async () => {
    const threaded = threadedChecker(h.keys, 2);
    try {
      expect(await threaded.warm()).toBe(2);
      const [inThreads, inline] = [await scan(threaded), await scan(inlineChecker(h.keys))];
      expect(inThreads.map((r) => r.seq)).toEqual(inline.map((r) => r.seq));
      expect(inThreads.map((r) => r.leaf.toString('hex'))).toEqual(inline.map((r) => r.leaf.toString('hex')));
      expect(inThreads.map((r) => r.findings)).toEqual(inline.map((r) => r.findings));
      expect(inThreads).toHaveLength(599);
      // The edited event is named, and its successor's link to it is broken.
      const problems = inThreads.flatMap((r) => r.findings.map((f) => f.problem));
      expect(problems).toContain('event 130: payload outcome differs from the record');
      expect(problems).toContain('event 131: does not chain to event 130');
      // The successor of the deleted one is not linked to the event before it.
      expect(problems).toContain('event 402: does not chain to event 401');
    } finally {
      await threaded.close();
    }
  });

  it('checks deeply on the threads as in this thread: what a writer sealed by mistake is found only then', async () => {
    // The next event, sealed with its record by a key holder but naming another user than the record does.
    const next = buildRecord(readInput(tenant, 600), 600, Buffer.alloc(32), h.keys, 'https://app.example');
    const mistaken = sealedByMistake(h.keys, next, anotherUser);
    await insertEvent(h.admin, mistaken.record, mistaken.sealed);
    const deep = threadedChecker(h.keys, 2, undefined, true);
    try {
      expect(await deep.warm()).toBe(2);
      const [inThreads, inline, shallow] = [
        await scan(deep),
        await scan(inlineChecker(h.keys, true)),
        await scan(inlineChecker(h.keys)),
      ];
      expect(inThreads.map((r) => r.findings)).toEqual(inline.map((r) => r.findings));
      const mistakes = (rows: ScannedRow[]) =>
        rows.find((r) => r.seq === 600)?.findings.map((f) => f.problem);
      expect(mistakes(inThreads)).toEqual([
        'event 600: does not chain to event 599',
        'event 600: payload user differs from the record',
        'event 600: payload differs from the commitment in the record',
      ]);
      expect(mistakes(shallow)).toEqual(['event 600: does not chain to event 599']);
      // Elsewhere the deep check finds what the default one finds.
      const others = (rows: ScannedRow[]) => rows.filter((r) => r.seq !== 600).map((r) => r.findings);
      expect(others(inThreads)).toEqual(others(shallow));
    } finally {
      await deep.close();
      await deleteEvent(h.admin, tenant, 600);
    }
  });

  it('reads on past a gap to an event far ahead instead of through every empty page', async () => {
    const far = 1e12;
    const built = buildRecord(readInput(tenant, 7), far, Buffer.alloc(32), h.keys, 'https://app.example');
    await insertEvent(h.admin, built.record, built.sealed);
    const rows = await scan(inlineChecker(h.keys));
    expect(rows).toHaveLength(600);
    expect(rows[599]?.seq).toBe(far);
    expect(rows[599]?.findings.map((f) => f.problem)).toEqual([
      `event ${far}: does not chain to event ${far - 1}`,
    ]);
  });

  it("checks a quiet server's pages here and starts the threads only for a large page", async () => {
    const rows = await scan(inlineChecker(h.keys));
    const lazy = threadedChecker(h.keys, 2);
    try {
      // Pages of 128 events are past the size worth a thread, but no page is large enough to start them.
      expect((await scan(lazy)).map((r) => r.leaf.toString('hex'))).toEqual(
        rows.map((r) => r.leaf.toString('hex')),
      );
      expect(lazy.threads).toBe(0);
    } finally {
      await lazy.close();
    }
    const eager = threadedChecker(h.keys, 2, 64 * 1024);
    try {
      expect((await scan(eager)).map((r) => r.findings)).toEqual(rows.map((r) => r.findings));
      expect(eager.threads).toBe(2);
    } finally {
      await eager.close();
    }
  });

  it('gives way to other work while it checks a page in this thread, and finds the same', async () => {
    const page = await fetchPage(h.admin, tenant, 0, 600);
    expect(page).toBeDefined();
    const whole = inspectPage(h.keys, tenant, page!);
    // A timer due at once runs between slices, before the check of 600 events is done.
    const order: string[] = [];
    const timer = new Promise<void>((r) => setTimeout(() => r(void order.push('timer')), 0));
    const sliced = inspectPageInSlices(h.keys, tenant, page!, 1).then((c) => (order.push('check'), c));
    const [check] = await Promise.all([sliced, timer]);
    expect(order).toEqual(['timer', 'check']);
    expect(Buffer.from(check.leaves).equals(Buffer.from(whole.leaves))).toBe(true);
    expect(Array.from(check.seqs)).toEqual(Array.from(whole.seqs));
    expect(check.flagged).toEqual(whole.flagged);
    expect(check.flagged.length).toBeGreaterThan(0);
  });

  it('checks pages in this thread when no checking thread is wanted', async () => {
    const none = threadedChecker(h.keys, 0);
    expect(await none.warm()).toBe(0);
    expect((await scan(none)).length).toBe(600);
  });
});
