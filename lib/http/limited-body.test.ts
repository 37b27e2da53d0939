import { describe, expect, it } from 'vitest';
import { formatBytes, readTextLimited, ResponseTooLargeError } from './limited-body';

/** A response whose body comes in the given pieces; `pulls` counts how many the reader asked for. */
function streamed(pieces: readonly Uint8Array[], headers: Record<string, string> = {}) {
  const counter = { pulls: 0, cancelled: false };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulls++;
      const piece = pieces[i++];
      if (piece === undefined) controller.close();
      else controller.enqueue(piece);
    },
    cancel() {
      counter.cancelled = true;
    },
  });
  return { res: new Response(body, { headers }), counter };
}

describe('readTextLimited', () => {
  it('decodes UTF-8 split between pieces and drops a byte-order mark, as Response.text() does', async () => {
    const bytes = new TextEncoder().encode('\uFEFF{"name":"Zoë Ångström"}');
    const { res } = streamed([bytes.subarray(0, 13), bytes.subarray(13, 14), bytes.subarray(14)]);
    expect(await readTextLimited(res, 1024)).toBe(await new Response(bytes).text());
  });

  it('reads an empty body', async () => {
    expect(await readTextLimited(new Response(null), 10)).toBe('');
  });

  it('refuses a declared length over the limit without reading, and cancels the body', async () => {
    const { res, counter } = streamed([new Uint8Array(8)], { 'content-length': '2048' });
    const e = await readTextLimited(res, 1024).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ResponseTooLargeError);
    expect((e as ResponseTooLargeError).message).toBe('The response is larger than the limit of 1 KiB.');
    expect(counter.cancelled).toBe(true);
  });

  it('stops at the first piece past the limit', async () => {
    const piece = new Uint8Array(400);
    const { res, counter } = streamed(Array.from({ length: 100 }, () => piece));
    await expect(readTextLimited(res, 1000)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(counter.pulls).toBeLessThan(6);
    expect(counter.cancelled).toBe(true);
  });

  it('leaves the declared length of a compressed body to the stream', async () => {
    const { res } = streamed([new TextEncoder().encode('{}')], {
      'content-length': '2048',
      'content-encoding': 'gzip',
    });
    expect(await readTextLimited(res, 1024)).toBe('{}');
  });
});

describe('formatBytes', () => {
  it('names whole MiB and KiB, else bytes', () => {
    expect(formatBytes(32 * 1024 * 1024)).toBe('32 MiB');
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});
