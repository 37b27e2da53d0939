/** Test support: serves one personality's handler over real HTTP on a free port. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Personality, TokenGrant } from '../contract';
import { createFhirHandler } from './handler';

export interface TestFhirServer {
  readonly base: string;
  /** Registers a token and the grant it stands for; returns the token. */
  grant(grant: Omit<TokenGrant, 'aud' | 'grantId'> & { aud?: string; grantId?: string }): string;
  get(pathOrUrl: string, token?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestFhirServer(
  repo: MemoryRepository,
  personality: Personality,
): Promise<TestFhirServer> {
  const tokens = new Map<string, TokenGrant>();
  const handlers: ReturnType<typeof createFhirHandler>[] = [];
  const prefix = `/${personality}/fhir`;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const handler = handlers[0];
    if (!handler || !url.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    void handler(req, res, url.slice(prefix.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  const oauth = {
    issuer: 'http://auth.invalid',
    authorize: 'http://auth.invalid/authorize',
    token: 'http://auth.invalid/token',
    revoke: 'http://auth.invalid/revoke',
    introspect: 'http://auth.invalid/introspect',
    jwks: 'http://auth.invalid/jwks',
  };
  // The base (with its port) is known only once the server listens.
  handlers.push(
    createFhirHandler({
      baseUrl: base,
      personality,
      repo,
      oauth,
      validateToken: (token) => Promise.resolve(tokens.get(token)),
    }),
  );
  let n = 0;
  return {
    base,
    grant: (g) => {
      const token = `token-${++n}`;
      tokens.set(token, { aud: base, grantId: `grant-${n}`, ...g });
      return token;
    },
    get: (pathOrUrl, token) =>
      fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
