import 'server-only';

/** A response body larger than its reader may hold. The message names the limit, never the body. */
export class ResponseTooLargeError extends Error {
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`The response is larger than the limit of ${formatBytes(limitBytes)}.`);
    this.name = 'ResponseTooLargeError';
    this.limitBytes = limitBytes;
  }
}

/**
 * The text of a response, read as a stream and given up as soon as more than `maxBytes` have arrived: the body is
 * cancelled, which closes the connection, so neither the rest of the body nor its parse ever costs memory or time.
 * An uncompressed answer whose Content-Length is over the limit is refused before a byte is read. The bytes counted
 * are the decoded ones fetch hands over; a compressed answer's Content-Length says little about those, so only the
 * stream decides there. Decodes UTF-8 as `Response.text()` does.
 */
export async function readTextLimited(res: Response, maxBytes: number): Promise<string> {
  if (declaredOverLimit(res.headers, maxBytes)) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function declaredOverLimit(headers: Headers, maxBytes: number): boolean {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return false;
  const length = headers.get('content-length')?.trim();
  return length !== undefined && /^\d+$/.test(length) && Number(length) > maxBytes;
}

/** 33554432 → "32 MiB"; a limit that is no whole number of KiB or MiB stays in bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
