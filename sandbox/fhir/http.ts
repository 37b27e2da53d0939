/** Response helpers: every FHIR answer is application/fhir+json unless a personality says otherwise. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
import type { ErrorReply } from './personalities/types';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function sendResource(
  res: ServerResponse,
  status: number,
  resource: Resource,
  headers: Readonly<Record<string, string>> = {},
): void {
  const body = JSON.stringify(resource);
  res.writeHead(status, {
    'content-type': FHIR_JSON,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendReply(res: ServerResponse, reply: ErrorReply): void {
  const headers = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...headers, 'content-length': 0 });
    res.end();
  } else if (typeof reply.body === 'string') {
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(reply.body),
    });
    res.end(reply.body);
  } else {
    sendResource(res, reply.status, reply.body, headers);
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
