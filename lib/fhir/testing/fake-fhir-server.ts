import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import { FhirRequestError } from '../errors';

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  readonly body?: unknown;
  /** Wait before answering (timeouts). */
  readonly delayMs?: number;
}

export interface FakeRequest {
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeFhirServer {
  readonly origin: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on an ephemeral port that answers with recorded or scripted FHIR responses. */
export async function startFakeFhirServer(handler: FakeHandler): Promise<FakeFhirServer> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const fr: FakeRequest = { path: `${url.pathname}${url.search}`, url, headers: req.headers };
    requests.push(fr);
    void (async () => {
      const r = await handler(fr);
      if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
      if (res.destroyed) return;
      const isText = typeof r.body === 'string';
      res.writeHead(r.status ?? 200, {
        'content-type': isText ? 'text/plain' : 'application/fhir+json',
        ...r.headers,
      });
      res.end(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A searchset Bundle of the given resources (for scripted pages). */
export function searchset(resources: readonly object[], next?: string): object {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

/** The resources a search's `date=ge…`/`date=lt…` asks for, by effectiveDateTime (as a server without other filters would). */
export function inDates<T extends { readonly effectiveDateTime?: string }>(
  list: readonly T[],
  q: URLSearchParams,
): T[] {
  const dates = q.getAll('date');
  const ge = dates.find((d) => d.startsWith('ge'))?.slice(2);
  const lt = dates.find((d) => d.startsWith('lt'))?.slice(2);
  return list.filter((o) => {
    const t = o.effectiveDateTime ?? '';
    return (ge === undefined || t >= ge) && (lt === undefined || t < lt);
  });
}

/** Starts fake servers for a test file; each is closed after the test that started it. */
export function fakeServersPerTest(): (handler: FakeHandler) => Promise<FakeFhirServer> {
  const open: FakeFhirServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const server = await startFakeFhirServer(handler);
    open.push(server);
    return server;
  };
}

/** A handler that answers after `delayMs` and notes the most requests it had in hand at once. */
export function heldAtOnce(
  answer: FakeHandler,
  delayMs: number,
): { readonly handler: FakeHandler; readonly seen: { most: number } } {
  let open = 0;
  const seen = { most: 0 };
  const handler: FakeHandler = async (req) => {
    open++;
    seen.most = Math.max(seen.most, open);
    try {
      const res = await answer(req);
      await new Promise((r) => setTimeout(r, delayMs));
      return res;
    } finally {
      open--;
    }
  };
  return { handler, seen };
}

/** The FhirRequestError a request failed with; any other outcome fails the test. */
export async function rejection(p: Promise<unknown>): Promise<FhirRequestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FhirRequestError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
