import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of a streaming server: its body is written a slice at a time, each after the client took the last. */
export interface StreamedAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** The body; a number is that many bytes of filler ("x"), never held whole. */
  readonly body: Buffer | number;
  /** Declare the length up front; otherwise the body goes chunked. */
  readonly contentLength?: boolean;
}

export interface WrittenAnswer {
  readonly path: string;
  /** Bytes handed to the socket before the answer ended or the client closed the connection. */
  readonly written: number;
  /** The whole body was written. */
  readonly complete: boolean;
}

export interface StreamingServer {
  readonly origin: string;
  /** One per request, settled when its answer is complete or its connection closed. */
  readonly answers: Promise<WrittenAnswer>[];
  close(): Promise<void>;
}

const SLICE = 64 * 1024;

/** A real HTTP server that streams large answers and records how much of each it had to write. */
export async function startStreamingServer(
  answer: (path: string) => StreamedAnswer,
): Promise<StreamingServer> {
  const answers: Promise<WrittenAnswer>[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const a = answer(path);
    const closed = new Promise<void>((ok) => res.once('close', ok));
    answers.push(
      write(res, a, closed).then((written) => ({ path, written, complete: res.writableFinished })),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    answers,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function write(res: ServerResponse, a: StreamedAnswer, closed: Promise<void>): Promise<number> {
  const total = typeof a.body === 'number' ? a.body : a.body.byteLength;
  const filler = Buffer.alloc(SLICE, 'x');
  res.writeHead(a.status ?? 200, {
    'content-type': 'application/fhir+json',
    ...(a.contentLength ? { 'content-length': String(total) } : {}),
    ...a.headers,
  });
  let written = 0;
  while (written < total && !res.destroyed) {
    const n = Math.min(SLICE, total - written);
    const slice = typeof a.body === 'number' ? filler.subarray(0, n) : a.body.subarray(written, written + n);
    const drained = res.write(slice);
    written += n;
    if (!drained) await Promise.race([new Promise((ok) => res.once('drain', ok)), closed]);
  }
  if (!res.destroyed) res.end();
  await closed;
  return written;
}
