import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip, createInflate, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressible, compressResponses } from './compress.mjs';

/**
 * The app server's compression step (scripts/compress.mjs) in front of a real
 * HTTP server, asked with a real client: what is compressed, what never is,
 * and that a streamed page still arrives in pieces.
 */
const JSON_BODY = JSON.stringify({
  data: Array.from({ length: 2000 }, (_, i) => ({ time: i, value: 120 + (i % 7) })),
});

let server: http.Server;
let base: string;
/** Lets the streamed response write its second piece. */
let releaseSecondPiece: () => void = () => undefined;

function app(req: IncomingMessage, res: ServerResponse & { flush?: () => void }): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  // As Next.js does while it handles a request: what the client asked for decides.
  req.url = '/index';
  if (path === '/stream') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.write(`<p>placeholder</p>${' '.repeat(2048)}`);
    // As Next.js does after each chunk of a streamed page.
    res.flush?.();
    releaseSecondPiece = () => res.end('<p>the chart</p>');
    return;
  }
  // As Next.js sets it on a route handler's answer: a one-element list.
  res.setHeader('content-type', path.endsWith('.png') ? 'image/png' : ['application/json; charset=utf-8']);
  res.end(path === '/small' ? '{"ok":true}' : JSON_BODY);
}

beforeAll(async () => {
  const compress = compressResponses();
  server = http.createServer((req, res) => compress(req, res, () => app(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, acceptEncoding: string): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('compressed responses', () => {
  it('sends gzip to a client that takes it, Brotli or not, and the same bytes once decompressed', async () => {
    for (const accepts of ['gzip, deflate, br, zstd', 'br;q=1.0, gzip;q=0.8', 'gzip']) {
      const { res, body } = await get('/api/chart/x/vitals?range=all', accepts);
      expect(res.headers['content-encoding'], accepts).toBe('gzip');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(body.length).toBeLessThan(JSON_BODY.length / 4);
      expect(gunzipSync(body).toString()).toBe(JSON_BODY);
    }
    // Brotli alone is not offered: the answer goes as it is.
    expect(
      (await get('/api/chart/x/vitals?range=all', 'br')).res.headers['content-encoding'],
    ).toBeUndefined();
  });

  it('sends a client that takes no encoding, a small answer and an image as they are', async () => {
    for (const [path, encoding] of [
      ['/api/chart/x/vitals', 'identity'],
      ['/small', 'gzip, br'],
      ['/icon.png', 'gzip, br'],
    ] as const) {
      const { res } = await get(path, encoding);
      expect(res.headers['content-encoding'], path).toBeUndefined();
    }
  });

  it('never compresses the audit console or its sign-in, however the path is written', async () => {
    for (const path of [
      '/console',
      '/console/sign-in',
      '/api/console/export',
      '/api/auth/csrf',
      '/api/auth/callback/credentials',
      '//console/users',
      '/Console',
      '/%63onsole',
      '/chart/../console',
      'http://localhost:3000/console/sign-in',
    ]) {
      expect(compressible(path), path).toBe(false);
      if (!path.startsWith('/')) continue;
      const { res, body } = await get(path, 'gzip, deflate, br');
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(body.toString(), path).toBe(JSON_BODY);
    }
    expect(compressible('/consoles')).toBe(true);
    expect(compressible('/chart/abc')).toBe(true);
    expect(compressible('/%E0%A4%A')).toBe(false); // not decodable: left alone
  });

  it('delivers the first piece of a streamed page before the rest is written', async () => {
    for (const [encoding, decompressor] of [
      ['gzip', createGunzip],
      ['deflate', createInflate],
    ] as const) {
      const text = await new Promise<string>((resolve, reject) => {
        const stuck = setTimeout(
          () => reject(new Error(`${encoding}: the first piece did not arrive while the rest was held back`)),
          5_000,
        );
        http
          .get(`${base}/stream`, { headers: { 'accept-encoding': encoding } }, (res) => {
            expect(res.headers['content-encoding']).toBe(encoding);
            let seen = '';
            const out = res.pipe(decompressor());
            out.on('data', (c: Buffer) => {
              seen += c.toString();
              // The second piece is written only once the first has been read here.
              if (seen.includes('placeholder') && !seen.includes('the chart')) {
                clearTimeout(stuck);
                releaseSecondPiece();
              }
            });
            out.on('end', () => resolve(seen));
            out.on('error', reject);
          })
          .on('error', reject);
      });
      expect(text.indexOf('placeholder')).toBeLessThan(text.indexOf('the chart'));
    }
  });
});
