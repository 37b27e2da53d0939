import { describe, expect, it } from 'vitest';
import { nextLinkHint } from './bundle';
import { PageAhead } from './page-ahead';

const BASE = 'https://ehr.example/fhir/r4';

/** A page's text as servers write it: the links before the entries. */
function page(next: string | undefined, ids: string[] = ['a']): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'searchset',
    link: [
      { relation: 'self', url: `${BASE}/Observation?x=1` },
      ...(next ? [{ relation: 'next', url: next }] : []),
    ],
    entry: ids.map((id) => ({ resource: { resourceType: 'Observation', id } })),
  });
}

describe('nextLinkHint', () => {
  it('finds the next link before the entries, in either key order, unescaping the URL', () => {
    expect(nextLinkHint(page(`${BASE}?_getpages=a&_getpagesoffset=500`))).toBe(
      `${BASE}?_getpages=a&_getpagesoffset=500`,
    );
    expect(
      nextLinkHint(`{"link":[ { "url" : "${BASE}/p\\u003d2\\/x" , "relation" : "next" } ],"entry":[]}`),
    ).toBe(`${BASE}/p=2/x`);
  });

  it('takes nothing from the entries, nor a link written after them, nor a self link', () => {
    const epic = `{"resourceType":"Bundle","type":"searchset","entry":[{"link":[{"relation":"next","url":"${BASE}/no"}]}],"link":[{"relation":"next","url":"${BASE}/late"}]}`;
    expect(nextLinkHint(epic)).toBeUndefined();
    expect(nextLinkHint(page(undefined))).toBeUndefined();
    expect(nextLinkHint('{"link":[{"relation":"next","url":""}],"entry":[]}')).toBeUndefined();
    expect(nextLinkHint('not json at all "relation":"next"')).toBeUndefined();
  });
});

interface Call {
  readonly url: string;
  readonly signal: AbortSignal;
  answer(text: string, status?: number): void;
}

/** A fetch whose answers the test gives by hand, recording every request. */
function manualFetch() {
  const calls: Call[] = [];
  let waiting: ((c: Call) => void)[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal as AbortSignal;
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
        once: true,
      });
      const call: Call = {
        url: input instanceof Request ? input.url : input.toString(),
        signal,
        answer: (text, status = 200) => resolve(new Response(text, { status })),
      };
      calls.push(call);
      const w = waiting;
      waiting = [];
      for (const f of w) f(call);
    })) as typeof globalThis.fetch;
  /** The next request made (or the one already made at `index`). */
  const request = (index: number): Promise<Call> =>
    calls[index] ? Promise.resolve(calls[index]) : new Promise((r) => waiting.push(() => r(request(index))));
  return { fetch, calls, request };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

function ahead(fetch: typeof globalThis.fetch, base = BASE) {
  return new PageAhead(
    { fhirBaseUrl: `${base}#page-ahead-${Math.random()}`, fetch, retries: 0, timeoutMs: 5_000 },
    new URL(base).origin,
  );
}

describe('PageAhead', () => {
  it("asks for the next page as soon as this page's text arrives, and reads it from that one request", async () => {
    const f = manualFetch();
    const reader = ahead(f.fetch);
    const seen = new Set([`${BASE}/p1`]);
    const first = reader.read(`${BASE}/p1`, seen);
    (await f.request(0)).answer(page(`${BASE}/p2`));
    // The second request is made before the first answer has been taken.
    const second = await f.request(1);
    expect(second.url).toBe(`${BASE}/p2`);
    expect(((await first).body as { entry: unknown[] }).entry).toHaveLength(1);
    seen.add(`${BASE}/p2`);
    const read2 = reader.read(`${BASE}/p2`, seen);
    second.answer(page(undefined, ['b', 'c']));
    expect(((await read2).body as { entry: unknown[] }).entry).toHaveLength(2);
    await settle();
    expect(f.calls.map((c) => c.url)).toEqual([`${BASE}/p1`, `${BASE}/p2`]);
  });

  it('asks for one page ahead at most, and none when the cap leaves no room', async () => {
    const f = manualFetch();
    const reader = ahead(f.fetch);
    const seen = new Set([`${BASE}/p1`]);
    const first = reader.read(`${BASE}/p1`, seen);
    (await f.request(0)).answer(page(`${BASE}/p2`));
    await first;
    // p2 is answered before the search waits for it: its own next page waits until it does.
    (await f.request(1)).answer(page(`${BASE}/p3`));
    await settle();
    expect(f.calls).toHaveLength(2);
    // The cap leaves no room after p2: nothing is asked for beyond it.
    await reader.read(`${BASE}/p2`, undefined);
    await settle();
    expect(f.calls.map((c) => c.url)).toEqual([`${BASE}/p1`, `${BASE}/p2`]);
  });

  it('cancels an early request the parsed Bundle does not lead to, and never uses its answer', async () => {
    const f = manualFetch();
    const reader = ahead(f.fetch);
    const first = reader.read(`${BASE}/p1`, new Set([`${BASE}/p1`]));
    (await f.request(0)).answer(page(`${BASE}/guess`));
    await first;
    const guess = await f.request(1);
    const read = reader.read(`${BASE}/real`, new Set([`${BASE}/p1`, `${BASE}/real`]));
    expect(guess.signal.aborted).toBe(true);
    const real = await f.request(2);
    expect(real.url).toBe(`${BASE}/real`);
    real.answer(page(undefined, ['r']));
    const body = (await read).body as { entry: { resource: { id: string } }[] };
    expect(body.entry.map((e) => e.resource.id)).toEqual(['r']);
  });

  it('never asks early for a link on another origin or one already read', async () => {
    for (const next of ['https://elsewhere.example/fhir/r4/p2', `${BASE}/p1`]) {
      const f = manualFetch();
      const reader = ahead(f.fetch);
      const first = reader.read(`${BASE}/p1`, new Set([`${BASE}/p1`]));
      (await f.request(0)).answer(page(next));
      await first;
      await settle();
      expect(f.calls.map((c) => c.url)).toEqual([`${BASE}/p1`]);
    }
  });

  it('leaves no unhandled rejection when an early request fails and is cancelled unread', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      const f = manualFetch();
      const reader = ahead(f.fetch);
      const first = reader.read(`${BASE}/p1`, new Set([`${BASE}/p1`]));
      (await f.request(0)).answer(page(`${BASE}/p2`));
      await first;
      (await f.request(1)).answer('{"resourceType":"OperationOutcome"}', 500);
      await settle();
      reader.cancel();
      await settle();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
