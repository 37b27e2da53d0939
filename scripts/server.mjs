// The app's HTTP server: Next.js behind a plain node:http server, so the
// socket's peer address reaches the audit record (a client cannot forge it)
// and shutdown is graceful (stop accepting, finish requests, flush the audit
// log) before the process exits.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { compressResponses } from './compress.mjs';
import { capYoungGeneration, holdMemory } from './v8-memory.mjs';

// Memory (scripts/v8-memory.mjs): set before Next.js is loaded, the first store opens and the first chart is read.
holdMemory();
// Files the app makes (its databases, checkpoints, the console's accounts) are its own user's alone.
process.umask(0o077);
const { default: next } = await import('next');

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const PEER = 'x-chart-peer-address';
const REQUEST_ID = 'x-chart-request-id';
// Several-instance tests and benchmarks name each instance to see which one answered; unset in production.
const instanceName = process.env.CHART_INSTANCE_NAME;

// next-auth 4 (the audit console) takes its base URL only from NEXTAUTH_URL: it follows APP_URL
// (same default as lib/env.ts, which refuses a NEXTAUTH_URL that disagrees).
try {
  process.env.NEXTAUTH_URL ??= new URL('/api/auth', process.env.APP_URL || 'http://localhost:3000').href;
} catch {
  // Not a URL: lib/env.ts refuses APP_URL at start, saying so.
}
// Production serves the configuration the build recorded, handed over as Next's own standalone server does. Else
// next.config.ts would be compiled at every start, which loads Next's SWC compiler (about 30 MiB resident) for a
// config that Next then replaces with the recorded one anyway.
const builtConfig = path.join(process.cwd(), '.next', 'required-server-files.json');
if (!dev && existsSync(builtConfig))
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(
    JSON.parse(readFileSync(builtConfig, 'utf8')).config,
  );
const app = next({ dev, dir: process.cwd(), hostname: host, port });
await app.prepare();
capYoungGeneration();
const handle = app.getRequestHandler();
// Gzip for browsers that take it, except the audit console (scripts/compress.mjs).
const compress = compressResponses();

/**
 * A path that does not decode (a broken %-escape, e.g. `/chart/%E0%A4%A`) names nothing here: a clear 400, with the
 * headers every answer carries, instead of the framework's bare 500 when its router fails to decode it.
 */
function undecodablePath(url) {
  try {
    decodeURIComponent((url ?? '/').split('?')[0]);
    return false;
  } catch {
    return true;
  }
}

/**
 * Paths the proxy (proxy.ts) does not run for, so that static files need no per-request work: their answers, a 404
 * page among them, get the headers that need no nonce here.
 */
const UNPROXIED = /^\/(?:_next\/static\/|_next\/image(?:[?/]|$)|favicon\.ico(?:\?|$))/;

function staticHeaders(res) {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'",
  );
}

function badRequest(res) {
  res.writeHead(400, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end('Bad request: the address is not valid.\n');
}

const server = http.createServer((req, res) => {
  if (undecodablePath(req.url)) return badRequest(res);
  delete req.headers[PEER];
  delete req.headers[REQUEST_ID];
  req.headers[PEER] = req.socket.remoteAddress ?? 'unknown';
  // A correlation id per request, for the logs; never taken from the client.
  req.headers[REQUEST_ID] = randomUUID();
  if (instanceName) res.setHeader('x-chart-instance', instanceName);
  if (UNPROXIED.test(req.url ?? '/')) staticHeaders(res);
  compress(req, res, () => void handle(req, res));
});
// An idle connection is kept longer than a balancer in front keeps its own idle connections to the app (HAProxy's
// pool a few seconds, NGINX's upstream keepalive and cloud load balancers 60 s), so the balancer always closes one
// first. With Node.js's default of 5 s the app closed connections just as HAProxy sent a request on them; HAProxy then
// drops the client's connection unanswered so that a browser may retry, which a browser does not do for a POST (a
// sign-out, a chart-view report), and Node's fetch never does ("other side closed", seen in the cluster tests).
server.keepAliveTimeout = 65_000;
// A port taken or not allowed is the end of this process, with a failing status a service manager restarts on.
const cannotListen = (e) => {
  process.stderr.write(`app: cannot listen on ${host}:${port} (${e.code ?? e.message})\n`);
  process.exit(1);
};
server.once('error', cannotListen);
if (!Number.isInteger(port) || port < 0 || port > 65535) cannotListen({ code: `PORT must be 0–65535` });
server.listen(port, host, () => {
  server.off('error', cannotListen);
  process.stdout.write(`app: listening on http://${host}:${port}\n`);
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  process.stdout.write(`app: ${signal}, finishing requests\n`);
  server.close();
  // Connections go idle as their last requests finish; each is closed then rather than after its keep-alive time.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  // Registered once at start by lib/lifecycle.ts (instrumentation.ts).
  const hooks = globalThis[Symbol.for('smart-chart.shutdown')] ?? [];
  const deadline = setTimeout(() => process.exit(1), 15_000);
  try {
    await new Promise((resolve) => server.once('close', resolve));
    for (const hook of hooks) await hook();
  } finally {
    clearTimeout(deadline);
    clearInterval(idle);
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// Started by `npm start` (scripts/start.mjs) over an IPC channel: the channel closes when that process ends however
// it ends (kill -9 too), and this one stops with it instead of running on alone, holding its port and DATA_DIR.
if (process.channel) process.once('disconnect', () => void shutdown('npm start ended'));
