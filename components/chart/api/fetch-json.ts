import type { ChartPayload } from '@/lib/chart/types';
import {
  afterSignOutPause,
  announceSessionRefused,
  listenForSignOut,
} from '@/components/session/sign-out-signal';

if (typeof window !== 'undefined') listenForSignOut();

/**
 * Error of one of our own chart routes. `code` and `message` come from the
 * route's `{ error: { code, message } }` body; status 0 means the request never
 * got an answer (offline, aborted by the network).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads `{ error: { code, message } }`; tolerates empty or non-JSON bodies. */
async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `http-${res.status}`;
  let message = res.statusText || 'The request failed';
  try {
    const body: unknown = await res.json();
    if (isRecord(body) && isRecord(body.error)) {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') message = body.error.message;
    }
  } catch {
    // Empty or non-JSON body (a proxy page, say): the status alone decides.
  }
  return new ApiError(res.status, code, message);
}

/**
 * Same-origin JSON request with the session cookie. Never sends or reads a
 * token; never caches patient data in the HTTP cache.
 */
export async function fetchJson(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  // While another tab signs this browser out, nothing is sent: it would go without the session.
  await afterSignOutPause();
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers:
        init.body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The app could not reach its server. Check the connection and retry.');
  }
  if (!res.ok) {
    const error = await errorFromResponse(res);
    // The launch may have ended elsewhere: the session bar finds out and takes the whole chart away, not one panel.
    if (error.status === 401 && error.code === 'session-expired') announceSessionRefused();
    throw error;
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(res.status, 'bad-response', 'The server sent an unreadable answer.');
  }
}

/**
 * GET a chart route and check the envelope. The payload's inner model is
 * produced by our own server from validated FHIR, so only the envelope is checked here.
 */
export async function fetchChartPayload<T>(url: string, signal?: AbortSignal): Promise<ChartPayload<T>> {
  const body = await fetchJson(url, { signal });
  if (
    !isRecord(body) ||
    !isRecord(body.data) ||
    !Array.isArray(body.warnings) ||
    typeof body.fetchedAt !== 'string'
  ) {
    throw new ApiError(200, 'bad-response', 'The server sent an unexpected answer.');
  }
  return body as unknown as ChartPayload<T>;
}
