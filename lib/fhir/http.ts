import 'server-only';
import { formatBytes, readTextLimited, ResponseTooLargeError } from '../http/limited-body';
import { errorFromResponse, failedRequest, FhirRequestError } from './errors';
import { semaphoreFor } from './semaphore';

export const DEFAULTS = {
  timeoutMs: 15_000,
  retries: 3,
  maxConcurrency: 6,
  retryBaseMs: 250,
  retryCapMs: 8_000,
  /**
   * Largest answer read, counted as decoded bytes. One page of a search is far smaller: even at the largest _count
   * a registration may ask for (1000), resources of a few KiB each come to a few MiB. The limit only stops a runaway
   * answer from holding the process's memory and event loop while it is read and parsed.
   */
  maxResponseBytes: 32 * 1024 * 1024,
} as const;

export interface FhirGetOptions {
  /** FHIR base the request belongs to (concurrency key). */
  readonly fhirBaseUrl: string;
  readonly accessToken?: string;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly maxConcurrency?: number;
  /** Base of the exponential backoff; tests shorten it. */
  readonly retryBaseMs?: number;
  /** Upper bound of any single wait, Retry-After included. */
  readonly retryCapMs?: number;
  /** Largest answer read (decoded bytes); a larger one is refused as malformed without reading the rest. */
  readonly maxResponseBytes?: number;
  /**
   * Sees the text of a successful answer before it is parsed: paging reads the
   * next page's link there and asks for it while this page is parsed.
   */
  readonly peek?: (text: string) => void;
}

export interface FhirResponse {
  readonly status: number;
  readonly body: unknown;
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
}

/**
 * One FHIR read (GET). Retries only on 429 and 503, the two statuses that
 * promise a later success; honours Retry-After (seconds or HTTP-date), else
 * waits with exponential backoff and full jitter. Never logs the URL or body.
 */
export async function fhirGet(url: string, opts: FhirGetOptions): Promise<FhirResponse> {
  try {
    return await getWithRetries(url, opts);
  } catch (e) {
    throw e instanceof FhirRequestError ? failedRequest(e, url, opts.fhirBaseUrl) : e;
  }
}

async function getWithRetries(url: string, opts: FhirGetOptions): Promise<FhirResponse> {
  const retries = opts.retries ?? DEFAULTS.retries;
  const sem = semaphoreFor(opts.fhirBaseUrl, opts.maxConcurrency ?? DEFAULTS.maxConcurrency);
  for (let attempt = 0; ; attempt++) {
    const release = await acquire(sem, opts.signal);
    let result: Attempt;
    try {
      result = await attemptOnce(url, opts);
    } finally {
      release();
    }
    if (result.ok) return { status: result.status, body: result.body, attempts: attempt + 1 };
    const { error, retryAfter } = result;
    const retryable = error.kind === 'http' && (error.httpStatus === 429 || error.httpStatus === 503);
    if (!retryable || attempt >= retries) throw error;
    await sleep(backoffMs(attempt, retryAfter, opts), opts.signal);
  }
}

type Attempt =
  { ok: true; status: number; body: unknown } | { ok: false; error: FhirRequestError; retryAfter?: string };

async function acquire(sem: ReturnType<typeof semaphoreFor>, signal?: AbortSignal): Promise<() => void> {
  try {
    return await sem.acquire(signal);
  } catch (cause) {
    throw new FhirRequestError({ kind: 'aborted' }, { cause });
  }
}

async function attemptOnce(url: string, opts: FhirGetOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULTS.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { Accept: 'application/fhir+json' };
  if (opts.accessToken) headers.Authorization = `Bearer ${opts.accessToken}`;
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(url, { method: 'GET', headers, signal, redirect: 'error' });
    const text = await readTextLimited(res, opts.maxResponseBytes ?? DEFAULTS.maxResponseBytes).catch(
      (e: unknown) => {
        if (e instanceof ResponseTooLargeError) return e;
        throw e;
      },
    );
    if (!res.ok) {
      // An error page over the limit is left unread; its status still says what went wrong and whether to retry.
      return {
        ok: false,
        error: errorFromResponse(res.status, res.headers, typeof text === 'string' ? text : ''),
        retryAfter: res.headers.get('retry-after') ?? undefined,
      };
    }
    if (text instanceof ResponseTooLargeError) return { ok: false, error: tooLarge(res.status, text) };
    opts.peek?.(text);
    try {
      return { ok: true, status: res.status, body: JSON.parse(text) as unknown };
    } catch (cause) {
      return { ok: false, error: new FhirRequestError({ kind: 'malformed', status: res.status }, { cause }) };
    }
  } catch (cause) {
    if (opts.signal?.aborted)
      return { ok: false, error: new FhirRequestError({ kind: 'aborted' }, { cause }) };
    if (timeout.aborted) return { ok: false, error: new FhirRequestError({ kind: 'timeout' }, { cause }) };
    return { ok: false, error: new FhirRequestError({ kind: 'network' }, { cause }) };
  }
}

/** An answer over the limit: unreadable as data, like malformed JSON, and never retried. */
function tooLarge(status: number, cause: ResponseTooLargeError): FhirRequestError {
  const diagnostics = `The EHR's answer is larger than the app's limit of ${formatBytes(cause.limitBytes)}.`;
  return new FhirRequestError({ kind: 'malformed', status, diagnostics }, { cause });
}

/** Delay before retry number `attempt + 1`. */
export function backoffMs(
  attempt: number,
  retryAfter: string | undefined,
  opts: Pick<FhirGetOptions, 'retryBaseMs' | 'retryCapMs'> = {},
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const cap = opts.retryCapMs ?? DEFAULTS.retryCapMs;
  const fromHeader = parseRetryAfter(retryAfter, now);
  if (fromHeader !== undefined) return Math.min(cap, fromHeader);
  const base = opts.retryBaseMs ?? DEFAULTS.retryBaseMs;
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt));
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new FhirRequestError({ kind: 'aborted' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
